"""This module turns questions and answers into comparable terms: words, stems, synonyms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from knowledge.ages import YEARS_OLD

WORD = re.compile(r"[a-z0-9]+")
_STOP_WORD_TEXT = """
    a an the is are was were be been being do does did doing what whats which who whom whose
    when how why where of for to in on at by with about from into and or but if then than so
    i im we my our me us you your it its this that these those there their they them he she
    his her should must can could would will shall may might need needs have has had having
    please tell know let get got give any some all each every much many more most very just
    also still ok okay hi hello thanks thank q re not no yes one til till until actually etc
    roughly approx approximately basically literally honestly exactly really anyway sorry pls plz
    dont doesnt didnt isnt arent wasnt werent wont cant cannot couldnt shouldnt wouldnt havent
    hasnt hadnt mustnt someone somebody anyone anybody said says reckon reckons reckoned
    thought think thinks apparently true correct only r u wot wat wats supposed meant ought
    something anything everything now yet ive weve youve theyve theyll youll thats theres
    hes shes
"""
STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())
# Irregular plurals the suffix rules below would get wrong.
IRREGULAR = {
    "children": "child",
    "childrens": "child",
    "people": "person",
    "peoples": "person",
    "women": "woman",
    "men": "man",
    "ofsted": "ofsted",
}


# "SEND" (special educational needs and disabilities) is also the verb people type in lower
# case. Before what is sent ("when do we send annex a over") it is the verb, read as
# "submit" to match the verb and not SEND; after a sender with nothing sent ("how many
# inspectors do ofsted send") it says nothing and is dropped; before "inspection" or after
# "area", and anywhere else, it is the acronym.
_SEND_VERB_BEFORE_TEXT = """
    to we i you they do dont must should can could will would need please pls and or not
    then who did didnt have has well ill youll ofsted inspectors inspector council la dfe usually
"""
_SEND_VERB_AFTER_TEXT = """
    the a an it them this that these those out over off back through round our my your
    their his her him us me annex notification notifications email emails letter report
    data list lists copy details
"""
_SEND_ACRONYM_AFTER_TEXT = """
    inspection inspections framework frameworks local area code reforms support team
    children pupils provision services service ehcp ehcps
