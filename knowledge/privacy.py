"""This module spots questions that seem to carry a person's name or a date of birth.

Such a question still gets its answer, with a reminder to use case references only, and
is never kept as typed: what is kept has the name-like words and dates replaced.
The checks are deliberately simple and lean towards a false alarm: a reminder sent in
error costs a line of text, a child's name kept in a table costs far more.
"""

from __future__ import annotations

import re

from knowledge.councils import HELD_COUNCIL_WORDS, OTHER_COUNCILS

REMINDER = (
    "Please use case references only, never a child's or family member's name or date of "
    "birth. I have not kept what you typed."
)
REDACTED = "[removed]"

_BIRTH = re.compile(r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born(?:\s+on)?|birthday)\b", re.I)
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
# "Jayden Smith", "Mrs O'Neill": two capitalised words in a row, or a title and a name.
_CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z'\u2019-]+)\s+([A-Z][a-z'\u2019-]+)\b")
_TITLE_AND_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Master)\.?\s+[A-Z][a-z'\u2019-]+")
# "smith's case", "for jayden's plan": someone's own record, named.
_POSSESSIVE_RECORD = re.compile(
    r"\b([a-z][a-z-]+)['\u2019]s\s+(?:case|plan|file|record|assessment|review|visit|"
    r"placement|conference|referral|mum|dad|mother|father|family|school|social\s+worker)\b",
    re.I,
)
# Capitalised words that are not names: the framework's own words, days, months, bodies.
_NOT_NAMES = frozenset(
    {
        "ofsted", "ilacs", "jtai", "send", "sif", "dfe", "cqc", "hmi", "hmicfrs", "dcs", "iro",
        "lado", "icpc", "rcpc", "cin", "cp", "cla", "lac", "cic", "sgo", "uasc", "plo",
        "annex", "list", "local", "authority", "children", "childrens", "services", "social",
        "care", "leavers", "improvement", "board", "notice", "plan", "inspection",
        "inspections", "framework", "focused", "visit", "monitoring", "short", "standard",
        "working", "together", "education", "act", "families", "court", "order", "review",
        "conference", "core", "group", "team",
        "manager", "director", "corporate", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december", "christmas",
        "easter", "bank", "holiday", "england", "wales", "the", "a", "an", "what", "when",
        "how", "who", "why", "where", "which", "is", "are", "do", "does", "can", "should",
        "if", "my", "our", "we", "i", "hi", "hello", "thanks", "ok", "please", "good",
        "outstanding", "requires", "inadequate", "self", "evaluation", "annual", "engagement",
        "meeting", "area", "special", "educational", "needs", "written", "statement", "action",
        "priority", "early", "help", "front", "door", "mash", "health", "assessment",
        "pathway", "personal", "adviser", "independent", "reviewing", "officer", "secretary",
        "state", "commissioner", "safeguarding", "partnership", "partners", "leadership",
        "judgement", "judgements", "grade", "grades", "teams", "chat", "bot", "ready",
    }
)  # fmt: skip
# Places are not people. The five councils whose reports are held, and the words councils
# are called by, own records without naming anyone ("Medway's plan", "the council's case").
_HELD_COUNCILS = HELD_COUNCIL_WORDS | {
    "council", "councils", "county", "borough", "city", "london"
}  # fmt: skip
# England's other councils count only as a pair of place words ("Milton Keynes", "Tower
# Hamlets", "Surrey County"): many of their words are surnames too ("Jayden Sutton").
_PLACE_WORDS = _HELD_COUNCILS | {
    word for name in OTHER_COUNCILS for word in name.split() if word != "and"
}
# Record words that follow a possessive without it naming anyone: "the child's plan".
_NOT_OWNERS = frozenset(
    {"child", "childs", "councils", "council", "todays", "ofsteds", "someone", "today",
     "yesterday", "person", "parent", "parents", "carer", "carers", "worker", "workers",
     "manager", "managers", "authoritys", "authority", "las", "la", "dfes", "dfe", "week",
     "month", "year", "young", "persons", "family", "familys", "iro", "iros", "inspectors",
     # Who someone is, not their name: "my care leaver's plan", "the sw's visit".
     "leaver", "leavers", "foster", "adopter", "adopters", "guardian", "guardians", "sibling",
     "siblings", "baby", "babys", "babies", "teenager", "toddler", "pupil", "pupils",
     "student", "students", "client", "clients", "colleague", "colleagues", "sw", "sws",
     "tm", "tms", "mum", "mums", "dad", "dads", "mother", "father", "grandparent",
     "grandparents", "nan", "gran", "partner", "boy", "boys", "girl", "girls", "kid", "kids",
     "team", "teams", "user", "users", "lead", "leads", "ssw", "pa", "pas", "nurse",
     "teacher", "head", "gp", "police"}
)  # fmt: skip


# Words that may own a record without naming anyone: "the child's plan", "Ofsted's visit".
_NOT_OWNER_WORDS = _NOT_OWNERS | _NOT_NAMES | _HELD_COUNCILS


def looks_personal(text: str) -> bool:
    """Whether `text` seems to carry a person's name or a date of birth."""
    if _BIRTH.search(text) or _TITLE_AND_NAME.search(text):
        return True
    if any(_is_name(*pair) for pair in _CAPITALISED_PAIR.findall(text)):
        return True
    return any(_is_owner(m.group(1)) for m in _POSSESSIVE_RECORD.finditer(text))


def redact(text: str) -> str:
    """`text` with the name-like words and every date replaced, for keeping."""
    text = _NUMERIC_DATE.sub(REDACTED, text)
    text = _TITLE_AND_NAME.sub(REDACTED, text)
    text = _CAPITALISED_PAIR.sub(
        lambda m: REDACTED if _is_name(m.group(1), m.group(2)) else m.group(0), text
    )
    text = _POSSESSIVE_RECORD.sub(
        lambda m: (
            REDACTED + m.group(0)[len(m.group(1)) :] if _is_owner(m.group(1)) else m.group(0)
        ),
        text,
    )
    return _BIRTH.sub(REDACTED, text)


def _is_name(first: str, second: str) -> bool:
    # Two capitalised words, neither of them one of the framework's own, and not a place.
    pair = {_plain(first), _plain(second)}
    return not pair & _NOT_NAMES and not pair <= _PLACE_WORDS


def _is_owner(word: str) -> bool:
    # The word before "'s case", "'s plan": a name unless it is a word of the trade.
    return _plain(word) not in _NOT_OWNER_WORDS


def _plain(word: str) -> str:
    return word.lower().replace("'", "").replace("\u2019", "")
