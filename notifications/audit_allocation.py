"""This module allocates drawn cases to auditors: fairly, at random, within the rules.

Pure: plain data in, plain data out, the same answer for the same seed.

The rules, none of which is ever broken to fill a place:
- auditors are the managers of the line-management tree (see `manager_tiers`);
- nobody audits a case they work, a case worked by one of their direct reports, or a case
  in a team they manage directly (their own team or the team of any direct report);
- nobody gets more than the monthly cap, counting audits already due that month;
- enhanced audits go to tier 2 and above (heads of service and more senior), never to team
  managers.
A case with no legal auditor left is not allocated, and the reason says why.

Within the rules: first every tier that can take a case gets one (a matching of tiers to
cases, so no tier is crowded out by another), then the most constrained cases are placed
first, each with a random choice among its legal auditors with the fewest audits that month.
Last, a case still waiting is placed by an augmenting path (Kuhn's algorithm, each auditor
holding up to their cap): audits already placed move between auditors to make room, so
as many cases are allocated as any legal allocation could. A move never takes an
auditor's last case of the draw away (each auditor on a path gives one case and gets
one), so every tier covered by the first step stays covered. Ties fall by the seed
throughout, so the same draw allocates the same way.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

# Tier 2 (managers of team managers: heads of service) and above may do enhanced audits.
SENIOR_TIER = 2


@dataclass(frozen=True, slots=True)
class Person:
    """Someone on the roster, as the line-management tree sees them."""

    staff_id: int
    manager_id: int | None
    team_id: int | None


@dataclass(frozen=True, slots=True)
class Auditor:
    """A manager who may audit, with what rules them out and how busy they already are."""

    staff_id: int
    tier: int
    # Their own team and the teams of their direct reports.
    managed_team_ids: frozenset[int]
    direct_report_ids: frozenset[int]
    # Audits already due this month (from imports or an earlier draw).
    already_assigned: int = 0


@dataclass(frozen=True, slots=True)
class CaseToAllocate:
    """A drawn case."""

    case_ref: str
    team_id: int | None
    worker_id: int | None
    enhanced: bool


class Unallocated(StrEnum):
    """Why a case was left without an auditor."""

    NO_LEGAL_AUDITOR = "no manager may audit it (each works it, manages its worker or team)"
    NO_SENIOR_AUDITOR = (
        "enhanced: no head of service or above may audit it (each works it, manages its "
        "worker or team)"
    )
    EVERY_AUDITOR_AT_CAP = "every manager who may audit it already has the monthly maximum"


@dataclass(frozen=True, slots=True)
class Allocation:
    """Who audits which case, and the cases left over with the reason."""

    assignments: tuple[tuple[CaseToAllocate, Auditor], ...]
    unallocated: tuple[tuple[CaseToAllocate, Unallocated], ...]


def manager_tiers(people: Sequence[Person]) -> dict[int, int]:
    """Each manager's tier in the line-management tree, by staff id.

    Someone with no direct reports is tier 0 (not a manager, so not an auditor). A manager
    is one tier above the most senior of their direct reports: tier 1 manages only
    practitioners (team managers), tier 2 manages team managers (heads of service), and so
    on up to the top of the tree (the Director of Children's Services). A loop in the tree
    (the staff import refuses them) is cut where it closes.
    """
    reports: dict[int, list[int]] = defaultdict(list)
    known = {person.staff_id for person in people}
    for person in people:
        if person.manager_id is not None and person.manager_id in known:
            reports[person.manager_id].append(person.staff_id)
    tiers: dict[int, int] = {}

    def tier_of(staff_id: int, path: frozenset[int]) -> int:
        if staff_id in tiers:
            return tiers[staff_id]
        below = [r for r in reports.get(staff_id, ()) if r not in path]
        tier = 1 + max((tier_of(r, path | {staff_id}) for r in below), default=-1)
        tiers[staff_id] = tier
        return tier

    # Recursion is fine: a council's tree is a handful of tiers deep.
    for person in sorted(people, key=lambda p: p.staff_id):
        tier_of(person.staff_id, frozenset())
    return {staff_id: tier for staff_id, tier in tiers.items() if tier > 0}


def auditors_from_roster(
    people: Sequence[Person], already_assigned: Mapping[int, int] | None = None
) -> list[Auditor]:
    """Every manager as an Auditor, with their conflicts worked out from the tree."""
    tiers = manager_tiers(people)
    already_assigned = already_assigned or {}
    reports: dict[int, list[Person]] = defaultdict(list)
    for person in people:
        if person.manager_id is not None:
            reports[person.manager_id].append(person)
    auditors = []
    for person in sorted(people, key=lambda p: p.staff_id):
        tier = tiers.get(person.staff_id)
        if tier is None:
            continue
        teams = {r.team_id for r in reports[person.staff_id] if r.team_id is not None}
        if person.team_id is not None:
            teams.add(person.team_id)
        auditors.append(
            Auditor(
                staff_id=person.staff_id,
                tier=tier,
                managed_team_ids=frozenset(teams),
                direct_report_ids=frozenset(r.staff_id for r in reports[person.staff_id]),
                already_assigned=already_assigned.get(person.staff_id, 0),
            )
        )
    return auditors


def may_audit(auditor: Auditor, case: CaseToAllocate) -> bool:
    """Whether the rules let `auditor` audit `case`, leaving the cap aside."""
    if case.enhanced and auditor.tier < SENIOR_TIER:
        return False
    if case.worker_id is not None and (
        case.worker_id == auditor.staff_id or case.worker_id in auditor.direct_report_ids
    ):
        return False
    return case.team_id is None or case.team_id not in auditor.managed_team_ids


def allocate(
    cases: Sequence[CaseToAllocate], auditors: Sequence[Auditor], *, cap: int, seed: int
) -> Allocation:
    """Allocates `cases` among `auditors`, at most `cap` audits each in the month."""
    rng = random.Random(f"allocate:{seed}")
    people = sorted(auditors, key=lambda a: a.staff_id)
    load = {a.staff_id: a.already_assigned for a in people}
    legal = {
        case.case_ref: [a for a in people if may_audit(a, case)]
        for case in sorted(cases, key=lambda c: c.case_ref)
    }
    by_ref = {case.case_ref: case for case in cases}
    placed: dict[str, Auditor] = {}

    def free(candidates: Sequence[Auditor]) -> list[Auditor]:
        return [a for a in candidates if load[a.staff_id] < cap]

    def place(case_ref: str, candidates: Sequence[Auditor]) -> None:
        lightest = min(load[a.staff_id] for a in candidates)
        auditor = rng.choice([a for a in candidates if load[a.staff_id] == lightest])
        placed[case_ref] = auditor
        load[auditor.staff_id] += 1

    for tier, case_ref in _tier_matching(legal, free).items():
        place(case_ref, [a for a in free(legal[case_ref]) if a.tier == tier])

    # The cases with the fewest possible auditors go first, so that a case with few
    # choices is not left without one by a case that had many; ties fall at random.
    waiting = [ref for ref in legal if ref not in placed]
    rng.shuffle(waiting)
    waiting.sort(key=lambda ref: len(free(legal[ref])))
    for case_ref in waiting:
        candidates = free(legal[case_ref])
        if candidates:
            place(case_ref, candidates)
    _augment(
        [ref for ref in waiting if ref not in placed and legal[ref]],
        legal,
        placed,
        load,
        cap,
        rng,
    )
    unallocated: list[tuple[CaseToAllocate, Unallocated]] = []
    for case_ref in waiting:
        if case_ref in placed:
            continue
        if legal[case_ref]:
            unallocated.append((by_ref[case_ref], Unallocated.EVERY_AUDITOR_AT_CAP))
        elif by_ref[case_ref].enhanced:
            unallocated.append((by_ref[case_ref], Unallocated.NO_SENIOR_AUDITOR))
        else:
            unallocated.append((by_ref[case_ref], Unallocated.NO_LEGAL_AUDITOR))
    order = {case.case_ref: i for i, case in enumerate(cases)}
    return Allocation(
        assignments=tuple(
            (by_ref[ref], placed[ref]) for ref in sorted(placed, key=lambda r: order[r])
        ),
        unallocated=tuple(sorted(unallocated, key=lambda u: order[u[0].case_ref])),
    )


def _tier_matching(
    legal: Mapping[str, Sequence[Auditor]],
    free: Callable[[Sequence[Auditor]], list[Auditor]],
) -> dict[int, str]:
    """As many tiers as possible, each matched to a different case one of its free
    members may audit (Kuhn's augmenting paths: a handful of tiers, tens of cases)."""
    options: dict[int, list[str]] = defaultdict(list)
    for case_ref, candidates in legal.items():
        for tier in sorted({a.tier for a in free(candidates)}):
            options[tier].append(case_ref)
    matched_case: dict[str, int] = {}

    def augment(tier: int, seen: set[str]) -> bool:
        for case_ref in options[tier]:
            if case_ref in seen:
                continue
            seen.add(case_ref)
            holder = matched_case.get(case_ref)
            if holder is None or augment(holder, seen):
                matched_case[case_ref] = tier
                return True
        return False

    for tier in sorted(options):
        augment(tier, set())
    return {tier: case_ref for case_ref, tier in matched_case.items()}


def _augment(
    waiting: Sequence[str],
    legal: Mapping[str, Sequence[Auditor]],
    placed: dict[str, Auditor],
    load: dict[int, int],
    cap: int,
    rng: random.Random,
) -> None:
    """Places each waiting case by an augmenting path, if one exists, moving placed cases
    between auditors to make room (Kuhn's algorithm with a capacity per auditor).

    Once no waiting case has a path, the allocation is as large as any could be (Berge).
    A case that finds no path finds none later either, so one pass is enough; the passes
    repeat only as a guard. Candidates are tried lightest first, ties in a seeded order.
    """
    holding: dict[int, list[str]] = defaultdict(list)
    for case_ref, auditor in placed.items():
        holding[auditor.staff_id].append(case_ref)
    for refs in holding.values():
        refs.sort()

    def ordered(candidates: Sequence[Auditor]) -> list[Auditor]:
        shuffled = list(candidates)
        rng.shuffle(shuffled)
        return sorted(shuffled, key=lambda a: load[a.staff_id])

    def find_path(case_ref: str, seen: set[int]) -> bool:
        for auditor in ordered(legal[case_ref]):
            if auditor.staff_id in seen:
                continue
            seen.add(auditor.staff_id)
            if load[auditor.staff_id] < cap:
                load[auditor.staff_id] += 1
            else:
                # Full: make room by moving one of this draw's cases on, if one can move.
                for other in holding[auditor.staff_id]:
                    if find_path(other, seen):
                        holding[auditor.staff_id].remove(other)
                        break
                else:
                    continue
            placed[case_ref] = auditor
            holding[auditor.staff_id].append(case_ref)
            return True
        return False

    remaining = list(waiting)
    while remaining:
        still = [ref for ref in remaining if not find_path(ref, set())]
        if len(still) == len(remaining):
            return
        remaining = still
