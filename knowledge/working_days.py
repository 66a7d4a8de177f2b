"""This module contains WorkingDays: working-day arithmetic for England and Wales."""

from __future__ import annotations

from collections.abc import Container
from datetime import date, timedelta

import holidays

SATURDAY = 5


def england_and_wales_bank_holidays() -> Container[date]:
    """Bank holidays in England and Wales (the two share them), for any year asked about."""
    return holidays.country_holidays("GB", subdiv="ENG")


class WorkingDays:
    """Counts and adds working days: Monday to Friday, except bank holidays.

    "Within N working days of X" is read the way statutory guidance reads it: X itself is
    day zero, so the deadline is the Nth working day after X.
    """

    def __init__(self, bank_holidays: Container[date] | None = None) -> None:
        self._bank_holidays = (
            bank_holidays if bank_holidays is not None else england_and_wales_bank_holidays()
        )

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a weekday that is not a bank holiday."""
        return day.weekday() < SATURDAY and day not in self._bank_holidays

    def add(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (before it, for a negative count)."""
        step = timedelta(days=1 if days >= 0 else -1)
        day = start
        remaining = abs(days)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`; negative if `end` is earlier.

        `between(due, today)` is how many working days an item is overdue.
        """
        if end < start:
            return -self.between(end, start)
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=offset))
        )

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day
