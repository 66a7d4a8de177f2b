"""Trailing commas left by template conditions are dropped; nothing inside a string is."""

from __future__ import annotations

import json
import time

import pytest

from cards.rendering import strip_trailing_commas


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1,}', {"a": 1}),
        ("[1, 2, ]", [1, 2]),
        ('{"a": [1,\n  ],\n "b": {"c": 2 , }  ,\n}', {"a": [1], "b": {"c": 2}}),
        ('{"note": "done, ]", "x": [",}", "\\", ]"],}', {"note": "done, ]", "x": [",}", '", ]']}),
        ('["a \\\\", "b,]"]', ["a \\", "b,]"]),
        ('{"empty": "", "q": "\\"", }', {"empty": "", "q": '"'}),
        ("[]", []),
        ('"just, ] a string"', "just, ] a string"),
    ],
)
def test_only_commas_outside_strings_before_a_bracket_go(text: str, expected: object) -> None:
    assert json.loads(strip_trailing_commas(text)) == expected


def test_text_without_trailing_commas_is_unchanged() -> None:
    text = json.dumps(
        {"body": [{"type": "TextBlock", "text": f"item {n}, due"} for n in range(50)]}
    )
    assert strip_trailing_commas(text) == text


def test_a_long_text_full_of_commas_is_one_pass() -> None:
    # No backtracking: a text ten times longer takes about ten times as long, not a hundred.
    def seconds(n: int) -> float:
        text = "[" + '"a, ,", ' * n + "1,]"
        started = time.perf_counter()
        strip_trailing_commas(text)
        return time.perf_counter() - started

    seconds(1000)
    assert seconds(100_000) < 30 * max(seconds(10_000), 1e-4)
