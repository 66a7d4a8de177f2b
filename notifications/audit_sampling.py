"""This module draws the month's audit sample: stratified, proportional and reproducible.

Pure: plain data in, plain data out, the same answer for the same seed. The sample is
stratified by category and then by team: each category's share of the sample is its share
of the eligible open cases (largest-remainder rounding), every category with an eligible
case gets at least one when the size allows, and within a category the teams share its
places the same way. Cases are then picked at random within each stratum.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True, slots=True)
class CaseCandidate:
    """An open case that may be drawn."""

    case_ref: str
    category: str
    team_id: int | None
    worker_id: int | None


@dataclass(frozen=True, slots=True)
class Stratum:
    """One category and team: how many cases could be drawn from it and how many were."""

    category: str
    team_id: int | None
    eligible: int
    drawn: int


@dataclass(frozen=True, slots=True)
class DrawnCase:
    """A case in the sample, and whether it gets the enhanced, face-to-face audit."""

    case: CaseCandidate
    enhanced: bool


@dataclass(frozen=True, slots=True)
class Sample:
    """The drawn cases (in a stable order), the strata and what was left out."""

    cases: tuple[DrawnCase, ...]
    strata: tuple[Stratum, ...]
    excluded_recently_audited: int
    # Asked for more than there are eligible cases: the sample is every eligible case.
    shortfall: int


def enhanced_count(size: int, percent: int) -> int:
    """How many of `size` cases get an enhanced audit: `percent` of them, rounded half up,
    at least one when the percentage is above zero, never more than the sample."""
    if size <= 0 or percent <= 0:
        return 0
    share = (Decimal(size) * Decimal(percent) / Decimal(100)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return min(size, max(1, int(share)))


def apportion(total: int, counts: Mapping[Key, int], *, at_least_one: bool) -> dict[Key, int]:
    """Shares `total` places among groups in proportion to their counts (Hamilton's
    largest-remainder method), never giving a group more places than it has members.

    With `at_least_one`, every non-empty group gets a place when there are enough places
    for all of them; the place comes from the group with the most.
    """
    groups = [key for key, count in counts.items() if count > 0]
    available = sum(counts[key] for key in groups)
    total = max(0, min(total, available))
    shares: dict[Key, int] = dict.fromkeys(counts, 0)
    if total == 0:
        return shares
    # Exact fractions (numerators over `available`) so that ties are real ties.
    exact = {key: total * counts[key] for key in groups}
    for key in groups:
        shares[key] = exact[key] // available
    left = total - sum(shares.values())
    # Largest remainder first; ties go to the larger group, then to the earlier key.
    order = sorted(
        range(len(groups)),
        key=lambda i: (-(exact[groups[i]] % available), -counts[groups[i]], i),
    )
    for index in order[:left]:
        shares[groups[index]] += 1
    if at_least_one and total >= len(groups):
        for key in groups:
            if shares[key] == 0:
                donor = max(groups, key=lambda k: (shares[k], counts[k]))
                shares[donor] -= 1
                shares[key] += 1
    return shares


def draw_sample(
    cases: Sequence[CaseCandidate],
    *,
    size: int,
    enhanced_percent: int,
    seed: int,
    recently_audited: Collection[str] = frozenset(),
    category_order: Sequence[str] = (),
    may_be_enhanced: Callable[[CaseCandidate], bool] | None = None,
) -> Sample:
    """The month's sample of `size` cases from `cases`, leaving out `recently_audited`.

    Args:
        cases: the open cases, in any order (the draw sorts them, so the order given
            never changes the result).
        category_order: how categories are listed and broken ties between; categories
            not named come after, alphabetically.
        may_be_enhanced: whether a case could have an enhanced audit (someone senior
            enough may audit it); the enhanced ones are picked among those first, and
            among the rest only when there are too few.
    """
    rng = random.Random(f"sample:{seed}")
    excluded = frozenset(recently_audited)
    eligible = sorted((c for c in cases if c.case_ref not in excluded), key=lambda c: c.case_ref)
    by_stratum: dict[tuple[str, int | None], list[CaseCandidate]] = defaultdict(list)
    for case in eligible:
        by_stratum[(case.category, case.team_id)].append(case)
    rank = {category: i for i, category in enumerate(category_order)}
    categories = sorted(
        {category for category, _ in by_stratum},
        key=lambda c: (rank.get(c, len(rank)), c),
    )
    category_sizes = {
        category: sum(len(v) for (c, _), v in by_stratum.items() if c == category)
        for category in categories
    }
    category_shares = apportion(size, category_sizes, at_least_one=True)
    strata: list[Stratum] = []
    chosen: list[CaseCandidate] = []
    for category in categories:
        teams = sorted(
            (team for c, team in by_stratum if c == category),
            key=lambda t: (t is None, t or 0),
        )
        team_shares = apportion(
            category_shares[category],
            {team: len(by_stratum[(category, team)]) for team in teams},
            at_least_one=False,
        )
        for team in teams:
            members = by_stratum[(category, team)]
            picked = rng.sample(members, team_shares[team])
            chosen += sorted(picked, key=lambda c: c.case_ref)
            strata.append(Stratum(category, team, len(members), team_shares[team]))
    wanted = enhanced_count(len(chosen), enhanced_percent)
    able = [i for i, case in enumerate(chosen) if may_be_enhanced is None or may_be_enhanced(case)]
    others = sorted(set(range(len(chosen))) - set(able))
    enhanced = set(rng.sample(able, min(wanted, len(able))))
    enhanced |= set(rng.sample(others, wanted - len(enhanced)))
    return Sample(
        cases=tuple(DrawnCase(case, i in enhanced) for i, case in enumerate(chosen)),
        strata=tuple(strata),
        excluded_recently_audited=sum(1 for c in cases if c.case_ref in excluded),
        shortfall=max(0, size - len(eligible)),
    )