"""
_SEND_VERB_BEFORE = frozenset(_SEND_VERB_BEFORE_TEXT.split())
_SEND_VERB_AFTER = frozenset(_SEND_VERB_AFTER_TEXT.split())
_SEND_ACRONYM_AFTER = frozenset(_SEND_ACRONYM_AFTER_TEXT.split())
SEND_VERB_TERM = "submit"


def _send_read(raw: list[str], position: int) -> str:
    """What "send" at `position` means: "send" (SEND), SEND_VERB_TERM, or "" (nothing)."""
    before = raw[position - 1] if position else ""
    after = raw[position + 1] if position + 1 < len(raw) else ""
    if before == "area" or after in _SEND_ACRONYM_AFTER:
        return "send"
    if after in _SEND_VERB_AFTER:
        return SEND_VERB_TERM
    return "" if before in _SEND_VERB_BEFORE else "send"


def stem(word: str) -> str:
    """A light English stemmer: enough to match plurals and verb forms, nothing cleverer."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("sses", "ss"), ("ings", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + replacement
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]
    if word.endswith("ed") and len(word) > 4 and not word.endswith("eed"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# "What's the visit where they look at one area called?": "called" last in a question or
# sentence asks a name, not about a phone call.
_CALLED_LAST = re.compile(r"\bcalled\b(?=\s*(?:[?!.,;:]|$))", re.IGNORECASE)
NAME_TERM = "name"
# Ordinals as people type them: "the 1st lac review" is the first.
ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third"}


# Units as people shorten them, alone ("15 wd") or stuck to their number ("15wd", "6mths").
UNITS = {
    "wd": ("working", "days"), "wds": ("working", "days"), "wdays": ("working", "days"),
    "wk": ("week",), "wks": ("weeks",), "w": ("weeks",),
    "mth": ("month",), "mths": ("months",), "mnth": ("month",), "mnths": ("months",),
    "hr": ("hour",), "hrs": ("hours",), "h": ("hours",),
    "yr": ("year",), "yrs": ("years",),
    "d": ("days",), "day": ("day",), "days": ("days",), "week": ("week",), "weeks": ("weeks",),
    "month": ("month",), "months": ("months",), "hour": ("hour",), "hours": ("hours",),
    "year": ("year",), "years": ("years",),
}  # fmt: skip
_NUMBER_AND_UNIT = re.compile(r"(\d+)([a-z]+)")
# Written out when they stand alone: the unit abbreviations that are no word of their own,
# and other words as people shorten them in chat ("area send insp how long"). ("insps" is as
# often inspectors as inspections; "mtg" for meeting was measured too: it let "legal
# planning mtg" pull a question about care proceedings towards pre-proceedings.)
_SHORTENED_ALONE = {
    unit: UNITS[unit]
    for unit in ("wd", "wds", "wdays", "wk", "wks", "mth", "mths", "mnth", "mnths", "hrs", "yrs")
} | {
    "insp": ("inspection",), "inspn": ("inspection",), "freq": ("frequency",),
    "prev": ("previous",), "assmt": ("assessment",), "assmnt": ("assessment",),
}  # fmt: skip
# "b&d's", "b&ds", "c&f's": the possessive of a name shortened round "&" is the name
# ("b&d"), not "b" and a word "ds".
_AMPERSAND_POSSESSIVE = re.compile(r"(&[a-z]{1,3})['\u2019]?s\b")


def words(text: str) -> list[str]:
    """Lower-cased words and numbers, apostrophes dropped ("what's" -> "whats"), typed
    ordinals spelt out ("1st" -> "first"), shortened units written out ("15wd" -> "15
    working days")."""
    # A child's age ("a 10 yr old", "14yo") says who the question is about, not what it
    # asks, and its "year" would pull towards yearly timescales: "first review for a 10 yr
    # old" is no question about the health assessment's "every 12 months". Read as the
    # child (the age itself is read from the question where a timescale depends on it).
    lowered = YEARS_OLD.sub(" child ", _AMPERSAND_POSSESSIVE.sub(r"\1", text.lower()))
    found = WORD.findall(lowered.replace("'", "").replace("\u2019", ""))
    spelt: list[str] = []
    for word in found:
        glued = _NUMBER_AND_UNIT.fullmatch(word)
        if word in ORDINALS:
            spelt.append(ORDINALS[word])
        elif glued and glued[2] in UNITS:
            spelt += [glued[1], *UNITS[glued[2]]]
        elif word in _SHORTENED_ALONE:
            spelt += _SHORTENED_ALONE[word]
        else:
            spelt.append(word)
    return spelt


class Vocabulary:
    """Synonym and acronym groups, applied the same way to questions and to the knowledge.

    Each group maps every phrase in it to one canonical term, so "LAC", "CLA", "looked
    after" and "children in care" all become the same term before anything is compared.
    """

    def __init__(self, groups: Mapping[str, Iterable[str]]) -> None:
        self._phrases: dict[tuple[str, ...], str] = {}
        for canonical, phrases in groups.items():
            for phrase in (canonical, *phrases):
                key = tuple(stem(w) for w in words(phrase))
                if key:
                    self._phrases[key] = canonical
        self._longest = max((len(k) for k in self._phrases), default=1)

    def terms(self, text: str) -> list[str]:
        """The comparable terms of `text`: synonyms joined, stop words dropped."""
        raw = words(_CALLED_LAST.sub(NAME_TERM, text))
        stems = [_send_read(raw, i) if w == "send" else stem(w) for i, w in enumerate(raw)]
        return self._joined(stems, raw)

    def rejoined(self, terms: list[str]) -> list[str]:
        """`terms` with the phrases among them joined again: once a typo is corrected,
        "health assesment" is the phrase "health assessment" after all."""
        return self._joined(terms, terms)

    def _joined(self, stems: list[str], raw: list[str]) -> list[str]:
        terms: list[str] = []
        position = 0
        while position < len(stems):
            for length in range(min(self._longest, len(stems) - position), 0, -1):
                canonical = self._phrases.get(tuple(stems[position : position + length]))
                if canonical is not None:
                    terms.append(canonical)
                    position += length
                    break
            else:
                # A stop word is recognised before stemming too: "does" stems to "doe".
                stemmed = stems[position]
                if stemmed and stemmed not in STOP_WORDS and raw[position] not in STOP_WORDS:
                    terms.append(stemmed)
                position += 1
        return terms
