"""This module tells a question asking who holds a post ("who was the lead inspector on the
b&d ilacs", "what's the name of the new dcs") from one asking what the post is ("who is
the dcs"), and whether an answer names anyone at all."""

from __future__ import annotations

import re
from collections.abc import Callable, Set

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
    # "who was b&d lead inspector", "who is the medway dcs": a post somewhere named.
    r"|\bwho\s+(?:is|was|were)\s+(?:the\s+)?"
    r"(?!(?:the|a|an|lead|senior|new|chief|deputy|assistant|independent|corporate)\b)"
    r"[\w&'\u2019-]+\s+(?:[\w-]+\s+)?" + _POST + r"\s*\??\s*$"
    # "who did medway appoint as the independent chair", "... - who did they get?"
    r"|\bwho\s+did\s+(?:[\w&'\u2019-]+\s+){1,3}?(?:appoint|get|choose|pick|hire|recruit)\b"
    r"|\bwho\s+(?:is|was|were)\s+(?:the\s+|their\s+|its\s+)?(?:[\w'-]+\s+){0,3}?"
    + _POST
    + r"\s+(?:of|at|in|for|on|from)\s+\w",
    re.IGNORECASE,
)
# A person as the reports name them: "Mrs Eleanor Brazil", "Cllr Martin Curtis", "Edward
# Timpson MP", "the Chief Executive, Mark Lloyd".
_TITLED = re.compile(r"\b(?:Mrs|Mr|Ms|Miss|Dr|Cllr|Councillor)\.?\s+[A-Z][a-z]+")
_TWO_NAMES = re.compile(r"\b([A-Z][a-z]+)\s+([A-Z][a-z'-]+)\b")


# Who holds it now, or in the asker's own council: the reports name who held posts then, in
# their councils ("who is the current dcs at cambridgeshire", "who is the lead member here").
_NOW_OR_OURS = re.compile(
    r"\b(?:current|currently|now|nowadays|these\s+days|at\s+the\s+moment|today|present"
    r"|here|our|ours|my\s+council|this\s+council)\b",
    re.IGNORECASE,
)


def asks_who_holds_a_post_now_or_here(question: str) -> bool:
    """Whether `question` asks who holds a post now, or in the asker's own council."""
    return asks_who_holds_a_post(question) and bool(_NOW_OR_OURS.search(question))


def asks_who_holds_a_post(question: str) -> bool:
    """Whether `question` asks who held a post, by name."""
    return bool(_ASKS_WHO_HOLDS.search(question))


# A sentence naming a person with no place named before it: its post may be anyone's.
ANYWHERE = "*"
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")


def names_a_person(text: str, common: Set[str]) -> bool:
    """Whether `text` names a person: a title before a name, or two capitalised words
    neither of which is one of the `common` words, the lower-case words the knowledge uses
    ("Mark Lloyd", not "Children Act", "In March" or "North East")."""
    return bool(_TITLED.search(text)) or any(
        first.lower() not in common and second.lower() not in common
        for first, second in _TWO_NAMES.findall(text)
    )


def where_people_are_named(
    text: str, common: Set[str], places_in: Callable[[str], Set[str]]
) -> frozenset[str]:
    """The places whose post-holders `text` names (none when it names nobody): each
    sentence naming a person speaks of the places it names (`places_in`), or else of the
    last ones named before it ("Cambridgeshire's report ... Its Chief Executive, Mark Lloyd,
    chaired the meetings. Medway planned to appoint a chair" names Cambridgeshire's chair,
    not Medway's), or else of ANYWHERE."""
    found: set[str] = set()
    current: Set[str] = frozenset()
    for sentence in _SENTENCE_END.split(text):
        current = places_in(sentence) or current
        if names_a_person(sentence, common):
            found |= current or {ANYWHERE}
    return frozenset(found)
