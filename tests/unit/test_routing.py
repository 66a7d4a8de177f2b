"""Which dialog a message goes to."""

from __future__ import annotations

import pytest

from dialogs.routing import Intent, classify, normalise


@pytest.mark.parametrize(
    "text", ["help", "HELP", " Help! ", "help?", "hi", "Hello", "what can you do?", "", "?"]
)
def test_help_phrasings_route_to_help(text: str) -> None:
    assert classify(text) == Intent.HELP


@pytest.mark.parametrize("text", ["ICPC timescale", "my actions", "helpful", "please help me now"])
def test_anything_else_is_not_yet_understood(text: str) -> None:
    assert classify(text) == Intent.UNKNOWN


def test_normalise_lowercases_and_collapses_punctuation() -> None:
    assert normalise("  What's   DUE, this week?! ") == "what's due this week"
