"""This module tells a question asking who holds a post ("who was the lead inspector on the
b&d ilacs", "what's the name of the new dcs") from one asking what the post is ("who is
the dcs"), and whether an answer names anyone at all."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Posts a question may ask the holder of.
_POST = (
    r"(?:dcs|director|chief\s+executive|chair(?:man|woman|person)?|lead\s+member"
    r"|portfolio\s+holder|cabinet\s+member|(?:lead\s+)?inspectors?|hmi|commissioner|minister"
    r"|representative|rep|head\s+of\s+service|mp|councillor|leader|lead\s+officer)"
)
# The holder, not the post: its name, who was appointed, or who held it somewhere ("who was
# the dcs at b&d", "who was the dfe representative on medway's board").
_ASKS_WHO_HOLDS = re.compile(
    r"\b(?:what(?:['\u2019]?s|\s+is|\s+was)\s+the\s+name\s+of|name\s+of\s+the)\b[^?.!]*?\b"
    + _POST
    + r"\b|\bwho\s+(?:was|were|is|got)\s+appointed\b"
    r"|\bwho\s+(?:is|was|were)\s+(?:the\s+|their\s+|its\s+)?(?:[\w'-]+\s+){0,3}?"
    + _POST
    + r"\s+(?:of|at|in|for|on|from)\s+\w",
    re.IGNORECASE,
)
# A person as the reports name them: "Mrs Eleanor Brazil", "Cllr Martin Curtis", "Edward
# Timpson MP", "the Chief Executive, Mark Lloyd".
_TITLED = re.compile(r"\b(?:Mrs|Mr|Ms|Miss|Dr|Cllr|Councillor)\.?\s+[A-Z][a-z]+")
_TWO_NAMES = re.compile(r"\b([A-Z][a-z]+)\s+([A-Z][a-z'-]+)\b")


def asks_who_holds_a_post(question: str) -> bool:
    """Whether `question` asks who held a post, by name."""
    return bool(_ASKS_WHO_HOLDS.search(question))


def names_people(texts: Iterable[str], ordinary: Iterable[str]) -> list[bool]:
    """For each text, whether it names a person: a title before a name, or two capitalised
    words neither of which is one of the `ordinary` words, the lower-case words the
    knowledge uses ("Mark Lloyd", not "Children Act", "In March" or "North East")."""
    common = {w.lower() for w in ordinary}
    return [
        bool(_TITLED.search(text))
        or any(
            first.lower() not in common and second.lower() not in common
            for first, second in _TWO_NAMES.findall(text)
        )
        for text in texts
    ]
