"""A figure put forward to be checked is taken out of what is searched; others are kept."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.claims import without_claimed_figure
from knowledge.library import KnowledgeBase

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "figure", "asked"),
    [
        ("my tm reckons 10 working days for the icpc", "10 working days", "how long"),
        ("care proceedings have to be done in 40 weeks don't they", "40 weeks", "how long"),
        ("the plan only needs looking at once a year, right?", "once a year", "how often"),
        ("is it 10 working days for the notification?", "10 working days", "how long"),
    ],
)
def test_a_figure_put_forward_to_check_is_taken_out(text: str, figure: str, asked: str) -> None:
    checked = without_claimed_figure(text)

    assert (figure in checked, asked in checked) == (False, True)


@pytest.mark.parametrize(
    "text",
    [
        "care proceedings 26 weeks - is that from issue?",
        "how long can the 26 week care proceedings be extended by each time",
        "what happens within 20 working days of the letter",
    ],
)
def test_a_figure_that_names_the_topic_is_kept(text: str) -> None:
    assert without_claimed_figure(text) == text


def test_a_wrong_figure_still_finds_the_entry_with_the_right_one(
    shipped_knowledge: KnowledgeBase,
) -> None:
    answer = shipped_knowledge.ask(
        "colleague says first core group is within 15 working days of conference, is that right?",
        TODAY,
    )

    assert answer.sure
    assert answer.best is not None
    assert "10 working days" in answer.best.answer
