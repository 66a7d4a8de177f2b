"""This module reads an action's due date: a date, or a deadline counted from a recommendation.

Ofsted letters and improvement notices give timescales rather than dates: "immediately",
"within 3 months", "within 20 working days". Such a deadline is counted from the day the
recommendation was received. Working days skip weekends and England and Wales bank
holidays; a deadline in weeks, months or calendar days that falls on a weekend or a bank
holiday moves to the next working day, since nothing is due on a day nobody works.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from store.importers.fields import FieldError

DEFAULT_IMMEDIATELY_DAYS = 5
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
}
UNITS = {
    "working day": "working days",
    "business day": "working days",
    "school day": "working days",
    "calendar day": "days",
    "day": "days",
    "week": "weeks",
    "calendar month": "months",
    "month": "months",
    "year": "years",
}
IMMEDIATELY = re.compile(r"^(?:immediately|immediate|at once|now)$")
RELATIVE = re.compile(
    r"^(?:within|in|no later than|by)?\s*(?P<count>\d{1,3}|[a-z]+)[\s-]+"
    r"(?P<unit>(?:working|business|school|calendar)?\s*(?:day|week|month|year))s?"
    # What a letter often adds: "of receipt", "from the date of the report", "'s time".
    r"(?:\s+(?:of|from|after)\b.*|'?s?\s+time)?$"
)
# Nothing in an improvement plan is given more than this long.
MAX_DAYS = 3 * 366
EXAMPLES = '"immediately", "within 20 working days", "within 6 weeks", "within 3 months"'


class WorkingDayCalendar(Protocol):
    """What the deadlines need of the working-day calculator (knowledge/working_days.py)."""

    def add(self, start: date, days: int) -> date: ...

    def next_working_day(self, day: date) -> date: ...


@dataclass(frozen=True, slots=True)
class Deadline:
    """A relative deadline as written: a count of a unit, or "immediately"."""

    count: int
    unit: str  # working days, days, weeks, months, years

    def due(self, received: date, working_days: WorkingDayCalendar) -> date:
        """The due date for a recommendation received on `received`."""
        if self.unit == "working days":
            return working_days.add(received, self.count)
        if self.unit == "days":
            day = received + timedelta(days=self.count)
        elif self.unit == "weeks":
            day = received + timedelta(weeks=self.count)
        else:
            months = self.count * (12 if self.unit == "years" else 1)
            day = add_months(received, months)
        return working_days.next_working_day(day)


@dataclass(frozen=True, slots=True)
class DeadlineRules:
    """How relative deadlines are counted: the calendar, and what "immediately" means."""

    working_days: WorkingDayCalendar
    immediately_days: int = DEFAULT_IMMEDIATELY_DAYS


def parse_deadline(text: str, immediately_days: int) -> Deadline | None:
    """The relative deadline `text` names, or None if it does not look like one.

    Raises:
        FieldError: it is one but cannot be used (nothing, or years, away).
    """
    folded = " ".join(text.strip().lower().replace("’", "'").split())
    if IMMEDIATELY.match(folded):
        return Deadline(immediately_days, "working days")
    match = RELATIVE.match(folded)
    if match is None:
        return None
    count_text = match["count"]
    count = int(count_text) if count_text.isdigit() else NUMBER_WORDS.get(count_text)
    if count is None:
        return None  # "next week": not a count of anything
    unit = UNITS[" ".join(match["unit"].split())]
    deadline = Deadline(count, unit)
    if count == 0 or approximate_days(deadline) > MAX_DAYS:
        raise FieldError(f"{text!r} is not a deadline an improvement plan can use")
    return deadline


def approximate_days(deadline: Deadline) -> int:
    per_unit = {"working days": 1.4, "days": 1, "weeks": 7, "months": 31, "years": 366}
    return round(deadline.count * per_unit[deadline.unit])


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day
    (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
