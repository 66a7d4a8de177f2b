"""Time to acknowledge the inspection call: median and 90th percentile, by team."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from notifications.ack_times import NO_TEAM, AckTimes, summarise

CALLED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return CALLED + timedelta(minutes=minutes)


def test_nobody_yet_gives_nothing_to_show() -> None:
    assert summarise(CALLED, []) == (None, [])


def test_median_and_90th_percentile_overall_and_by_team() -> None:
    acknowledged: list[tuple[str | None, datetime]] = [
        ("Front door", at(m)) for m in (1, 2, 3, 4, 5, 6, 7, 8, 9, 30)
    ]
    acknowledged += [(None, at(0.25))]

    overall, teams = summarise(CALLED, acknowledged)

    assert overall == AckTimes("Everyone", 11, 5, 9)
    assert teams == [AckTimes("Front door", 10, 5.5, 9), AckTimes(NO_TEAM, 1, 0.25, 0.25)]
    assert overall.describe() == "median 5 min, 90% within 9 min (11 acknowledged)"
    assert teams[1].describe() == "median under 1 min, 90% within 1 min (1 acknowledged)"


def test_a_clock_a_little_behind_never_gives_a_negative_time() -> None:
    overall, _ = summarise(CALLED, [("A", CALLED - timedelta(seconds=3))])

    assert overall is not None
    assert overall.median_minutes == 0
