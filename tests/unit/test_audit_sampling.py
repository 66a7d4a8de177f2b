"""Properties of the audit sample: proportions, exclusions, representation, reproducibility."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.audit_sampling import (
    CaseCandidate,
    apportion,
    draw_sample,
    enhanced_count,
)

CATEGORIES = ("early help", "child in need", "child protection", "child in care", "care leaver")


@st.composite
def caseloads(draw: st.DrawFn) -> list[CaseCandidate]:
    count = draw(st.integers(min_value=0, max_value=120))
    return [
        CaseCandidate(
            case_ref=f"CR-{number:05d}",
            category=draw(st.sampled_from(CATEGORIES)),
            team_id=draw(st.integers(min_value=1, max_value=4)),
            worker_id=draw(st.integers(min_value=1, max_value=30)),
        )
        for number in range(count)
    ]


sizes = st.integers(min_value=0, max_value=80)
seeds = st.integers(min_value=0, max_value=2**63 - 1)
percents = st.integers(min_value=0, max_value=100)


@given(
    total=st.integers(min_value=0, max_value=200),
    counts=st.dictionaries(st.text(max_size=3), st.integers(min_value=0, max_value=60)),
)
def test_apportion_shares_the_places_in_proportion(total: int, counts: dict[str, int]) -> None:
    shares = apportion(total, counts, at_least_one=False)
    available = sum(counts.values())

    assert sum(shares.values()) == min(total, available)
    for key, count in counts.items():
        assert 0 <= shares[key] <= count
        if available:
            # Largest remainder: every share is its exact quota rounded down or up.
            quota = min(total, available) * count / available
            assert quota - 1 < shares[key] < quota + 1


@given(
    total=st.integers(min_value=0, max_value=200),
    counts=st.dictionaries(st.text(max_size=3), st.integers(min_value=0, max_value=60)),
)
def test_apportion_gives_every_group_a_place_when_there_are_enough(
    total: int, counts: dict[str, int]
) -> None:
    shares = apportion(total, counts, at_least_one=True)
    groups = [key for key, count in counts.items() if count > 0]

    assert sum(shares.values()) == min(total, sum(counts.values()))
    assert all(shares[key] <= counts[key] for key in counts)
    if total >= len(groups):
        assert all(shares[key] >= 1 for key in groups)


def test_apportion_of_seventy_across_uneven_categories() -> None:
    counts = {"child in need": 9000, "child protection": 3000, "child in care": 7000, "x": 1}

    # Quotas 33.16, 11.05, 25.79 and 0.004: floors 33, 11, 25, 0; the one place left goes
    # to the largest remainder (0.79); the one-case category's place comes from the largest.
    assert apportion(70, counts, at_least_one=True) == {
        "child in need": 32,
        "child protection": 11,
        "child in care": 26,
        "x": 1,
    }


@settings(max_examples=150)
@given(cases=caseloads(), size=sizes, percent=percents, seed=seeds, data=st.data())
def test_the_sample_is_proportional_excludes_and_represents_every_category(
    cases: list[CaseCandidate], size: int, percent: int, seed: int, data: st.DataObject
) -> None:
    refs = [c.case_ref for c in cases]
    recent = set(data.draw(st.lists(st.sampled_from(refs), unique=True) if refs else st.just([])))

    sample = draw_sample(
        cases, size=size, enhanced_percent=percent, seed=seed, recently_audited=recent
    )

    eligible = [c for c in cases if c.case_ref not in recent]
    drawn = [d.case for d in sample.cases]
    assert len(drawn) == min(size, len(eligible))
    assert len({c.case_ref for c in drawn}) == len(drawn)
    assert not {c.case_ref for c in drawn} & recent
    assert sample.excluded_recently_audited == len(recent)
    assert sample.shortfall == max(0, size - len(eligible))
    by_category = Counter(c.category for c in drawn)
    eligible_by_category = Counter(c.category for c in eligible)
    if len(drawn) >= len(eligible_by_category):
        assert set(by_category) == set(eligible_by_category)
    for category, count in eligible_by_category.items():
        quota = len(drawn) * count / len(eligible)
        # Rounding moves a share by less than one; representing a small category may take
        # one more place from each of the others.
        slack = 1 + len(eligible_by_category)
        assert quota - slack < by_category[category] < quota + slack
    for stratum in sample.strata:
        assert stratum.drawn == sum(
            1 for c in drawn if (c.category, c.team_id) == (stratum.category, stratum.team_id)
        )
        assert stratum.drawn <= stratum.eligible
    assert sum(1 for d in sample.cases if d.enhanced) == enhanced_count(len(drawn), percent)


@given(cases=caseloads(), size=sizes, percent=percents, seed=seeds, flip=st.randoms())
def test_the_same_seed_draws_the_same_sample_whatever_the_order_given(
    cases: list[CaseCandidate], size: int, percent: int, seed: int, flip: random.Random
) -> None:
    shuffled = list(cases)
    flip.shuffle(shuffled)

    first = draw_sample(cases, size=size, enhanced_percent=percent, seed=seed)
    again = draw_sample(shuffled, size=size, enhanced_percent=percent, seed=seed)

    assert first == again


def test_a_different_seed_draws_a_different_sample() -> None:
    cases = [CaseCandidate(f"CR-{n}", "child in need", 1, 1) for n in range(1000)]

    first = draw_sample(cases, size=70, enhanced_percent=10, seed=1)
    other = draw_sample(cases, size=70, enhanced_percent=10, seed=2)

    assert {d.case.case_ref for d in first.cases} != {d.case.case_ref for d in other.cases}


def test_enhanced_count_rounds_half_up_and_is_at_least_one() -> None:
    assert [enhanced_count(70, 10), enhanced_count(5, 10), enhanced_count(15, 10)] == [7, 1, 2]
    assert [enhanced_count(0, 10), enhanced_count(70, 0), enhanced_count(3, 100)] == [0, 0, 3]


@given(cases=caseloads(), size=sizes, first_seed=seeds, second_seed=seeds)
def test_a_later_draw_never_repeats_a_case_an_earlier_one_drew(
    cases: list[CaseCandidate], size: int, first_seed: int, second_seed: int
) -> None:
    first = draw_sample(cases, size=size, enhanced_percent=10, seed=first_seed)
    audited = {d.case.case_ref for d in first.cases}

    second = draw_sample(
        cases, size=size, enhanced_percent=10, seed=second_seed, recently_audited=audited
    )

    assert not audited & {d.case.case_ref for d in second.cases}
    assert len(second.cases) == min(size, len(cases) - len(audited))


@given(
    cases=caseloads(),
    size=sizes,
    percent=percents,
    seed=seeds,
    senior_teams=st.sets(st.integers(1, 4)),
)
def test_enhanced_audits_go_first_to_cases_someone_senior_may_audit(
    cases: list[CaseCandidate], size: int, percent: int, seed: int, senior_teams: set[int]
) -> None:
    def may_be_enhanced(case: CaseCandidate) -> bool:
        return case.team_id in senior_teams

    sample = draw_sample(
        cases, size=size, enhanced_percent=percent, seed=seed, may_be_enhanced=may_be_enhanced
    )

    enhanced = [d.case for d in sample.cases if d.enhanced]
    able = [d.case for d in sample.cases if may_be_enhanced(d.case)]
    assert len(enhanced) == enhanced_count(len(sample.cases), percent)
    assert sum(1 for c in enhanced if may_be_enhanced(c)) == min(len(enhanced), len(able))
    # Who may be enhanced changes which cases are enhanced, never which cases are drawn.
    plain = draw_sample(cases, size=size, enhanced_percent=percent, seed=seed)
    assert [d.case for d in sample.cases] == [d.case for d in plain.cases]
