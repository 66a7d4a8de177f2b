"""This module contains classify, which decides which dialog a chat message belongs to."""

from __future__ import annotations

import re
from enum import StrEnum


class Intent(StrEnum):
    """The dialogs a message can be routed to."""

    HELP = "help"
    UNKNOWN = "unknown"


_HELP_PHRASES = frozenset(
    {
        "help",
        "menu",
        "commands",
        "start",
        "hi",
        "hello",
        "hey",
        "what can you do",
        "what do you do",
        "how do i use this",
    }
)
_NOT_WORDS = re.compile(r"[^a-z0-9' ]+")


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces: how phrases are compared."""
    return " ".join(_NOT_WORDS.sub(" ", text.lower()).split())


def classify(text: str) -> Intent:
    """The intent of a message; anything not yet understood is UNKNOWN."""
    cleaned = normalise(text)
    if not cleaned or cleaned in _HELP_PHRASES:
        return Intent.HELP
    return Intent.UNKNOWN
