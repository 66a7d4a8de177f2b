"""This module recognises small talk: greetings, thanks, an emoji, a lone mention.

None of it is a framework question, so it gets a short friendly answer, and is neither
searched nor passed to the coordinators as a question the bot could not answer.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

# People type the bot's name as well as mentioning it: "@Inspection Ready thanks".
_TYPED_NAME = re.compile(r"^\s*@?\s*inspection[\s-]*ready\b[\s,:;.!-]*", re.IGNORECASE)
_WORD = re.compile(r"[a-z']+")


class SmallTalk(StrEnum):
    """What kind of small talk a message is, each with the answer it gets."""

    GREETING = (
        "Hello! Ask me about the inspection frameworks or statutory timescales, or type "
        "'help' to see what else I can do."
    )
    THANKS = "You're welcome. Ask me any time."
    ACKNOWLEDGED = "Glad that helped. Anything else, just ask."
    FAREWELL = "Bye for now. I'm here whenever you need me."


_GREETINGS = {
    "hi", "hello", "hey", "hiya", "morning", "afternoon", "evening", "good", "yo", "there",
    "all", "team", "everyone", "hia", "howdy", "bot", "mate", "folks",
}  # fmt: skip
_THANKS = {
    "thanks", "thank", "you", "ta", "cheers", "thx", "ty", "much", "so", "very", "many",
    "lovely", "brill", "brilliant", "great", "that's", "thats", "helpful", "perfect",
    "amazing", "super", "fab", "fabulous", "really", "bot", "mate", "ok", "okay", "x", "xx",
    "xxx",
}  # fmt: skip
_ACKS = {
    "ok", "okay", "k", "kk", "cool", "great", "nice", "got", "it", "fine", "noted", "sure",
    "right", "perfect", "excellent", "lovely", "brill", "brilliant", "yes", "yep", "yeah",
    "no", "worries", "sound", "grand", "will", "do", "that's", "thats", "good", "alright",
    "lol", "haha", "ha", "ah", "oh", "ace", "gotcha", "understood", "np", "legend",
}  # fmt: skip
_FAREWELLS = {
    "bye", "goodbye", "cya", "later", "see", "you", "ya", "night", "goodnight", "for", "now",
    "speak", "soon",
}  # fmt: skip
# The words that say which kind it is, when every word is small talk of one kind or another.
_THANKS_MARKS = {"thanks", "thank", "ta", "cheers", "thx", "ty"}
_FAREWELL_MARKS = {"bye", "goodbye", "cya", "goodnight", "later"}
_GREETING_MARKS = {
    "hi", "hello", "hey", "hiya", "morning", "afternoon", "evening", "yo", "hia", "howdy",
}  # fmt: skip
# "You there?", "is this thing on?": asking whether anyone is listening, not a question.
_PRESENCE = {
    "are", "you", "u", "r", "there", "anyone", "anybody", "hello", "hi", "hey", "is", "this",
    "thing", "working", "awake", "alive", "still", "on", "bot", "morning", "afternoon", "today",
    "again",
}  # fmt: skip
_PRESENCE_MARKS = {"there", "working", "awake", "alive", "on", "hello", "hi", "hey"}
# Small talk is short; a longer message with a greeting in it is a question with manners.
MAX_WORDS = 6


def strip_typed_name(text: str) -> str:
    """The message without a typed "@Inspection Ready" in front of it."""
    return _TYPED_NAME.sub("", text, count=1)


def small_talk(text: str) -> SmallTalk | None:
    """The kind of small talk `text` is, or None if it is (or may be) a real question."""
    rest = strip_typed_name(text)
    words = _WORD.findall(rest.lower())
    if "?" in rest:
        found = set(words)
        is_presence = len(words) <= MAX_WORDS and found <= _PRESENCE and found & _PRESENCE_MARKS
        return SmallTalk.GREETING if is_presence else None
    if not words:
        # Nothing but emoji, punctuation or the bot's name: a thumbs-up, a wave, a mention.
        return (
            SmallTalk.ACKNOWLEDGED if _only_symbols(rest) and rest.strip() else SmallTalk.GREETING
        )
    if len(words) > MAX_WORDS or not set(words) <= _GREETINGS | _THANKS | _ACKS | _FAREWELLS:
        return None
    found = set(words)
    if found & _THANKS_MARKS:
        return SmallTalk.THANKS
    if found & _FAREWELL_MARKS:
        return SmallTalk.FAREWELL
    if found & _GREETING_MARKS:
        return SmallTalk.GREETING
    return SmallTalk.ACKNOWLEDGED


def _only_symbols(text: str) -> bool:
    # Emoji, punctuation and spaces only: no letters or digits in any script.
    return all(not unicodedata.category(c).startswith(("L", "N")) for c in text)
