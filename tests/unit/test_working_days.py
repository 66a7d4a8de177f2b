"""Working days in England and Wales: weekends and bank holidays do not count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from knowledge.working_days import WorkingDays

CALENDAR = WorkingDays()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 25), True),  # a Wednesday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 12, 25), False),  # Christmas Day
        (date(2026, 12, 28), False),  # Boxing Day, observed on the Monday
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2026, 3, 17), True),  # St Patrick's Day is a holiday in Northern Ireland only
        (date(2026, 11, 30), True),  # St Andrew's Day is a holiday in Scotland only
    ],
)
def test_is_working_day(day: date, expected: bool) -> None:
    assert CALENDAR.is_working_day(day) is expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 25), 0, date(2026, 11, 25)),
        (date(2026, 11, 25), 1, date(2026, 11, 26)),
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday to Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # from a Saturday
        (date(2026, 11, 25), 5, date(2026, 12, 2)),
        # Over Christmas: 25, 26 (Saturday), 28 (observed) and 1 January do not count.
        (date(2026, 12, 23), 3, date(2026, 12, 30)),
        (date(2026, 12, 23), 20, date(2027, 1, 25)),
        (date(2026, 11, 30), -1, date(2026, 11, 27)),
        (date(2026, 12, 29), -1, date(2026, 12, 24)),
    ],
)
def test_add(start: date, days: int, expected: date) -> None:
    assert CALENDAR.add(start, days) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 25), date(2026, 11, 25), 0),
        (date(2026, 11, 25), date(2026, 11, 26), 1),
        (date(2026, 11, 27), date(2026, 11, 30), 1),
        (date(2026, 11, 23), date(2026, 12, 7), 10),
        (date(2026, 12, 23), date(2027, 1, 25), 20),
        (date(2026, 11, 30), date(2026, 11, 27), -1),
    ],
)
def test_between(start: date, end: date, expected: int) -> None:
    assert CALENDAR.between(start, end) == expected


@pytest.mark.parametrize("days", [0, 1, 3, 7, 19, 45, 250])
def test_between_undoes_add(days: int) -> None:
    start = date(2026, 12, 21)

    assert CALENDAR.between(start, CALENDAR.add(start, days)) == days


def test_next_working_day() -> None:
    assert CALENDAR.next_working_day(date(2026, 12, 25)) == date(2026, 12, 29)
    assert CALENDAR.next_working_day(date(2026, 12, 24)) == date(2026, 12, 24)


def test_a_custom_holiday_list_replaces_the_default() -> None:
    calendar = WorkingDays(bank_holidays={date(2026, 11, 26)})

    assert calendar.add(date(2026, 11, 25), 1) == date(2026, 11, 27)
    assert calendar.is_working_day(date(2026, 12, 25)) is True


def test_counting_working_days_agrees_with_walking_them_day_by_day() -> None:
    calendar = WorkingDays()
    start = date(2025, 12, 1)
    for first in range(0, 800, 7):
        for length in (-400, -31, -3, 0, 1, 2, 5, 6, 13, 40, 366):
            a = start + timedelta(days=first)
            b = a + timedelta(days=length)
            low, high, sign = (a, b, 1) if a <= b else (b, a, -1)
            walked = sum(
                calendar.is_working_day(low + timedelta(days=n))
                for n in range(1, (high - low).days + 1)
            )
            assert calendar.between(a, b) == sign * walked, (a, b)
