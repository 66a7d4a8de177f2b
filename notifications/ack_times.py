"""This module measures how quickly people acknowledged the inspection call: the median
and the 90th percentile, overall and by team, as the status card and the export show."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

NO_TEAM = "No team"


@dataclass(frozen=True, slots=True)
class AckTimes:
    """Minutes from the call to each acknowledgement, summarised."""

    group: str
    acknowledged: int
    median_minutes: float
    p90_minutes: float

    def describe(self) -> str:
        """ "median 4 min, 90% within 12 min (9 acknowledged)"."""
        median = "under 1 min" if self.median_minutes < 1 else f"{round(self.median_minutes)} min"
        # "Within": rounded up, so that it stays true.
        within = max(math.ceil(self.p90_minutes), 1)
        return f"median {median}, 90% within {within} min ({self.acknowledged} acknowledged)"


def minutes_to_acknowledge(called_at: datetime, acknowledged_at: datetime) -> float:
    """Minutes between the call and one acknowledgement, never negative."""
    return max((acknowledged_at - called_at).total_seconds() / 60, 0.0)


def summarise(
    called_at: datetime, acknowledgements: list[tuple[str | None, datetime]]
) -> tuple[AckTimes | None, list[AckTimes]]:
    """(everyone, each team by name) for (team, acknowledged at) pairs; None overall when
    nobody has acknowledged yet."""
    if not acknowledgements:
        return None, []
    by_team: dict[str, list[float]] = defaultdict(list)
    everyone = []
    for team, moment in acknowledgements:
        minutes = minutes_to_acknowledge(called_at, moment)
        everyone.append(minutes)
        by_team[team or NO_TEAM].append(minutes)
    teams = [_summary(name, values) for name, values in sorted(by_team.items())]
    return _summary("Everyone", everyone), teams


def _summary(group: str, values: list[float]) -> AckTimes:
    ordered = sorted(values)
    # The nearest-rank 90th percentile: the time by which 90% had acknowledged.
    rank = max(math.ceil(0.9 * len(ordered)), 1)
    return AckTimes(group, len(ordered), statistics.median(ordered), ordered[rank - 1])
