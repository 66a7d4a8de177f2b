"""Small talk, names and dates of birth, compound questions and pastes: read before search."""

from __future__ import annotations

import time

import pytest

from knowledge.compound import LONG_MESSAGE_CHARS, asking_part, question_parts
from knowledge.privacy import REDACTED, looks_personal, redact
from knowledge.small_talk import strip_typed_name


def test_a_typed_name_is_taken_off_the_front_only() -> None:
    assert strip_typed_name("@Inspection Ready icpc timescale") == "icpc timescale"
    assert strip_typed_name("inspection-ready: icpc") == "icpc"
    assert strip_typed_name("is inspection ready working") == "is inspection ready working"


@pytest.mark.parametrize(
    "text",
    [
        "what's happening with Jayden Smith's case",
        "is jayden's plan due a review",
        "child dob 03/04/2015, when is the lac review",
        "born on 3 April 2015 - what visits does she need",
        "Mrs O'Neill wants to know the icpc date",
        "date of birth for the annex a list",
        # A place word does not make a child's name a place: many are surnames too.
        "Jayden Kent's case was stepped down",
        "is Jack Sutton on a plan",
        "sutton's plan is late",
    ],
)
def test_names_and_dates_of_birth_are_noticed(text: str) -> None:
    assert looks_personal(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "what is the ICPC timescale",
        "Annex A list 8 fields",
        "how long is a Focused Visit",
        "when is the child's first review",
        "the council's improvement plan",
        "strategy discussion on 3 March, when is the ICPC",
        "what does the Improvement Board want from Children's Services",
        "my care leaver's plan - colleague thinks it is late",
        "is the sw's visit due every 6 weeks",
        "when is the foster carer's review",
        # Councils are places, not people.
        "what did the DfE do in Medway's case in 2019?",
        "Medway Council report on the ILACS",
        "Kent County Council's paper",
        "what did Milton Keynes get at its last ilacs",
        "Tower Hamlets inspection",
        "Surrey County Council improvement plan",
    ],
)
def test_framework_questions_are_not_taken_for_names(text: str) -> None:
    assert looks_personal(text) is False


def test_what_is_kept_has_names_and_dates_taken_out() -> None:
    kept = redact("Jayden Smith dob 03/04/2015, is smith's plan late? Mrs Jones asked")

    for gone in ("Jayden", "Smith", "smith", "03/04/2015", "Jones"):
        assert gone not in kept
    assert REDACTED in kept
    assert "plan late?" in kept


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "whats the ilacs notice period and how long are they on site",
            ["whats the ilacs notice period", "how long are they on site"],
        ),
        ("icpc and first core group timescales", ["icpc", "first core group timescales"]),
        (
            "send inspection - how much notice do we get? outcomes?",
            ["send inspection", "how much notice do we get", "outcomes"],
        ),
        ("what is the icpc timescale", ["what is the icpc timescale"]),
        ("c&f assessment timescale", ["c&f assessment timescale"]),
        # Two things side by side: the question is asked of each, with the words the two
        # share ("ilacs") and what is asked ("how long ...") kept on both sides.
        (
            "short vs standard ilacs - how long is each one on site?",
            [
                "short ilacs how long is each one on site",
                "standard ilacs how long is each one on site",
            ],
        ),
        # Alone, "short" and "standard" are the kinds of inspection.
        (
            "short vs standard, how long is each on site",
            [
                "short inspection how long is each on site",
                "standard inspection how long is each on site",
            ],
        ),
        (
            "short vs standard, how long is each one on site",
            [
                "short inspection how long is each one on site",
                "standard inspection how long is each one on site",
            ],
        ),
        ("short vs standard ones how long", ["short ones how long", "standard ones how long"]),
        (
            "how long is a short vs a standard inspection",
            ["how long is a short inspection", "how long is a standard inspection"],
        ),
        (
            "ilacs call vs jtai call - when are they on site after each",
            [
                "ilacs call when are they on site after each",
                "jtai call when are they on site after each",
            ],
        ),
        ("icpc v. rcpc timescales", ["icpc timescales", "rcpc timescales"]),
        # A bare "v" names a case; more than two things, or a question asked first, are no
        # comparison of two.
        (
            "R v Secretary of State - what did it decide",
            ["R v Secretary of State", "what did it decide"],
        ),
        (
            "difference between icpc and rcpc and core group timescales",
            ["difference between icpc", "rcpc", "core group timescales"],
        ),
        (
            "how long is an icpc - and what is the difference between an s47 and a strat",
            ["how long is an icpc", "what is the difference between an s47", "a strat"],
        ),
        # Plurals match across "vs".
        (
            "is a short inspection 1 week versus 2 weeks",
            ["is a short inspection 1 week", "is a short inspection 2 weeks"],
        ),
        (
            "whats the difference between a short and a standard ilacs on site",
            ["whats the short ilacs on site", "whats the standard ilacs on site"],
        ),
        # Asking what "it" is called asks about the piece before; "when is it due" is its own.
        (
            "is ofsted bringing in a new framework to replace ilacs? what's it called",
            ["is ofsted bringing in a new framework to replace ilacs? what's it called"],
        ),
        ("annex a - what is it and when is it due", ["annex a", "what is it", "when is it due"]),
        # A bare "when" asks when the question before it is due.
        (
            "fv letter has areas for priority action - what do we owe ofsted and when",
            ["fv letter has areas for priority action", "what do we owe ofsted when"],
        ),
        # Two of the same thing, each named whole; what follows the break asks of both.
        (
            "difference between the deadline to publish the report and the deadline for the "
            "action plan? both from when we get it?",
            [
                "deadline to publish the report both from when we get it",
                "deadline for the action plan both from when we get it",
            ],
        ),
        # Two things, then what is asked of each.
        (
            "jtai and area send, how much notice does each give",
            ["jtai how much notice does each give", "area send how much notice does each give"],
        ),
        # Words before "vs" that ask nothing belong to the first thing.
        (
            "c&f assessment vs icpc timescales",
            ["c&f assessment timescales", "icpc timescales"],
        ),
        # A name with "and" in it is never two things.
        (
            "barking and dagenham, what did each recommendation say",
            ["barking and dagenham, what did each recommendation say"],
        ),
        # The steps of a process, joined by arrows.
        ("strat -> icpc -> core group timescales", ["strat", "icpc", "core group timescales"]),
        # More than one "vs" is not a comparison of two: split as any other message.
        ("ilacs vs jtai vs send", ["ilacs vs jtai vs send"]),
    ],
)
def test_a_message_is_split_where_it_may_ask_two_things(text: str, parts: list[str]) -> None:
    assert question_parts(text) == parts


def test_a_long_paste_is_answered_on_its_question() -> None:
    email = (
        "Hi all, following on from Tuesday's team meeting I said I would check a few things. "
        * 4
        + "The family have moved twice this year. When is the first core group due after "
        "the conference? Thanks, Sam."
    )
    assert len(email) > LONG_MESSAGE_CHARS
    assert asking_part(email) == "When is the first core group due after the conference?"
    assert asking_part("icpc timescale") == "icpc timescale"


def test_a_long_run_of_spaces_is_read_in_time() -> None:
    started = time.perf_counter()
    parts = question_parts(" " * 50_000 + "icpc and rcpc timescales")
    assert time.perf_counter() - started < 0.5
    assert parts == ["icpc", "rcpc timescales"]
