"""This module reads the judgement a council says it had, for the inspection it implies.

"We were RI last time - how long will they be on site?" asks how long a standard inspection
lasts: Ofsted's 2017 announcement of ILACS gives a council last judged good or outstanding a
short inspection, and one judged requires improvement a standard one (the entry
`ilacs-short-or-standard-inspection`). Only a question about how long is read this way;
which inspection comes, or how much notice it gives, is answered the same for both.
"""

from __future__ import annotations

import re

_GRADE = r"(?P<{name}>ri|requires\s+improvement|good|outstanding)"
# When it was given: part of the statement, replaced with it. "RI at the min" needs one of
# the first few; "judged good previously" may have any.
_LATELY = r"last\s+time|at\s+(?:the\s+)?(?:moment|min|mo)|currently"
_WHEN = (
    rf"(?:\s+(?:{_LATELY}|previously"
    r"|(?:in|at)\s+(?:our|the)\s+last\s+(?:inspection|one|ilacs)))?"
)
# "we were RI last time", "judged good", "last letter said requires improvement", "our last
# ilacs came out as RI", "RI at the min": the council's own judgement, not "good practice"
# or "a good example".
_STATED = re.compile(
    r"\b(?:we\s+were|we\s+are|we['\u2019]re|we\s+got|we['\u2019]?ve\s+been|judged|rated|graded"
    r"|we\s+c[oa]me\s+out(?:\s+as|\s+at)?"
    r"|last\s+(?:letter|report|inspection|judgement|time|ilacs|one|grade|rating)"
    r"\s+(?:said|was|gave\s+us|c[oa]me\s+(?:out|back)(?:\s+as|\s+at)?))\s+"
    r"(?:currently\s+|still\s+)?(?:judged\s+|rated\s+|graded\s+|as\s+)?"
    + _GRADE.format(name="after")
    + r"\b(?!\s+(?:at\s+(?!the\s+(?:moment|min|mo)|(?:our|the)\s+last\s+(?:inspection|one|ilacs))"
    r"|for|practice|work|feedback|news|relationships?|progress|idea|questions?|point|examples?"
    r"|one|enough|to)\b)" + _WHEN + r"|\b" + _GRADE.format(name="before") + rf"\s+(?:{_LATELY})\b",
    re.IGNORECASE,
)
_ASKS_HOW_LONG = re.compile(
    r"\b(?:how\s+long|how\s+many\s+(?:weeks|days)|length|duration|on\s+site|stay|here\s+for"
    r"|lasts?\s+for)\b",
    re.IGNORECASE,
)
# An inspection or visit named already says which one is meant; a piece of casework named
# is what "how long" asks about ("we are still good with timescales, how long is an icpc").
_NAMED = re.compile(
    r"\b(?:short|standard|jtai|joint|send|focus+ed|monitoring|sif|fv|mv|icpc|rcpc|core\s+group"
    r"|strat|strategy|conference|s47|section\s+47|c&f|assessment|referral|placement|review"
    r"|plo|proceedings|annex)\b",
    re.IGNORECASE,
)
SHORT = "short inspection"
STANDARD = "standard inspection"


def with_implied_inspection(question: str) -> str:
    """`question` with a stated judgement read as the inspection it brings, when it asks
    how long that inspection lasts and names none: "we were RI last time, how long do they
    stay?" is searched as "standard inspection, how long do they stay?"."""
    stated = _STATED.search(question)
    if stated is None or _NAMED.search(question) or not _ASKS_HOW_LONG.search(question):
        return question
    grade = (stated["after"] or stated["before"]).lower()
    implied = STANDARD if grade.startswith("r") else SHORT
    return question[: stated.start()] + implied + question[stated.end() :]


# "What did medway get for children in care", "what did they get overall": what a council
# got from an inspection is its judgement, however the question words it.
_WHAT_GOT = re.compile(
    r"\bwhat\s+(?=did\s+(?:[\w&'\u2019-]+\s+){1,3}?(?:get|got|achieve)\b)",
    re.IGNORECASE,
)
_SAYS_WHICH = re.compile(
    r"\b(?:judge?ments?|grades?|graded|rated|ratings?|outcomes?)\b", re.IGNORECASE
)


def with_implied_judgement(question: str) -> str:
    """`question` with "what did X get" read as the judgement it asks, when it names no
    judgement or grade itself."""
    if _SAYS_WHICH.search(question):
        return question
    return _WHAT_GOT.sub("what judgement ", question, count=1)


# "We've just been told we're inadequate - how often will ofsted be coming back?": after an
# inadequate judgement Ofsted's return visits are its monitoring visits.
_NOW_INADEQUATE = re.compile(
    r"\b(?:we['\u2019]re|we\s+are|we\s+were|we['\u2019]?ve\s+been|been|got|came\s+out|come\s+out"
    r"|(?:services|council|we)\s+(?:is|are))\s+(?:judged\s+|rated\s+|graded\s+|as\s+)?inadequate\b"
    r"|\binadequate\s+(?:letter|judgement|judgment|grade|rating)\b",
    re.IGNORECASE,
)
_ASKS_HOW_OFTEN_BACK = re.compile(
    r"\b(?:how\s+often|how\s+frequently|how\s+regularly|rhythm|cadence|c[oa]m(?:e|ing)\s+back"
    r"|be\s+back|check\s+(?:in\s+)?on\s+us)\b",
    re.IGNORECASE,
)
_NAMES_A_VISIT = re.compile(
    r"\b(?:monitoring|focus+ed|mv|fv|jtai|send|short|standard|re-?inspect\w*)\b",
    re.IGNORECASE,
)
MONITORING = "monitoring visits"


def with_implied_monitoring(question: str) -> str:
    """`question` with Ofsted's visits after an inadequate judgement named as the
    monitoring visits they are, when it asks how often Ofsted comes back and names no
    visit: "we've just been told we're inadequate, how often will ofsted be coming back?"."""
    if not _NOW_INADEQUATE.search(question) or not _ASKS_HOW_OFTEN_BACK.search(question):
        return question
    if _NAMES_A_VISIT.search(question):
        return question
    return f"{question} {MONITORING}"
