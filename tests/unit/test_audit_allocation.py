"""Properties of allocating audits: caps, conflicts, tiers and enhanced audits."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.audit_allocation import (
    Allocation,
    Auditor,
    CaseToAllocate,
    Person,
    Unallocated,
    allocate,
    auditors_from_roster,
    manager_tiers,
)


@st.composite
def rosters(draw: st.DrawFn) -> list[Person]:
    """A line-management tree: each person's manager comes before them, so no loops."""
    count = draw(st.integers(min_value=1, max_value=40))
    people = []
    for staff_id in range(1, count + 1):
        manager = (
            None
            if staff_id == 1
            else draw(st.one_of(st.none(), st.integers(min_value=1, max_value=staff_id - 1)))
        )
        team = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=6)))
        people.append(Person(staff_id, manager, team))
    return people


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[Person], list[CaseToAllocate], dict[int, int], int]:
    people = draw(rosters())
    ids = [p.staff_id for p in people]
    cases = [
        CaseToAllocate(
            case_ref=f"CR-{number:04d}",
            team_id=draw(st.one_of(st.none(), st.integers(min_value=1, max_value=6))),
            worker_id=draw(st.one_of(st.none(), st.sampled_from(ids))),
            enhanced=draw(st.booleans()),
        )
        for number in range(draw(st.integers(min_value=0, max_value=12)))
    ]
    already = draw(st.dictionaries(st.sampled_from(ids), st.integers(min_value=0, max_value=4)))
    cap = draw(st.integers(min_value=1, max_value=4))
    return people, cases, already, cap


def tiers_by_definition(people: list[Person]) -> dict[int, int]:
    """Tier as the longest chain of reports below someone, worked out the slow way."""
    reports = {
        p.staff_id: [q.staff_id for q in people if q.manager_id == p.staff_id] for p in people
    }

    def depth(staff_id: int) -> int:
        return max((1 + depth(r) for r in reports[staff_id]), default=0)

    return {p.staff_id: depth(p.staff_id) for p in people if reports[p.staff_id]}


def breaks_a_rule(people: list[Person], case: CaseToAllocate, auditor_id: int) -> bool:
    person = {p.staff_id: p for p in people}
    reports = [p for p in people if p.manager_id == auditor_id]
    managed = {p.team_id for p in reports} | {person[auditor_id].team_id}
    return (
        case.worker_id == auditor_id
        or case.worker_id in {p.staff_id for p in reports}
        or (case.team_id is not None and case.team_id in managed)
    )


def legal_auditors(people: list[Person], case: CaseToAllocate) -> list[int]:
    tiers = tiers_by_definition(people)
    return [
        staff_id
        for staff_id, tier in tiers.items()
        if not breaks_a_rule(people, case, staff_id) and (tier >= 2 or not case.enhanced)
    ]


def most_tiers_coverable(
    people: list[Person], cases: list[CaseToAllocate], already: dict[int, int], cap: int
) -> int:
    """The most tiers that could each take a different case, by trying every way."""
    tiers = tiers_by_definition(people)
    options = {
        tier: {
            case.case_ref
            for case in cases
            for staff_id in legal_auditors(people, case)
            if tiers[staff_id] == tier and already.get(staff_id, 0) < cap
        }
        for tier in set(tiers.values())
    }

    def best(remaining: list[int], used: frozenset[str]) -> int:
        if not remaining:
            return 0
        tier, rest = remaining[0], remaining[1:]
        skipped = best(rest, used)
        taken = [1 + best(rest, used | {ref}) for ref in options[tier] - used]
        return max([skipped, *taken])

    return best(sorted(options), frozenset())


def most_placeable(
    people: list[Person], cases: list[CaseToAllocate], already: dict[int, int], cap: int
) -> int:
    """The most cases any legal allocation places: a max flow from a source through
    each case to its legal auditors (capacity one) and from each auditor to a sink
    (capacity what is left of their cap), by breadth-first augmenting paths."""
    source, sink = ("source",), ("sink",)
    capacity: dict[tuple[object, object], int] = Counter()
    for case in cases:
        capacity[source, ("case", case.case_ref)] = 1
        for staff_id in legal_auditors(people, case):
            capacity[("case", case.case_ref), ("auditor", staff_id)] = 1
    for staff_id in tiers_by_definition(people):
        capacity[("auditor", staff_id), sink] = max(0, cap - already.get(staff_id, 0))
    neighbours: dict[object, set[object]] = {}
    for start, end in list(capacity):
        neighbours.setdefault(start, set()).add(end)
        neighbours.setdefault(end, set()).add(start)
    flow = 0
    while True:
        came_from: dict[object, object] = {source: source}
        queue: list[object] = [source]
        while queue and sink not in came_from:
            node = queue.pop(0)
            for nxt in neighbours.get(node, ()):
                if nxt not in came_from and capacity[node, nxt] > 0:
                    came_from[nxt] = node
                    queue.append(nxt)
        if sink not in came_from:
            return flow
        node = sink
        while node != source:
            before = came_from[node]
            capacity[before, node] -= 1
            capacity[node, before] += 1
            node = before
        flow += 1


def run(
    people: list[Person], cases: list[CaseToAllocate], already: dict[int, int], cap: int, seed: int
) -> Allocation:
    return allocate(cases, auditors_from_roster(people, already), cap=cap, seed=seed)


@given(people=rosters())
def test_tiers_follow_the_line_management_tree(people: list[Person]) -> None:
    assert manager_tiers(people) == tiers_by_definition(people)


