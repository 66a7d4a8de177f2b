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
# Day names as people type them: "fri", "weds", "thurs".
WEEKDAYS = (
    "monday|mon|tuesday|tues|tue|wednesday|weds|wed|thursday|thurs|thur|thu|friday|fri|"
    "saturday|sat|sunday|sun"
)
# Slashed dates need a year, or "on" or a day name before them: "24/7" is not a date.
_UK = re.compile(
    rf"(?:\b(?:on|{WEEKDAYS})\.?\s+(\d{{1,2}})/(\d{{1,2}})\b(?!/))"
    r"|(?:\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b)"
)
_NAMED_DAY = re.compile(rf"\b({WEEKDAYS})\b\.?,?\s*(?:the\s+)?(?:on\s+)?\d")
_WEEKDAY_NUMBER = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_WEEKDAY_WORD = re.compile(rf"\b(?:{WEEKDAYS})\b\.?", re.IGNORECASE)
_RELATIVE_DAY = re.compile(r"\b(?:today|yesterday|this morning|this afternoon)\b", re.I)
# The patterns above read lower-cased text; these find the same dates in text as typed.
_ANY_CASE_DATES = tuple(
    re.compile(p.pattern, re.IGNORECASE) for p in (_ISO, _DAY_MONTH, _MONTH_DAY, _UK)
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
    """The first date written in `text`, or None; "today" and "yesterday" count.

    A date without a year is taken in the half-year either side of today, unless a day
    name is written before it: "weds 3 march" is the 3 March that is a Wednesday.
    """
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
            if not _has_year(groups, order):
                found = _on_named_day(found, lowered, match.start(), today)
            return found
    if re.search(r"\byesterday\b", lowered):
        return today - timedelta(days=1)
    if re.search(r"\btoday\b", lowered):
        return today
    return None


def without_dates(text: str) -> str:
    """`text` with its dates and day names taken out: they say when, not what is asked."""
    for pattern in _ANY_CASE_DATES:
        text = pattern.sub(" ", text)
    return _RELATIVE_DAY.sub(" ", _WEEKDAY_WORD.sub(" ", text))


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


def _has_year(groups: tuple[str | None, ...], order: str) -> bool:
    return bool(dict(zip(order, groups, strict=True))["y"])


def _on_named_day(found: date, text: str, start: int, today: date) -> date:
    # The day name written just before the date, if any ("fri 4/12", "weds the 3rd").
    named = _NAMED_DAY.search(text[max(0, start - 16) : start + 3])
    if named is None:
        return found
    weekday = _WEEKDAY_NUMBER[named.group(1)[:3]]
    candidates = [
        day
        for year in (today.year - 1, today.year, today.year + 1)
        for day in [_in_year(found, year)]
        if day is not None and day.weekday() == weekday
    ]
    return min(candidates, key=lambda day: abs(day - today), default=found)


def _in_year(day: date, year: int) -> date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return None


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"
