"""The demo's dates sit around today on working days, and its finished items were finished
on working days in the weeks before it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from demo.loader import (
    DEMO_ANCHOR,
    FINISHED_EARLY_DAYS,
    FINISHED_LATE_DAYS,
    demo_day,
    demo_table,
    finished_at,
)
from knowledge.working_days import WorkingDays
from store.importers.fields import parse_date
from store.importers.runner import ImportKind

CALENDAR = WorkingDays()
LONDON = ZoneInfo("Europe/London")
# Every week of two years around the demo's anchor, on each day of the week in turn, so
# every date of the files meets Christmas, New Year and Easter.
TODAYS = [DEMO_ANCHOR + timedelta(weeks=week, days=week % 7) for week in range(-52, 53)]
DATED = {ImportKind.ACTIONS: "due_date", ImportKind.AUDITS: "due_date", ImportKind.EVENTS: "date"}


def dates(kind: ImportKind, today: date) -> dict[str, date]:
    """The demo file's rows (by ref, or title for events) and their moved dates."""
    key = "title" if kind is ImportKind.EVENTS else "ref"
    return {
        f"{row.cells[key]} {n}": parse_date(row.cells[DATED[kind]])
        for n, row in enumerate(demo_table(kind, today, CALENDAR).rows)
    }


def finished_items(today: date) -> list[tuple[str, date]]:
    """(ref, moved due date) of every action and audit the demo files mark complete."""
    return [
        (row.cells["ref"], parse_date(row.cells["due_date"]))
        for kind in (ImportKind.ACTIONS, ImportKind.AUDITS)
        for row in demo_table(kind, today, CALENDAR).rows
        if row.cells["status"].strip().lower() == "complete"
    ]


def test_every_demo_event_is_on_a_working_day_and_not_on_christmas_or_new_years_eve() -> None:
    for today in TODAYS:
        for title, day in dates(ImportKind.EVENTS, today).items():
            assert CALENDAR.is_working_day(day), (today, title, day)
            assert (day.month, day.day) not in {(12, 24), (12, 31)}, (today, title, day)


@pytest.mark.parametrize("kind", [ImportKind.ACTIONS, ImportKind.AUDITS])
def test_every_demo_due_date_is_a_working_day(kind: ImportKind) -> None:
    for today in TODAYS:
        for ref, day in dates(kind, today).items():
            assert CALENDAR.is_working_day(day), (today, ref, day)


def test_a_demo_date_stays_on_its_weekday_when_that_is_a_working_day() -> None:
    written = dates(ImportKind.EVENTS, DEMO_ANCHOR)
    moved = dates(ImportKind.EVENTS, DEMO_ANCHOR + timedelta(weeks=10))

    assert all((moved[title] - day).days == 70 for title, day in written.items())


@pytest.mark.parametrize(
    ("written", "weeks", "event", "expected"),
    [
        # The Improvement Board of Thursday 17 December, a week on: Christmas Eve, then
        # Christmas Day and Boxing Day (observed on Monday 28th) are passed over.
        (date(2026, 12, 17), 1, True, date(2026, 12, 29)),
        # A due date may be Christmas Eve, a working day.
        (date(2026, 12, 17), 1, False, date(2026, 12, 24)),
        # Monday 21 December, a week on: Boxing Day observed.
        (date(2026, 12, 21), 1, True, date(2026, 12, 29)),
        # New Year's Eve, then New Year's Day.
        (date(2026, 12, 17), 2, True, date(2027, 1, 4)),
        (date(2026, 12, 17), 2, False, date(2026, 12, 31)),
        # Good Friday and Easter Monday 2027.
        (date(2027, 3, 19), 1, True, date(2027, 3, 30)),
        (date(2027, 3, 22), 1, False, date(2027, 3, 30)),
        # An ordinary week.
        (date(2026, 11, 19), 2, True, date(2026, 12, 3)),
    ],
)
def test_a_demo_date_on_a_day_off_moves_to_the_next_working_day(
    written: date, weeks: int, event: bool, expected: date
) -> None:
    assert demo_day(written, weeks, CALENDAR, event=event) == expected


def test_this_weeks_demo_calendar_has_no_event_over_christmas() -> None:
    # Loaded on Tuesday 1 December 2026 the files move one week: the Improvement Board of
    # 17 December would be on Christmas Eve and the plan update of 21 December on the
    # Monday that is Boxing Day's holiday.
    moved = dates(ImportKind.EVENTS, date(2026, 12, 1))

    assert moved["Improvement Board 7"] == date(2026, 12, 29)
    assert moved["Improvement plan update due to Ofsted 8"] == date(2026, 12, 29)


def test_items_were_finished_on_working_days_before_today_near_their_due_date() -> None:
    for today in TODAYS:
        for ref, due in finished_items(today):
            finished = finished_at(ref, due, today, CALENDAR, LONDON)
            local = finished.astimezone(LONDON)

            assert local.date() < today, (today, ref)
            assert CALENDAR.is_working_day(local.date()), (today, ref, local)
            assert time(9) <= local.time() < time(17), (today, ref, local)
            assert local.date() <= CALENDAR.add(due, FINISHED_LATE_DAYS), (today, ref, local)
            if local.date() < CALENDAR.add(today, -5):
                # Only an item finished early, in the last week, is earlier than this.
                assert local.date() >= CALENDAR.add(due, -FINISHED_EARLY_DAYS), (today, ref)


def test_finishing_times_are_spread_over_the_past_weeks_and_the_same_on_every_load() -> None:
    today = date(2026, 12, 1)
    finished = [finished_at(ref, due, today, CALENDAR) for ref, due in finished_items(today)]

    assert finished == [finished_at(r, d, today, CALENDAR) for r, d in finished_items(today)]
    days = {f.date() for f in finished}
    assert len(days) >= 10
    assert min(days) < date(2026, 10, 1) < date(2026, 11, 23) < max(days)
    assert all(f.tzinfo is UTC for f in finished)
    assert max(finished) < datetime.combine(today, time.min, tzinfo=UTC)
