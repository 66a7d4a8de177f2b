"""This module finds a date in a question and works out a deadline from it."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.entries import Timescale
from knowledge.working_days import WorkingDays

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b\.?(?:\s+(\d{{4}}))?"
)
# "may 3" reads as often as a verb as a date, so month-first dates leave May out.
_MONTH_FIRST = "|".join(name for name in sorted(MONTHS, key=len, reverse=True) if name != "may")
_MONTH_DAY = re.compile(
    rf"\b({_MONTH_FIRST})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?"
)
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
# Slashed dates need a year, or "on" before them: "24/7" is not a date.
_UK = re.compile(
    r"(?:\bon\s+(\d{1,2})/(\d{1,2})\b(?!/))|(?:\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b)"
)
# A date with no year is taken to be in the past half-year or the next: questions are about
# recent events.
_LOOK_AHEAD = timedelta(days=183)


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline worked out from a date in the question."""

    start: date
    due: date
    timescale: Timescale

    def describe(self) -> str:
        unit = self.timescale.unit.replace("_", " ")
        amount = f"{self.timescale.amount} {unit}"
        if self.timescale.amount == 1:
            amount = amount.rstrip("s")
        counted = (
            " (not counting weekends or bank holidays in England and Wales)"
            if self.timescale.unit == "working_days"
            else ""
        )
        return (
            f"If the {self.timescale.start} was on {_long(self.start)}, the deadline is "
            f"{_long(self.due)}: {amount}{counted}."
        )


def find_date(text: str, today: date) -> date | None:
    """The first date written in `text`, or None; "today" and "yesterday" count."""
    lowered = text.lower()
    for pattern, order in ((_ISO, "ymd"), (_DAY_MONTH, "dmy"), (_MONTH_DAY, "mdy"), (_UK, "dmy")):
        match = pattern.search(lowered)
        if match is None:
            continue
        groups = match.groups()
        if pattern is _UK:
            groups = (groups[0], groups[1], None) if groups[0] else groups[2:]
        found = _build(groups, order, today)
        if found is not None:
            return found
    if re.search(r"\byesterday\b", lowered):
        return today - timedelta(days=1)
    if re.search(r"\btoday\b", lowered):
        return today
    return None


def deadline(start: date, timescale: Timescale, working_days: WorkingDays) -> Deadline:
    """When something counted from `start` by `timescale` is due."""
    if timescale.unit == "working_days":
        due = working_days.add(start, timescale.amount)
    elif timescale.unit == "days":
        due = start + timedelta(days=timescale.amount)
    elif timescale.unit == "weeks":
        due = start + timedelta(weeks=timescale.amount)
    else:
        due = add_months(start, timescale.amount)
    return Deadline(start, due, timescale)


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it is shorter."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _build(groups: tuple[str | None, ...], order: str, today: date) -> date | None:
    parts = dict(zip(order, groups, strict=True))
    month_text = parts["m"] or ""
    month = MONTHS.get(month_text) or (int(month_text) if month_text.isdigit() else 0)
    year_text = parts["y"]
    try:
        day = int(parts["d"] or 0)
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            return date(year, month, day)
        found = date(today.year, month, day)
    except ValueError:
        return None
    return found.replace(year=today.year - 1) if found > today + _LOOK_AHEAD else found


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"
