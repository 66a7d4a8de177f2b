"""Reading "draw audits for <month>" as people type it."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.draw_request import DrawRequestError, TypedDraw, read_draw_request

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("January 2027", TypedDraw("2027-01", 70, 10)),
        ("2027-01", TypedDraw("2027-01", 70, 10)),
        ("2027-1", TypedDraw("2027-01", 70, 10)),
        ("jan", TypedDraw("2027-01", 70, 10)),
        ("november", TypedDraw("2026-11", 70, 10)),
        ("Sept 2027", TypedDraw("2027-09", 70, 10)),
        ("this month", TypedDraw("2026-11", 70, 10)),
        ("next month", TypedDraw("2026-12", 70, 10)),
        ("next month size 20 enhanced 15%", TypedDraw("2026-12", 20, 15)),
        ("December 2026, 30 cases, 5% enhanced", TypedDraw("2026-12", 30, 5)),
        ("size 12 enhanced 0 2027-02", TypedDraw("2027-02", 12, 0)),
    ],
)
def test_months_sizes_and_shares_as_people_type_them(typed: str, expected: TypedDraw) -> None:
    assert read_draw_request(typed, TODAY) == expected


def test_next_month_in_december_is_january() -> None:
    assert read_draw_request("next month", date(2026, 12, 3)).month == "2027-01"


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_no_month_asks_for_one(typed: str | None) -> None:
    with pytest.raises(DrawRequestError, match="Say which month to draw"):
        read_draw_request(typed, TODAY)


@pytest.mark.parametrize("typed", ["Smarch", "2027-13", "the cases in CR-1001", "jan 27"])
def test_anything_else_is_not_guessed(typed: str) -> None:
    with pytest.raises(DrawRequestError, match="as a month"):
        read_draw_request(typed, TODAY)
