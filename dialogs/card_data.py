"""This module reads values from a pressed card's data, which the sender controls entirely."""

from __future__ import annotations

import re

# Record ids are database integers; a 32-bit signed range fits every database we support.
MAX_ID = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(value: object) -> int | None:
    """A record id from card data, or None when it is not one.

    Only a whole number from 1 to MAX_ID, given as a JSON integer or as ASCII digits, is an
    id: not a bool, a float, digits from other scripts ("٣"), signs, spaces or a number too
    large for the database (which would fail the query rather than find nothing).
    """
    return parse_whole(value, 1, MAX_ID)


def parse_whole(value: object, low: int, high: int) -> int | None:
    """A whole number from `low` to `high` in card data, by the rules of `parse_id`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if low <= number <= high else None


def parse_choice(value: object, choices: tuple[int, ...]) -> int | None:
    """A JSON integer that is one of `choices` (not a bool or a float that equals one)."""
    if type(value) is int and value in choices:
        return value
    return None