@settings(max_examples=200)
@given(scenario=scenarios(), seed=st.integers(min_value=0, max_value=2**32))
def test_every_rule_holds_and_nothing_is_left_that_could_be_placed(
    scenario: tuple[list[Person], list[CaseToAllocate], dict[int, int], int], seed: int
) -> None:
    people, cases, already, cap = scenario
    tiers = tiers_by_definition(people)

    allocation = run(people, cases, already, cap, seed)

    placed = [case.case_ref for case, _ in allocation.assignments]
    left = [case.case_ref for case, _ in allocation.unallocated]
    assert sorted(placed + left) == sorted(c.case_ref for c in cases)
    assert len(placed) == most_placeable(people, cases, already, cap)
    load = Counter(auditor.staff_id for _, auditor in allocation.assignments)
    for staff_id, count in load.items():
        assert already.get(staff_id, 0) + count <= cap
    for case, auditor in allocation.assignments:
        assert auditor.staff_id in tiers
        assert not breaks_a_rule(people, case, auditor.staff_id)
        if case.enhanced:
            assert tiers[auditor.staff_id] >= 2
    for case, reason in allocation.unallocated:
        legal = legal_auditors(people, case)
        if reason is Unallocated.EVERY_AUDITOR_AT_CAP:
            assert legal
            assert all(already.get(s, 0) + load[s] >= cap for s in legal)
        else:
            assert legal == []
            assert (reason is Unallocated.NO_SENIOR_AUDITOR) == case.enhanced


@settings(max_examples=200)
@given(scenario=scenarios(), seed=st.integers(min_value=0, max_value=2**32))
def test_every_tier_that_can_take_a_case_gets_one(
    scenario: tuple[list[Person], list[CaseToAllocate], dict[int, int], int], seed: int
) -> None:
    people, cases, already, cap = scenario
    tiers = tiers_by_definition(people)

    allocation = run(people, cases, already, cap, seed)

    used = {tiers[auditor.staff_id] for _, auditor in allocation.assignments}
    assert len(used) == most_tiers_coverable(people, cases, already, cap)


@given(scenario=scenarios(), seed=st.integers(min_value=0, max_value=2**32))
def test_the_same_seed_allocates_the_same_way(
    scenario: tuple[list[Person], list[CaseToAllocate], dict[int, int], int], seed: int
) -> None:
    people, cases, already, cap = scenario

    assert run(people, cases, already, cap, seed) == run(
        list(reversed(people)), cases, already, cap, seed
    )


def test_a_small_council_uses_every_tier_and_keeps_enhanced_audits_senior() -> None:
    # 1 DCS, 2 heads of service, 4 team managers, 8 practitioners; teams 1 to 4.
    people = [Person(1, None, None), Person(2, 1, None), Person(3, 1, None)]
    people += [Person(3 + t, 2 if t <= 2 else 3, t) for t in range(1, 5)]
    people += [Person(7 + n, 3 + (n + 1) // 2, (n + 1) // 2) for n in range(1, 9)]
    cases = [CaseToAllocate(f"CR-{n}", 1 + n % 4, 8 + n % 8, enhanced=n < 2) for n in range(10)]

    allocation = allocate(cases, auditors_from_roster(people), cap=3, seed=7)

    tiers = manager_tiers(people)
    assert {tiers[a.staff_id] for _, a in allocation.assignments} == {1, 2, 3}
    assert all(tiers[a.staff_id] >= 2 for c, a in allocation.assignments if c.enhanced)
    assert allocation.unallocated == ()


def test_a_case_nobody_may_audit_is_left_with_the_reason() -> None:
    # One team manager and their practitioner: the manager may not audit their team's case.
    people = [Person(1, None, 1), Person(2, 1, 1)]
    cases = [
        CaseToAllocate("CR-1", 1, 2, enhanced=False),
        CaseToAllocate("CR-2", 2, 9, enhanced=True),
    ]

    allocation = allocate(cases, auditors_from_roster(people), cap=3, seed=1)

    assert allocation.assignments == ()
    assert [(c.case_ref, r) for c, r in allocation.unallocated] == [
        ("CR-1", Unallocated.NO_LEGAL_AUDITOR),
        ("CR-2", Unallocated.NO_SENIOR_AUDITOR),
    ]


@given(seed=st.integers(min_value=0, max_value=2**32))
def test_a_case_with_one_choice_is_placed_when_the_others_can_move(seed: int) -> None:
    # Team managers A, B, C manage teams 1, 2, 3; C's report 33 works in team 3.
    # Case a (team 3) may go to A or B, case b (team 2, worked by 33) only to A, case c
    # (team 1) to B or C: with a cap of 1 only a->B, b->A, c->C places all three.
    a_, b_, c_ = (
        Auditor(staff_id, 1, frozenset({team}), frozenset(reports))
        for staff_id, team, reports in ((1, 1, ()), (2, 2, ()), (3, 3, (33,)))
    )
    cases = [
        CaseToAllocate("a", 3, None, enhanced=False),
        CaseToAllocate("b", 2, 33, enhanced=False),
        CaseToAllocate("c", 1, None, enhanced=False),
    ]

    allocation = allocate(cases, [a_, b_, c_], cap=1, seed=seed)

    assert allocation.unallocated == ()
    assert [(case.case_ref, auditor.staff_id) for case, auditor in allocation.assignments] == [
        ("a", 2),
        ("b", 1),
        ("c", 3),
    ]
