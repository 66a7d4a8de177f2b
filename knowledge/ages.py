"""This module reads a child's age from a question: "little one is 3", "a 14 year old",
"under 5s". Some timescales depend on it (health assessments: 6-monthly under 5, then
yearly)."""

from __future__ import annotations

import re

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17,
}  # fmt: skip
_NUMBER = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
# "is 3" but not "is 15 working days"; "aged 3", "age 3".
_STATED = re.compile(
    rf"\b(?:is|aged?|turned|turns)\s+{_NUMBER}\b(?!\s*(?:working|days?|weeks?|months?|wd|/|\.\d|:))",
    re.IGNORECASE,
)
# "a 3 year old", "3yo", "3 y/o", "3 years old", "three-year-old".
YEARS_OLD = re.compile(
    rf"\b{_NUMBER}\s*(?:-\s*)?(?:yo|y/o|yrs?\s*old|years?(?:\s*|-)old)\b", re.IGNORECASE
)
_UNDER = re.compile(rf"\bunder\s*(?:the\s+age\s+of\s+)?{_NUMBER}s?\b", re.IGNORECASE)
_OVER = re.compile(
    rf"\b(?:over|aged\s+over)\s+{_NUMBER}s?\b|\b{_NUMBER}\s*(?:\+|and\s+over)", re.IGNORECASE
)
# Older than this is not a child's age but some other number.
MAX_AGE = 25


def stated_age(text: str) -> int | None:
    """The child's age `text` gives (an age in a band for "under 5" or "over 5"), if any."""
    for pattern, shift in ((YEARS_OLD, 0), (_STATED, 0), (_UNDER, -1), (_OVER, 0)):
        found = pattern.search(text)
        if found:
            value = _value(next(g for g in found.groups() if g))
            if value is not None and 0 <= value + shift <= MAX_AGE:
                return value + shift
    return None


def _value(number: str) -> int | None:
    if number.isdigit():
        return int(number)
    return _NUMBER_WORDS.get(number.lower())
