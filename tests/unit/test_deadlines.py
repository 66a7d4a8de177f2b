"""Relative deadlines: how they are read, and counted over weekends and bank holidays."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.working_days import WorkingDays
from store.importers.deadlines import Deadline, add_months, parse_deadline
from store.importers.fields import FieldError

CALENDAR = WorkingDays()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("immediately", Deadline(5, "working days")),
        ("Immediately", Deadline(5, "working days")),
        ("within 3 months", Deadline(3, "months")),
        ("Within three months of receipt", Deadline(3, "months")),
        ("within one month", Deadline(1, "months")),
        ("within a month", Deadline(1, "months")),
        ("within 20 working days", Deadline(20, "working days")),
        ("within twenty business days", Deadline(20, "working days")),
        ("within 6 weeks", Deadline(6, "weeks")),
        ("in 6 weeks' time", Deadline(6, "weeks")),
        ("within 10 days", Deadline(10, "days")),
        ("within 28 calendar days of the letter", Deadline(28, "days")),
        ("3 months", Deadline(3, "months")),
        ("within 1 year", Deadline(1, "years")),
        ("within 3-months", Deadline(3, "months")),
    ],
)
def test_the_timescales_letters_give_are_read(text: str, expected: Deadline) -> None:
    assert parse_deadline(text, immediately_days=5) == expected


@pytest.mark.parametrize("text", ["2026-12-01", "01/12/2026", "next week", "soon", "ASAP please"])
def test_dates_and_other_words_are_not_deadlines(text: str) -> None:
    assert parse_deadline(text, immediately_days=5) is None


@pytest.mark.parametrize("text", ["within 0 days", "within 5 years", "within 400 weeks"])
def test_deadlines_no_plan_can_use_are_refused(text: str) -> None:
    with pytest.raises(FieldError, match="is not a deadline an improvement plan can use"):
        parse_deadline(text, immediately_days=5)


def test_immediately_means_the_configured_number_of_working_days() -> None:
    assert parse_deadline("immediately", immediately_days=10) == Deadline(10, "working days")


def test_immediately_from_just_before_christmas_skips_the_bank_holidays() -> None:
    # Tue 22 Dec 2026: Christmas Day (Fri) and Boxing Day's substitute (Mon 28) are not
    # working days, so the fifth working day is Thu 31 Dec.
    assert Deadline(5, "working days").due(date(2026, 12, 22), CALENDAR) == date(2026, 12, 31)


def test_twenty_working_days_over_christmas_and_new_year() -> None:
    assert Deadline(20, "working days").due(date(2026, 12, 23), CALENDAR) == date(2027, 1, 25)


def test_working_days_over_easter_skip_good_friday_and_easter_monday() -> None:
    # Wed 24 Mar 2027: Good Friday is 26 March and Easter Monday 29 March.
    assert Deadline(3, "working days").due(date(2027, 3, 24), CALENDAR) == date(2027, 3, 31)


def test_a_deadline_in_weeks_that_lands_on_new_years_day_moves_to_the_next_working_day() -> None:
    # Six weeks from Fri 20 Nov 2026 is Fri 1 Jan 2027, a bank holiday.
    assert Deadline(6, "weeks").due(date(2026, 11, 20), CALENDAR) == date(2027, 1, 4)


def test_months_keep_the_day_or_take_the_months_last_then_a_working_day() -> None:
    # 30 Nov + 3 months: 28 Feb 2027 (no 30th), a Sunday, so Monday 1 March.
    assert Deadline(3, "months").due(date(2026, 11, 30), CALENDAR) == date(2027, 3, 1)
    assert Deadline(1, "months").due(date(2026, 10, 14), CALENDAR) == date(2026, 11, 16)


def test_add_months_across_a_year_and_a_leap_day() -> None:
    assert add_months(date(2027, 11, 15), 3) == date(2028, 2, 15)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
