"""This module splits a message into the questions in it, and finds the question in a paste.

"What's the ILACS notice period and how long are they on site" asks two things; each half
is searched on its own, and when each finds a different entry both are answered. A long
message (an email pasted in) is answered on the sentence that asks something.
"""

from __future__ import annotations

import re

# Where one question ends and another may begin; an arrow joins the steps of a process
# ("strat -> icpc -> core group").
_QUESTION_BREAK = re.compile(r"\?+\s*|;\s*|\s+[-\u2013\u2014/]\s+|\s*(?:-+>|=>|\u2192)\s*|\n+")
_JOINS = re.compile(
    r"\s*(?:,\s*)?\b(?:and\s+also|and\s+then|and|n|also|plus|as\s+well\s+as|then)\b\s*"
    r"|\s+[&+]\s+|\s*\+\s*",
    re.I,
)
# Names with "and" in them are one thing, never two questions: "barking and dagenham",
# "child and family assessment", "help and protection", "the Education and Inspections
# Act", "the Children and Families Act".
_ONE_NAME = re.compile(
    r"\b(barking|child|children|c|help|health|education)\s+(?:and|&)\s+"
    r"(dagenham|family|families|f|protection|wellbeing|care|inspections)\b",
    re.I,
)
# Two things set side by side ("short vs standard ilacs - how long is each on site"): the
# question is asked of each. The comparands are the words either side of "vs", as many on
# each side as end in the same word ("ilacs call vs jtai call"), else one.
# ("R v Secretary of State" names a court case.)
_VERSUS = re.compile(r"(?<!\b[rR]) (?:vs\.?|versus|v\.?|compared (?:to|with)) ", re.I)
# "The difference between a short and a standard ilacs": the "and" sets two side by side.
_BETWEEN_AND = re.compile(
    r"\b(?:differences?|compare|comparing) between (?P<first>.+?) and ", re.I
)
# "jtai and area send, how much notice does each give": two things, then what is asked of
# each of them.
_EACH_OF_TWO = re.compile(
    r"^ ?(?P<first>\S+(?: \S+){0,2}?) (?:and|&) (?P<second>\S+(?: \S+){0,2}?)"
    r" ?[,:\-\u2013\u2014] ?(?P<rest>.*\b(?:each|both)\b.*)$",
    re.I,
)
# Runs of spaces and tabs, read as one space before anything is split: no pattern then
# tries a long run of them from every place it starts.
_SPACES = re.compile(r"[^\S\n]+")
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)
_LONGEST_COMPARAND = 3
# Said alone on each side of "vs", these name the kinds of ILACS inspection.
_KINDS_OF_INSPECTION = frozenset({"short", "standard"})
_NAMES_INSPECTION = re.compile(r"\b(?:ilacs|inspections?|ones?)\b", re.I)
# "What's it called": asking the name of what the piece before it asked about is one
# question with it ("when is it due" is a question of its own about the same thing).
_ASKS_OF_THE_LAST = re.compile(
    r"^(?:what|whats|what['\u2019]s)\s+(?:(?:is|are|was|were)\s+)?(?:it|they|that|this)\s+"
    r"(?:going\s+to\s+be\s+|gonna\s+be\s+)?called\b"
    # Nor is a bare "when" or "how soon" after a question: "what do we owe ofsted and when"
    # asks when that is due.
    r"|^(?:by\s+)?when\??$|^how\s+(?:soon|quickly|long)\??$",
    re.I,
)
_FOLLOW_UP_WORDS = 6
MAX_PARTS = 3
# A message longer than this is treated as a paste: only its asking sentences are searched.
LONG_MESSAGE_CHARS = 280
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_ASKS = re.compile(
    r"\?|\b(?:what|whats|when|whens|how|who|which|why|where)\b"
    r"|^\s*(?:is|are|do|does|can|should|must|will|would)\b",
    re.I,
)


def question_parts(text: str) -> list[str]:
    """The pieces `text` may ask about separately: split at question marks, semicolons and
    dashes, then at "and", "also", "plus". The caller decides which pieces are questions
    ("icpc and core group timescales" has two; "help and protection" has none).

    A comparison ("ilacs call vs jtai call - when are they on site after each") is the same
    question asked of each side."""
    return compared_parts(text) or split_parts(text)


def split_parts(text: str) -> list[str]:
    """`question_parts` for a message that sets nothing side by side: its pieces between
    breaks and joins, or the whole message when it has fewer than two. Asking what "it" is
    called ("is ofsted bringing in a new framework? what's it called") asks about the piece
    before it, and stays with it."""
    kept_whole = _kept_whole(text)
    pieces = [p.strip() for p in _QUESTION_BREAK.split(kept_whole) if p and p.strip()]
    split = [h.strip(" ,") for piece in pieces for h in _JOINS.split(piece) if h]
    parts: list[str] = []
    for part in (p for p in split if _word_count(p)):
        if (
            parts
            and _word_count(part) <= _FOLLOW_UP_WORDS
            and _ASKS_OF_THE_LAST.match(part.strip())
        ):
            parts[-1] = f"{parts[-1]} {part}"
        else:
            parts.append(part)
    if len(parts) < 2:
        return [text]
    return parts[: MAX_PARTS + 1]


