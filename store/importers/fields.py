"""This module contains the cell parsers (dates, emails, mobiles, choices), with clear errors."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import TypeVar

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
SHORT_YEAR_DATE = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# How Entra ID shows an object id: 32 hex digits as 8-4-4-4-12, in either case.
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
GUID_EXAMPLE = "6f1c9a2e-0b7d-4c1a-9f3e-2a5b8c7d4e10"
# What people write around a phone number's digits: spaces, dashes, dots and brackets.
PHONE_PUNCTUATION = re.compile(r"[\s().-]")
# A UK mobile once its prefix is taken off: 7 and nine more digits (07700 900123).
UK_MOBILE_DIGITS = re.compile(r"7[0-9]{9}")
# International prefixes, each maybe followed by the trunk 0 people write as "(0)".
UK_COUNTRY_CODES = ("+44", "0044", "44")

Choice = TypeVar("Choice", bound=StrEnum)


class FieldError(ValueError):
    """A cell's value is not acceptable; the message says what would be."""


def parse_date(text: str) -> date:
    """Reads YYYY-MM-DD or the UK's DD/MM/YYYY; anything else is refused, not guessed."""
    iso = ISO_DATE.match(text)
    uk = UK_DATE.match(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif uk:
        day, month, year = (int(part) for part in uk.groups())
    elif SHORT_YEAR_DATE.match(text):
        raise FieldError(f"ambiguous date {text!r}: write the year in full (DD/MM/YYYY)")
    else:
        raise FieldError(f"not a date: {text!r}; use YYYY-MM-DD or DD/MM/YYYY")
    try:
        return date(year, month, day)
    except ValueError:
        order = "year-month-day" if iso else "day/month/year"
        raise FieldError(f"impossible date {text!r} (read as {order})") from None


def parse_email(text: str) -> str:
    """A trimmed, lower-cased email address."""
    email = text.strip().lower()
    # Control and invisible characters (a bidi override, say) would let an address pass
    # for another one wherever it is shown.
    if not EMAIL.match(email) or not email.isprintable():
        raise FieldError(f"not an email address: {text!r}")
    return email


def parse_guid(text: str) -> str:
    """A GUID such as an Entra ID (AAD) object id, lower-cased."""
    guid = text.strip()
    if not GUID.fullmatch(guid):
        raise FieldError(
            f"not an AAD object id: {text!r}; use the object id Entra ID shows, "
            f"e.g. {GUID_EXAMPLE}"
        )
    return guid.lower()


def parse_uk_mobile(text: str) -> str:
    """A UK mobile number in the international form GOV.UK Notify sends to: +447700900123.

    Accepts what people write (07700 900123, +44 7700 900123, (0)7700-900-123, 0044...),
    and the numbers GOV.UK Notify takes as UK mobiles: 07 and nine more digits.
    """
    digits = PHONE_PUNCTUATION.sub("", text.strip())
    for code in UK_COUNTRY_CODES:
        if digits.startswith(code) and len(digits) > len(code) + 9:
            digits = digits[len(code) :]
            break
    digits = digits.removeprefix("0")
    if not UK_MOBILE_DIGITS.fullmatch(digits):
        raise FieldError(
            f"not a UK mobile number: {text!r}; write it as 07700 900123 or +44 7700 900123"
        )
    return f"+44{digits}"


def choice_key(text: str) -> str:
    """How choices are compared: case, spaces, hyphens and underscores do not matter."""
    return re.sub(r"[\s_-]+", " ", text.strip().lower())


def parse_choice(text: str, choices: type[Choice]) -> Choice:
    """One of an enum's values, matched by `choice_key`."""
    wanted = choice_key(text)
    for choice in choices:
        if choice_key(choice.value) == wanted:
            return choice
    allowed = ", ".join(choice.value for choice in choices)
    raise FieldError(f"unknown value {text!r}; use one of: {allowed}")
