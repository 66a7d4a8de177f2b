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
# Any month name, longest first so that "sept" is found whole.
MONTH_NAME = "|".join(sorted(MONTHS, key=len, reverse=True))
# "8 Dec 26" has a year too, but "8 dec 26 weeks" does not.
_SHORT_YEAR = r"\d{2}(?!\s*(?:working|days?|weeks?|months?|wd)\b)"
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_NAME})\b\.?(?:\s+(\d{{4}}|{_SHORT_YEAR})\b)?"
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
# Numeric dates (slashes, dots or dashes) need a year, or a word before them that says a
# date follows ("on", "was", a day name...): "24/7" is not a date.
_LEAD_IN = rf"on|was|were|is|held|dated|from|since|of|at|{WEEKDAYS}"
_UK = re.compile(
    rf"(?:\b(?:{_LEAD_IN})\.?\s+(\d{{1,2}})[/.](\d{{1,2}})\b(?![/.]\d))"
    r"|(?:\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b)"
)
# "on the 4th", "the 11th": a day of this month or the last, the latest not after today.
_DAY_ONLY = re.compile(
    rf"\b(?:on|was|since|from|of)\s+the\s+(\d{{1,2}})(?:st|nd|rd|th)\b"
    rf"(?!\s+(?:of\s+)?(?:{MONTH_NAME}))"
)
# "last friday", "strategy was tues", "on monday": the latest such day, today included
# unless "last" says otherwise. A short form needs a word before it ("sat" is a verb).
_FULL_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_LONE_DAY = re.compile(
    rf"\b(?:(last\s+|on\s+|was\s+|since\s+)({WEEKDAYS})|()({_FULL_DAYS}))\b\.?"
    r"(?!\s*(?:the\s+)?\d)"
)
# Days people name rather than date.
_NAMED_DATES = {"christmas eve": (12, 24), "xmas eve": (12, 24), "christmas day": (12, 25),
                "boxing day": (12, 26), "new year's eve": (12, 31), "new years eve": (12, 31),
                "nye": (12, 31), "new year's day": (1, 1), "new years day": (1, 1)}  # fmt: skip
_NAMED_DATE = re.compile(r"\b(?:" + "|".join(map(re.escape, _NAMED_DATES)) + r")\b")
_NAMED_DAY = re.compile(rf"\b({WEEKDAYS})\b\.?,?\s*(?:the\s+)?(?:on\s+)?\d")
_WEEKDAY_NUMBER = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_WEEKDAY_WORD = re.compile(rf"\b(?:{WEEKDAYS})\b\.?", re.IGNORECASE)
_RELATIVE_DAY = re.compile(
    r"\b(?:today|yesterday|last night|this morning|this afternoon|tonight|earlier today)\b",
    re.I,
)
# "The dcs just had the call", "ofsted rang 20 mins ago": today, said in words that are
# also what happened (so, unlike the dates above, they stay in what is searched).
_JUST_NOW = re.compile(
    r"\b(?:just\s+(?:had|got|taken|received)\s+(?:the\s+|an?\s+|our\s+)?(?:(?:ilacs|ofsted|inspection)\s+)?"
    r"(?:call|phone\s+call)"
    r"|just\s+(?:rang|phoned|called|rung)|(?:\d+|a\s+few)\s+min(?:ute)?s\s+ago"
    r"|an\s+hour\s+ago)\b",
    re.I,
)
# The patterns above read lower-cased text; these find the same dates in text as typed.
_ANY_CASE_DATES = tuple(
    re.compile(p.pattern, re.IGNORECASE) for p in (_ISO, _DAY_MONTH, _MONTH_DAY, _UK)
)
_ANY_CASE_DAY_ONLY = re.compile(_DAY_ONLY.pattern, re.IGNORECASE)
_ANY_CASE_NAMED = re.compile(_NAMED_DATE.pattern, re.IGNORECASE)
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
        if self.timescale.unit == "mondays":
            which = (
                "following Monday"
                if self.timescale.amount == 1
                else (f"Monday {self.timescale.amount} weeks on")
            )
            return (
                f"If the {self.timescale.start} was on {_long(self.start)}, the "
                f"{which} is {_long(self.due)}."
            )
        unit = self.timescale.unit.replace("_", " ")
        amount = f"{self.timescale.amount} {unit}"
        if self.timescale.amount == 1:
            amount = amount.rstrip("s")
        counted = (
            " (day 1 is the first working day after it; weekends and bank holidays in "
            "England and Wales are not counted)"
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
    return _told_by_name(lowered, today)


def _told_by_name(lowered: str, today: date) -> date | None:
    """A date given as "yesterday", "this morning", "last friday", "the 4th", "xmas eve"."""
    if re.search(r"\b(?:yesterday|last\s+night)\b", lowered):
        return today - timedelta(days=1)
    if _RELATIVE_DAY.search(lowered) or _JUST_NOW.search(lowered):
        return today
    named = _NAMED_DATE.search(lowered)
    if named is not None:
        month, day = _NAMED_DATES[named.group(0)]
        return _recent(date(today.year, month, day), today)
    lone = _LONE_DAY.search(lowered)
    if lone is not None:
        lead, name = (lone.group(1), lone.group(2)) if lone.group(2) else ("", lone.group(4))
        weekday = _WEEKDAY_NUMBER[name[:3]]
        back = (today.weekday() - weekday) % 7
        if back == 0 and lead.strip() == "last":
            back = 7
        return today - timedelta(days=back)
    day_only = _DAY_ONLY.search(lowered)
    if day_only is not None:
        return _latest_day_of_month(int(day_only.group(1)), today)
    return None


def _latest_day_of_month(day: int, today: date) -> date | None:
    # The 4th of this month if it has come, else of the month before.
    for months_back in (0, 1, 2):
        month_index = today.year * 12 + today.month - 1 - months_back
        year, month = divmod(month_index, 12)
        try:
            found = date(year, month + 1, day)
        except ValueError:
            continue
        if found <= today:
            return found
    return None


def without_dates(text: str) -> str:
    """`text` with its dates and day names taken out: they say when, not what is asked."""
    for pattern in _ANY_CASE_DATES:
        text = pattern.sub(" ", text)
    text = _RELATIVE_DAY.sub(" ", _WEEKDAY_WORD.sub(" ", text))
    return _ANY_CASE_DAY_ONLY.sub(" ", _ANY_CASE_NAMED.sub(" ", text))


def deadline(start: date, timescale: Timescale, working_days: WorkingDays) -> Deadline:
    """When something counted from `start` by `timescale` is due."""
    if timescale.unit == "working_days":
        due = working_days.add(start, timescale.amount)
    elif timescale.unit == "days":
        due = start + timedelta(days=timescale.amount)
    elif timescale.unit == "weeks":
        due = start + timedelta(weeks=timescale.amount)
    elif timescale.unit == "mondays":
        # The first Monday after the start (never the start itself), then a week apart.
        due = start + timedelta(days=7 - start.weekday(), weeks=timescale.amount - 1)
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
    return _recent(found, today)


def _recent(found: date, today: date) -> date:
    # A date given without its year: this year's, unless that is too far ahead.
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