def compared_parts(text: str) -> list[str]:
    """The message asked of each side of one "A vs B" (or "the difference between A and
    B", or "A and B - ... each"), its breaks read as spaces; none when it sets nothing side
    by side (or more than two things, or asks something else first: "how long is an icpc -
    and what is the difference between an s47 and a strat")."""
    text = _kept_whole(text)
    versus = list(_VERSUS.finditer(text))
    between = _BETWEEN_AND.search(text)
    each = _EACH_OF_TWO.match(text)
    if each and not versus:
        return [f"{side} {each['rest']}".strip() for side in (each["first"], each["second"])]
    if len(versus) == 1:
        left, right = text[: versus[0].start()], text[versus[0].end() :]
    elif between and not versus:
        whole = _whole_comparands(text, between)
        if whole:
            return whole
        # The comparison's own words ask nothing of either side: "what's the difference
        # between a short and a standard ilacs on site" asks "what's the ... on site".
        left = text[: between.start()] + _ARTICLE.sub("", between["first"])
        right = text[between.end() :]
    else:
        return []
    if _QUESTION_BREAK.search(left) or _JOINS.search(_until_a_break(right)):
        return []
    before = left.split()
    after = _ARTICLE.sub("", right).split()
    if not before or not after:
        return []
    size = next(
        (
            n
            for n in range(_LONGEST_COMPARAND, 1, -1)
            if len(before) >= n and len(after) >= n and _bare(before[-1]) == _bare(after[n - 1])
        ),
        1,
    )
    head, rest = " ".join(before[:-size]), " ".join(after[size:])
    sides = (" ".join(before[-size:]), " ".join(after[:size]))
    kinds_alone = all(_bare(side) in _KINDS_OF_INSPECTION for side in sides)
    if kinds_alone and not _NAMES_INSPECTION.match(rest):
        # "short vs standard, how long is each": the two kinds of ILACS inspection, when
        # the word after them does not say so itself ("short vs a standard inspection").
        sides = (f"{_bare(sides[0])} inspection", f"{_bare(sides[1])} inspection")
    if head and not asks(head):
        # "c&f assessment vs icpc timescales": words before that ask nothing belong to the
        # first thing ("c&f assessment"); "how long is a short vs a standard" shares them.
        sides, head = (f"{head} {sides[0]}", sides[1]), ""
    return [_QUESTION_BREAK.sub(" ", f"{head} {side} {rest}").strip() for side in sides]


def _whole_comparands(text: str, between: re.Match[str]) -> list[str]:
    """Each side of "the difference between the X of A and the X of B" whole, when both
    start with the same word: "the deadline to publish the report and the deadline for the
    action plan" sets two deadlines side by side, not "report" and "deadline". What follows
    the second side's break is asked of both."""
    first = _ARTICLE.sub("", between["first"].strip())
    after = text[between.end() :]
    second_side = _until_a_break(after)
    second = _ARTICLE.sub("", second_side.strip())
    rest = after[len(second_side) :]
    first_words, second_words = first.split(), second.split()
    if len(first_words) < 2 or len(second_words) < 2:
        return []
    if _bare(first_words[0]) != _bare(second_words[0]):
        return []
    head = text[: between.start()]
    asked = (_QUESTION_BREAK.sub(" ", f"{head} {side} {rest}") for side in (first, second))
    return [" ".join(part.split()) for part in asked]


def _kept_whole(text: str) -> str:
    """`text` with its runs of spaces read as one and its names with "and" in them joined
    ("barking_and_dagenham"), so that neither is split."""
    return _ONE_NAME.sub(r"\1_and_\2", _SPACES.sub(" ", text))


def _until_a_break(text: str) -> str:
    """`text` up to its first question break: where a third thing would be named."""
    return _QUESTION_BREAK.split(text, maxsplit=1)[0]


def _bare(word: str) -> str:
    """A word as compared across "vs": no punctuation, no case, no plural ("1 week vs 2
    weeks")."""
    return word.strip(",.?!:;").lower().removesuffix("s")


def asking_part(text: str) -> str:
    """The question in a long paste: its sentences that ask something, else its last one."""
    if len(text) <= LONG_MESSAGE_CHARS:
        return text
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    asking = [s for s in sentences if _ASKS.search(s)]
    chosen = asking[-2:] if asking else sentences[-1:]
    return " ".join(chosen) if chosen else text


def asks(text: str) -> bool:
    """Whether `text` is put as a question: a question mark or a question word first."""
    return bool(_ASKS.search(text))


def _word_count(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9]+", text))
