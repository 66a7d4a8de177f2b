"""Which dialog a message goes to, typos included."""

from __future__ import annotations

import pytest

from dialogs.routing import Command, Intent, classify, normalise


@pytest.mark.parametrize(
    "text", ["help", "HELP", " Help! ", "help?", "hi", "Hello", "what can you do?", "", "?"]
)
def test_help_phrasings_route_to_help(text: str) -> None:
    assert classify(text) == Command(Intent.HELP)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("my actions", Intent.MY_ACTIONS),
        ("My Actoins", Intent.MY_ACTIONS),
        ("what are my actions", Intent.MY_ACTIONS),
        ("what's overdue", Intent.OVERDUE),
        ("whats overdue?", Intent.OVERDUE),
        ("ovrdue", Intent.OVERDUE),
        ("overdue actions", Intent.OVERDUE),
        ("what's due this week", Intent.DUE_THIS_WEEK),
        ("whats due this wek", Intent.DUE_THIS_WEEK),
        ("my audits", Intent.MY_AUDITS),
        ("my audtis", Intent.MY_AUDITS),
        ("audits due", Intent.AUDITS_DUE),
        ("my team", Intent.MY_TEAM),
        ("my taem", Intent.MY_TEAM),
        ("calendar", Intent.CALENDAR),
        ("calender", Intent.CALENDAR),
    ],
)
def test_work_commands_route_even_with_typos(text: str, intent: Intent) -> None:
    assert classify(text).intent is intent


@pytest.mark.parametrize(
    ("text", "argument"),
    [
        ("overdue in Care leavers", "care leavers"),
        ("what's overdue in front door and MASH", "front door and mash"),
        ("ovedue in care leavers", "care leavers"),
        ("overdue for Assessment and intervention", "assessment and intervention"),
    ],
)
def test_overdue_in_carries_the_area_or_team(text: str, argument: str) -> None:
    assert classify(text) == Command(Intent.OVERDUE_IN, argument)


def test_next_monitoring_visit_is_a_calendar_question() -> None:
    assert classify("when is the next monitoring visit") == Command(
        Intent.CALENDAR, "monitoring_visit"
    )


@pytest.mark.parametrize(
    "text",
    [
        "ICPC timescale",
        "how often are monitoring visits",
        "helpful",
        "overdue visits for cp plans",
        "what is an action plan",
    ],
)
def test_anything_else_is_a_framework_question(text: str) -> None:
    assert classify(text).intent is Intent.QUESTION


def test_normalise_lowercases_and_collapses_punctuation() -> None:
    assert normalise("  What's   DUE, this week?! ") == "whats due this week"
