"""This module works out when something that comes round on a cycle is next due, from when
it last happened as people say it: "our last full inspection was march 2024", "we were
judged good about two and a half years ago", "last inspected in 2023"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from knowledge.dates import MONTH_NAME, MONTHS, add_months, find_date
from knowledge.entries import Cycle

# "march 2024", "in sept 2023", "mar '24"; not "15 march 2024", a day's date.
_MONTH_YEAR = re.compile(
    rf"(?<!\d\s)(?<!\d)\b({MONTH_NAME})\.?,?\s+(?:of\s+)?(\d{{4}}|['\u2019]\d{{2}})\b", re.I
)
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_AMOUNT = r"(\d+|" + "|".join(_NUMBER_WORDS) + r")"
# "two and a half years ago", "2.5 years ago", "18 months ago", "a year and a half ago".
_AGO = re.compile(
    rf"\b{_AMOUNT}(\.5)?\s+(?:(and\s+a\s+half)\s+)?(years?|yrs?|months?|mths?)\s+"
    r"(?:(and\s+a\s+half)\s+)?ago\b",
    re.I,
)
# "in 2023", "back in 2022": a year alone, after "in".
_YEAR_ALONE = re.compile(r"\bin\s+(20\d\d)\b", re.I)


@dataclass(frozen=True, slots=True)
class NextDue:
    """When a cycle next comes round, from the month (or year) it last did."""

    start: date
    cycle: Cycle
    # Only the year was said: the month is not known.
    year_only: bool = False

    @property
    def due(self) -> date:
        return add_months(self.start, 12 * self.cycle.years)

    def describe(self) -> str:
        span = self.cycle.either_side_months
        if self.year_only:
            return (
                f"If the {self.cycle.start} was in {self.start.year}, the next is due in "
                f"{self.due.year}: {self.cycle.years} years on, usually within {span} months "
                "either side of the anniversary of its date."
            )
        earliest, latest = add_months(self.due, -span), add_months(self.due, span)
        return (
            f"If the {self.cycle.start} was in {self.start:%B %Y}, the next is due around "
            f"{self.due:%B %Y} ({self.cycle.years} years on), usually between "
            f"{earliest:%B %Y} and {latest:%B %Y}."
        )


def next_due(text: str, cycle: Cycle, today: date) -> NextDue | None:
    """When `cycle` next comes round after the time `text` says it last did, if it says."""
    dated = find_date(text, today)
    found = (dated if dated and dated < today else None) or _month_named(text)
    found = found or _months_ago(text, today)
    if found is not None:
        return NextDue(found, cycle)
    year = _YEAR_ALONE.search(text)
    if year is not None and int(year.group(1)) <= today.year:
        return NextDue(date(int(year.group(1)), 1, 1), cycle, year_only=True)
    return None


def _month_named(text: str) -> date | None:
    match = _MONTH_YEAR.search(text)
    if match is None:
        return None
    year_text = match.group(2).lstrip("'\u2019")
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    return date(year, MONTHS[match.group(1).lower()], 1)


def _months_ago(text: str, today: date) -> date | None:
    match = _AGO.search(text)
    if match is None:
        return None
    amount_text, point_five, half_before, unit, half_after = match.groups()
    amount = _NUMBER_WORDS.get(amount_text.lower()) or int(amount_text)
    per = 12 if unit.lower().startswith("y") else 1
    months = amount * per + (per // 2 if point_five or half_before or half_after else 0)
    return add_months(today.replace(day=1), -months)
