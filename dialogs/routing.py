"""This module contains classify, which decides which dialog a chat message belongs to."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process


class Intent(StrEnum):
    """The dialogs a message can be routed to."""

    HELP = "help"
    MY_ACTIONS = "my_actions"
    OVERDUE = "overdue"
    DUE_THIS_WEEK = "due_this_week"
    MY_AUDITS = "my_audits"
    AUDITS_DUE = "audits_due"
    # "draw audits for <month>": the monthly audit draw (coordinators).
    DRAW_AUDITS = "draw_audits"
    MY_TEAM = "my_team"
    OVERDUE_IN = "overdue_in"
    CALENDAR = "calendar"
    REMINDERS = "reminders"
    UNREACHABLE = "unreachable"
    RELINK = "relink"
    INSPECTION_CALL = "inspection_call"
    BOARD_UPDATES = "board_updates"
    BOARD_PACK = "board_pack"
    AREA_ACTIONS = "area_actions"
    AUDIT_REPORT = "audit_report"
    INSPECTION_AUDITS_REPORT = "inspection_audits_report"
    INSPECTOR_CASES = "inspector_cases"
    MY_MODERATIONS = "my_moderations"
    # Anything else is a framework question.
    QUESTION = "question"


@dataclass(frozen=True, slots=True)
class Command:
    """What a message asks for; `argument` is the area or team for "overdue in ...", the
    kind of event for calendar questions, the email address to relink, the month of an
    audit report, or the case references the inspectors asked for."""

    intent: Intent
    argument: str | None = None


PHRASES: dict[Intent, tuple[str, ...]] = {
    Intent.HELP: (
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
    ),
    Intent.MY_ACTIONS: (
        "my actions",
        "actions",
        "show my actions",
        "list my actions",
        "my action plan",
        "my improvement actions",
        "my plan actions",
        "my work",
        "what are my actions",
        "show me my actions",
        "what actions do i have",
    ),
    Intent.OVERDUE: (
        "whats overdue",
        "what is overdue",
        "overdue",
        "overdue actions",
        "my overdue actions",
        "overdue items",
        "anything overdue",
        "show overdue",
        "what have i missed",
    ),
    Intent.DUE_THIS_WEEK: (
        "whats due this week",
        "what is due this week",
        "due this week",
        "whats due",
        "due soon",
        "this week",
        "what is due",
        "whats coming up for me",
    ),
    Intent.MY_AUDITS: (
        "my audits",
        "audits",
        "my audit assignments",
        "my case audits",
        "show my audits",
        "audit assignments",
    ),
    Intent.AUDITS_DUE: (
        "audits due",
        "overdue audits",
        "audits due this week",
        "which audits are due",
        "audits overdue",
    ),
    Intent.MY_TEAM: ("my team", "team", "my teams actions", "my team overdue", "show my team"),
    Intent.REMINDERS: (
        "reminders",
        "reminder settings",
        "my reminders",
        "digest only",
        "pause reminders",
        "resume reminders",
        "stop reminders",
        "notifications",
        "notification settings",
    ),
    Intent.UNREACHABLE: ("unreachable", "who is unreachable", "who cant be reached"),
    Intent.RELINK: ("relink", "link requests", "relink an account", "link a teams account"),
    Intent.INSPECTION_CALL: (
        "inspection call",
        "the inspection call",
        "start inspection call",
        "start the inspection call",
        "ofsted called",
        "ofsted have called",
        "ofsted has called",
        "inspection call status",
        "call status",
        "broadcast the inspection call",
    ),
    Intent.BOARD_UPDATES: (
        "board updates",
        "board update",
        "board update status",
        "updates for the board",
        "who has not updated",
        "who hasnt updated",
        "who has not updated for the board",
    ),
    Intent.BOARD_PACK: (
        "board pack",
        "the board pack",
        "improvement board pack",
        "board papers",
    ),
    Intent.AREA_ACTIONS: (
        "area actions",
        "my area",
        "my areas",
        "my area actions",
        "my priority area",
        "my priority areas",
        "actions in my area",
        "actions in my areas",
        "priority area actions",
        "the plan",
        "the whole plan",
        "plan overview",
    ),
    Intent.AUDIT_REPORT: (
        "audit report",
        "audits report",
        "the audit report",
        "monthly audit report",
        "case audit report",
        "audit results",
    ),
    Intent.MY_MODERATIONS: (
        "my moderations",
        "moderations",
        "audits to moderate",
        "moderation",
        "what do i have to moderate",
    ),
    Intent.INSPECTION_AUDITS_REPORT: (
        "inspection audits report",
        "inspection audit report",
        "inspectors audits report",
        "inspectors cases report",
    ),
    Intent.CALENDAR: (
        "calendar",
        "key dates",
        "upcoming dates",
        "whats coming up",
        "upcoming events",
        "show the calendar",
        "dates",
        "next monitoring visit",
        "when is the next monitoring visit",
        "next improvement board",
        "when is the next improvement board",
        "when is the action plan due",
        "when is the next visit",
    ),
}
# How alike a message and a phrase must be (rapidfuzz's ratio, 0 to 100: twice the common
# subsequence over the total length) to count as a typo of it.
TYPO_SIMILARITY = 85.0
# No command is longer than this, typos included; anything longer is a question, and is
# never compared phrase by phrase (which costs time in proportion to the text's length).
MAX_COMMAND_CHARS = 60
_RELINK = re.compile(r"^\s*re-?link\s+(\S+@\S+)\s*$", re.IGNORECASE)
# "inspectors' cases: CR-1001, CR-1002" (any apostrophe, "case" or "cases"). Without the
# colon only a list of references counts, so "inspectors' case tracking" stays a question.
_INSPECTOR_CASES = re.compile(
    r"^\s*(?:the\s+)?inspectors?['\u2019]?s?['\u2019]?\s+cases?\s*(:?)\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_LIST_SEPARATORS = re.compile(r"[\s,;]+")
_AUDIT_REPORT_MONTH = re.compile(r"^\s*audits? report\s+(?:for\s+)?(\d{4}-\d{2})\s*$", re.I)
# A list of case references is longer than any command: up to this many characters.
MAX_CASE_LIST_CHARS = 1500
_OVERDUE_IN = re.compile(r"^(?:(?:what s|whats|what is) )?(\w+) (?:in|for) (.+)$")
_NOT_WORDS = re.compile(r"[^a-z0-9 ]+")
# "draw audits for January 2027 size 20 enhanced 10%": the rest is read by the draw dialog.
_DRAW_AUDITS = re.compile(
    r"^\s*draw\s+(?:the\s+)?(?:case\s+)?audits?(?:\s+for)?(?:\s+(.*?))?\s*$",
    re.IGNORECASE,
)
# Every phrase once, with its intent: exact matches by lookup, typos by one C-level scan.
_PHRASE_INTENTS: list[tuple[Intent, str]] = [
    (intent, phrase) for intent, phrases in PHRASES.items() for phrase in phrases
]
_PHRASE_LIST = [phrase for _, phrase in _PHRASE_INTENTS]
_EXACT = {phrase: (intent, phrase) for intent, phrase in reversed(_PHRASE_INTENTS)}
_EVENT_KINDS = {
    "monitoring": "monitoring_visit",
    "board": "improvement_board",
    "action plan": "action_plan_due",
}


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, other punctuation to spaces, single spaces."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    return " ".join(_NOT_WORDS.sub(" ", text).split())


def classify(text: str) -> Command:
    """The command a message is, allowing for typos; anything else is a QUESTION."""
    inspector_cases = _INSPECTOR_CASES.match(text[: MAX_CASE_LIST_CHARS + 1])
    if inspector_cases and len(text) <= MAX_CASE_LIST_CHARS:
        colon, listed = inspector_cases.group(1), inspector_cases.group(2).strip()
        if colon or _is_case_list(listed):
            return Command(Intent.INSPECTOR_CASES, listed)
    if len(text) > MAX_COMMAND_CHARS * 2:
        return Command(Intent.QUESTION)
    report_month = _AUDIT_REPORT_MONTH.match(text)
    if report_month:
        return Command(Intent.AUDIT_REPORT, report_month.group(1))
    relink = _RELINK.match(text)
    if relink:
        return Command(Intent.RELINK, relink.group(1).strip().lower())
    draw = _DRAW_AUDITS.match(text)
    if draw:
        return Command(Intent.DRAW_AUDITS, draw.group(1))
    cleaned = normalise(text)
    if not cleaned:
        # Nothing but punctuation ("?", a bare mention) asks for help; an emoji alone is
        # small talk, which the question path answers.
        emoji = any(unicodedata.category(c) == "So" for c in text)
        return Command(Intent.QUESTION if emoji else Intent.HELP)
    if len(cleaned) > MAX_COMMAND_CHARS:
        return Command(Intent.QUESTION)
    exact = _EXACT.get(cleaned)
    if exact is not None:
        return _command(*exact)
    overdue_in = _OVERDUE_IN.match(cleaned)
    if overdue_in and _alike(overdue_in.group(1), "overdue"):
        return Command(Intent.OVERDUE_IN, overdue_in.group(2).strip())
    # A typo: the closest phrase, found in C, and only if it is close enough.
    found = process.extractOne(
        cleaned, _PHRASE_LIST, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY
    )
    if found is None:
        return Command(Intent.QUESTION)
    return _command(*_PHRASE_INTENTS[found[2]])


def _is_case_list(text: str) -> bool:
    """Whether every word is a case reference (has a digit), and there is one."""
    words = [w for w in _LIST_SEPARATORS.split(text) if w]
    return bool(words) and all(any(c.isdigit() for c in w) for w in words)


def _command(intent: Intent, phrase: str) -> Command:
    if intent is Intent.CALENDAR:
        kind = next((k for word, k in _EVENT_KINDS.items() if word in phrase), None)
        return Command(intent, kind)
    return Command(intent)


def _alike(word: str, target: str) -> bool:
    return fuzz.ratio(word, target) >= TYPO_SIMILARITY
