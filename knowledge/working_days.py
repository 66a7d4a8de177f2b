"""This module contains WorkingDays: working-day arithmetic for England and Wales."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date

import holidays

SATURDAY = 5


def england_and_wales_bank_holidays() -> holidays.HolidayBase:
    """Bank holidays in England and Wales (the two share them), for any year asked about."""
    return holidays.country_holidays("GB", subdiv="ENG")


class WorkingDays:
    """Counts and adds working days: Monday to Friday, except bank holidays.

    "Within N working days of X" is read the way statutory guidance reads it: X itself is
    day zero, so the deadline is the Nth working day after X. The arithmetic is the
    `holidays` package's own (its working days are the weekdays that are not holidays).
    """

    def __init__(self, bank_holidays: Iterable[date] | None = None) -> None:
        if bank_holidays is None:
            self._calendar = england_and_wales_bank_holidays()
        else:
            # A calendar of just these days (tests, or a council's own list).
            self._calendar = holidays.HolidayBase()
            self._calendar.update({day: "Bank holiday" for day in bank_holidays})
        self._by_year: dict[int, tuple[date, ...]] = {}

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a weekday that is not a bank holiday."""
        return bool(self._calendar.is_working_day(day))

    def add(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (before it, for a negative count)."""
        if days == 0:
            return start
        found: date = self._calendar.get_nth_working_day(start, days)
        return found

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`; negative if `end` is earlier.

        `between(due, today)` is how many working days an item is overdue.
        """
        if end < start:
            return -self.between(end, start)
        # Counted rather than walked: every list of overdue items asks this of each item,
        # and a day-by-day walk cost a turn more than the rest of building the card.
        days = (end - start).days
        weeks, rest = divmod(days, 7)
        weekdays = weeks * 5 + sum(
            1 for offset in range(1, rest + 1) if (start.weekday() + offset) % 7 < SATURDAY
        )
        return weekdays - self._weekday_holidays_in(start, end)

    def _weekday_holidays_in(self, start: date, end: date) -> int:
        """Bank holidays on weekdays after `start`, up to and including `end`."""
        holidays_in_years = [
            day for year in range(start.year, end.year + 1) for day in self._weekday_holidays(year)
        ]
        return bisect_right(holidays_in_years, end) - bisect_right(holidays_in_years, start)

    def _weekday_holidays(self, year: int) -> tuple[date, ...]:
        kept = self._by_year.get(year)
        if kept is None:
            # Touching a day of the year has the calendar work that year's holidays out.
            date(year, 1, 1) in self._calendar  # noqa: B015
            kept = tuple(
                sorted(d for d in self._calendar if d.year == year and d.weekday() < SATURDAY)
            )
            self._by_year[year] = kept
        return kept

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        found: date = self._calendar.get_nth_working_day(day, 0)
        return found
