"""This module reads "draw audits for <month>" as typed in chat: the month, and optionally
the number of cases and the enhanced share ("draw audits for January 2027 size 20
enhanced 10%")."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

# Kent's programme (DOMAIN.md section 8): 70 records a month, 10% of them enhanced.
DEFAULT_SIZE = 70
DEFAULT_ENHANCED_PERCENT = 10
USAGE = (
    "Say which month to draw, for example: draw audits for January 2027 (or 2027-01, or "
    f"next month). It draws {DEFAULT_SIZE} cases with {DEFAULT_ENHANCED_PERCENT}% enhanced "
    "unless you add, say, size 20 enhanced 15%. You see the draw before anything is stored."
)
_MONTHS = {
    name.lower(): number
    for names in (calendar.month_name, calendar.month_abbr)
    for number, name in enumerate(names)
    if name
}
_MONTHS["sept"] = 9
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_NAMED_MONTH = re.compile(r"([a-z]+)(?:\s+(\d{4}))?")
_SIZE = re.compile(r"(?:size\s+(\d+)|(\d+)\s+cases?)")
_ENHANCED = re.compile(r"(?:enhanced\s+(\d+)\s*%?|(\d+)\s*%\s*enhanced)")


class DrawRequestError(ValueError):
    """What was typed is not a draw request; the message says what would be."""


@dataclass(frozen=True, slots=True)
class TypedDraw:
    """A draw request read from chat."""

    month: str
    size: int
    enhanced_percent: int


def read_draw_request(argument: str | None, today: date) -> TypedDraw:
    """The month, size and enhanced share in what followed "draw audits for".

    Raises:
        DrawRequestError: something in it is not understood (nothing is guessed).
    """
    text = " ".join((argument or "").lower().replace(",", " ").split())
    if not text:
        raise DrawRequestError(USAGE)
    size, text = _take(_SIZE, text)
    enhanced, text = _take(_ENHANCED, text)
    month = _month(text.strip(), today)
    return TypedDraw(
        month=month,
        size=DEFAULT_SIZE if size is None else size,
        enhanced_percent=DEFAULT_ENHANCED_PERCENT if enhanced is None else enhanced,
    )


def _take(pattern: re.Pattern[str], text: str) -> tuple[int | None, str]:
    found = pattern.search(text)
    if found is None:
        return None, text
    number = next(group for group in found.groups() if group is not None)
    return int(number), text[: found.start()] + " " + text[found.end() :]


def _month(text: str, today: date) -> str:
    text = " ".join(text.split())
    if text in ("this month", "the month"):
        return f"{today:%Y-%m}"
    if text == "next month":
        index = today.year * 12 + today.month
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    iso = _ISO_MONTH.fullmatch(text)
    if iso is not None and 1 <= int(iso.group(2)) <= 12:
        return f"{int(iso.group(1)):04d}-{int(iso.group(2)):02d}"
    named = _NAMED_MONTH.fullmatch(text)
    if named is not None and named.group(1) in _MONTHS:
        number = _MONTHS[named.group(1)]
        if named.group(2) is not None:
            return f"{named.group(2)}-{number:02d}"
        # A month without a year is the next one of that name, this month included.
        year = today.year if number >= today.month else today.year + 1
        return f"{year}-{number:02d}"
    raise DrawRequestError(f"I could not read {text!r} as a month. {USAGE}")
