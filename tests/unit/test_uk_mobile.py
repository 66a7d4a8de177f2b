"""The staff file's mobile column: UK mobiles as people write them, stored as +447..."""

from __future__ import annotations

import pytest

from store.importers.fields import FieldError, parse_uk_mobile


@pytest.mark.parametrize(
    "written",
    [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "447700900123",
        "(07700) 900-123",
        "07700.900.123",
        # A spreadsheet that took the number for a number dropped its leading zero.
        "7700900123",
    ],
)
def test_the_ways_people_write_a_uk_mobile_are_normalised(written: str) -> None:
    assert parse_uk_mobile(written) == "+447700900123"


@pytest.mark.parametrize(
    "written",
    [
        "01632 960123",  # a landline
        "+44 20 7946 0123",
        "0770090012",  # a digit short
        "077009001234",  # a digit over
        "+1 202 555 0100",
        "07700 9OO123",  # letter O for zero
        "ring reception",
        "+447700900123 ext 4",
    ],
)
def test_anything_else_is_refused_saying_how_to_write_one(written: str) -> None:
    with pytest.raises(FieldError, match="not a UK mobile number: .*07700 900123"):
        parse_uk_mobile(written)
