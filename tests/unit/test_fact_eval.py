"""The fact-based question sets: the scorer judges what a reply says, and no set slips."""

from __future__ import annotations

from datetime import date

import pytest

from benchmarks.fact_eval import FactCase, judge, load_fact_cases, score
from knowledge.library import KnowledgeBase

TODAY = date(2026, 11, 25)
# Regression floors, a little under today's figures (docs/benchmarks.md has the figures).
FLOORS = {
    "dev": 0.95,
    "dev2": 0.93,
    "dev3": 0.93,
    "dev4": 0.93,
    "dev5": 0.88,
    "dev6": 0.95,
    "dev7": 0.95,
    "dev8": 0.93,
    "dev9": 0.92,
    "dev10": 0.95,
    "dev11": 0.89,
    "dev12": 0.82,
    "dev13": 0.78,
    "dev14": 0.92,
    "dev15": 0.88,
    "dev16": 0.92,
    "dev17": 0.93,
    "dev18": 0.92,
    "dev19": 0.89,
    "dev20": 0.88,
    "dev21": 0.95,
    "dev22": 0.93,
    "dev23": 0.94,
    "dev24": 0.83,
    "dev25": 0.93,
    "dev26": 0.95,
    "dev27": 0.92,
    "dev28": 0.9,
    "dev29": 0.93,
    "dev30": 0.91,
    "dev31": 0.92,
    "dev32": 0.87,
    "dev33": 0.93,
    "dev34": 0.93,
    "dev35": 0.96,
    "dev36": 0.92,
    "dev37": 0.9,
    "held_out": 0.93,
    "held_out2": 0.9,
    "held_out3": 0.95,
    "held_out4": 0.95,
    "held_out5": 0.95,
}


def test_a_reply_is_right_only_when_it_says_every_fact_asked(
    shipped_knowledge: KnowledgeBase,
) -> None:
    both = FactCase(
        "icpc and first core group timescales",
        "compound",
        (("15 working days",), ("10 working days",)),
        TODAY,
    )
    half = FactCase(both.question, "compound", (("15 working days",), ("26 weeks",)), TODAY)

    assert judge(shipped_knowledge, both)[0] is True
    right, confidently_wrong, _ = judge(shipped_knowledge, half)
    assert (right, confidently_wrong) == (False, True)


def test_an_out_of_scope_question_is_right_only_when_declined(
    shipped_knowledge: KnowledgeBase,
) -> None:
    declined = FactCase("what is the timescale for a s42 adult enquiry", "out_of_scope", (), TODAY)
    answered = FactCase("icpc timescale", "out_of_scope", (), TODAY)

    assert judge(shipped_knowledge, declined)[:2] == (True, False)
    assert judge(shipped_knowledge, answered)[:2] == (False, True)


def test_a_message_the_chat_takes_for_a_command_is_judged_as_that_command(
    shipped_knowledge: KnowledgeBase,
) -> None:
    # "my audits" reaches the audit list, never the knowledge (which would offer an audit
    # entry), so it is not a right answer; "help" gets the help card, a friendly one.
    command = FactCase("my audits", "plain", (("audit",),), TODAY)
    greeting = FactCase("help", "small_talk", (), TODAY)

    assert judge(shipped_knowledge, command)[:2] == (False, False)
    assert judge(shipped_knowledge, greeting)[0] is True


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_no_question_set_slips_below_its_floor(
    shipped_knowledge: KnowledgeBase, name: str
) -> None:
    scores = score(shipped_knowledge, load_fact_cases(name))

    assert scores.all_right / scores.all_total >= FLOORS[name]
