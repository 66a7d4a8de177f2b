"""This module takes out a figure a question puts forward to be checked, keeping what it asks.

"My TM reckons 10 working days for the ICPC, right?" asks the ICPC timescale; the 10 working
days is a guess, and often another entry's figure (the first core group's). Searched as it
is, the guess pulls that other entry up; searched as "how long for the ICPC", the question
finds the entry that gives the right figure, and its answer corrects the guess.
"""

from __future__ import annotations

import re

_AMOUNT = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
    r"|twenty|thirty|forty|fifty|sixty|seventy)"
)
# "10 working days", "40 weeks", "six months"; "every 10 days", "within a month".
_DURATION = re.compile(
    rf"\b(?:(?:with)?in|after|every|each|for|of|up\s+to|at\s+least|at\s+most|only)?\s*"
    rf"{_AMOUNT}[\s-]+(?:working[\s-]+|calendar[\s-]+|clear[\s-]+)?"
    r"(?:days?|weeks?|months?|years?|hours?|wd)\b",
    re.IGNORECASE,
)
# "once a year", "every quarter", "yearly", "monthly": a guessed frequency.
_PERIOD = re.compile(
    r"\b(?:(?:once|twice)\s+(?:a|an|per|every)\s+(?:day|week|fortnight|month|quarter|year)"
    r"|every\s+(?:day|week|fortnight|month|quarter|year)"
    r"|daily|weekly|fortnightly|monthly|quarterly|yearly|annually)\b",
    re.IGNORECASE,
)
# Words that put a figure forward for checking: someone's claim ("my TM reckons"), a tag
# asking for agreement at the end ("..., right?", "isn't it", "is that true"), or "is it"
# before the figure. "26 weeks - is that from issue?" asks about the figure, not whether it
# is right, so "is that" counts only as a tag.
_CLAIMS = re.compile(
    r"\b(?:reckons?|thinks?|thought|says?|said|told|heard|believes?|apparently|surely)\b",
    re.IGNORECASE,
)
_TAG = re.compile(
    r"\b(?:right|true|correct|wrong|accurate|so|is\s+(?:that|it|this)(?:\s+right)?|isn'?t\s+it"
    r"|aren'?t\s+they|don'?t\s+(?:they|we|you|i)|doesn'?t\s+it|can\s+that\s+be\s+right"
    r"|yeah|yes|innit)\W*$",
    re.IGNORECASE,
)
_IS_IT = re.compile(rf"\bis\s+it\s+(?:really\s+|only\s+|just\s+)?{_AMOUNT}\b", re.IGNORECASE)


def without_claimed_figure(text: str) -> str:
    """`text` with a figure put forward for checking turned into what it asks ("how long",
    "how often"); unchanged when it puts no figure forward."""
    if not (_CLAIMS.search(text) or _TAG.search(text) or _IS_IT.search(text)):
        return text
    # "Once a year" before "a year": a frequency, not a duration.
    checked = _PERIOD.sub(" how often ", text)
    return _DURATION.sub(" how long ", checked)
