"""A council's stated judgement, read as the inspection it brings when asked how long."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.judged import (
    MONITORING,
    SHORT,
    STANDARD,
    with_implied_inspection,
    with_implied_judgement,
    with_implied_monitoring,
)
from knowledge.library import KnowledgeBase


@pytest.mark.parametrize(
    ("question", "implied"),
    [
        ("we were ri last time. how long do they stay?", STANDARD),
        (
            "we're RI at the min - what type of inspection do we get next and for how long",
            STANDARD,
        ),
        ("last letter said requires improvement, how many weeks is the next one", STANDARD),
        (
            "our last ILACS came out as requires improvement. how long will they be on site?",
            STANDARD,
        ),
        ("last one came back good - how many days are they here for", SHORT),
        ("we were good last time - how long are they here", SHORT),
        ("judged outstanding in 2022, how long will the next inspection be on site", SHORT),
        ("judged good in our last inspection, how long will they be here", SHORT),
        ("we’re ri, how long", STANDARD),
        ("we were RI at our last ilacs, how long will they be in the building", STANDARD),
        ("we're currently outstanding. how long will the next one be on site for", SHORT),
        ("we are still rated good, how long is the next inspection", SHORT),
        (
            "we came out requires improvement at our last ilacs. how long on site next time?",
            STANDARD,
        ),
    ],
)
def test_a_stated_judgement_asked_how_long_reads_as_its_inspection(
    question: str, implied: str
) -> None:
    assert implied in with_implied_inspection(question)


@pytest.mark.parametrize(
    "question",
    [
        # Not asked how long: which inspection, or its notice, is the same answer for both.
        "we were ri last time, which inspection do we get",
        "we were good last time, how much notice do we get",
        # An inspection named already.
        "we were ri last time, how long is a jtai",
        "we were good last time, how long is the short inspection",
        # "Good" that is no judgement.
        "we got good feedback, how long is an ilacs inspection",
        "how long does a good c&f assessment take",
        # "Take" asks no length; "were" alone is no statement about ourselves.
        "what does it take to be judged outstanding",
        "how long were outstanding councils given notice",
        # "At" a place is no time: good at something says nothing of a judgement.
        "we are good at our jobs, how long is an icpc",
        # Casework named is what "how long" asks about.
        "we are still good with timescales, how long is an icpc",
        "we are currently good, how long is the icpc timescale",
        # "At the last" that is no inspection.
        "we were good at the last minute, how long is an inspection",
    ],
)
def test_anything_else_is_searched_as_asked(question: str) -> None:
    assert with_implied_inspection(question) == question


def test_when_the_judgement_was_given_goes_with_it() -> None:
    assert with_implied_inspection("we were RI last time - how long are they here?") == (
        f"{STANDARD} - how long are they here?"
    )


def test_the_answer_is_the_length_of_the_inspection_the_judgement_brings(
    shipped_knowledge: KnowledgeBase,
) -> None:
    today = date(2026, 11, 25)
    ri = shipped_knowledge.respond("we were ri last time, how long do they stay on site?", today)
    good = shipped_knowledge.respond("we were good last time, how long are they on site?", today)

    assert "ilacs-standard-inspection-length" in [p.entry.id for p in ri.parts]
    assert "ilacs-short-inspection-length" in [p.entry.id for p in good.parts]
    in_the_building = shipped_knowledge.respond(
        "we were RI at our last ilacs, how long will inspectors be in the building", today
    )
    assert "ilacs-standard-inspection-length" in [p.entry.id for p in in_the_building.parts]
    # What is kept for the coordinators is what was asked.
    assert ri.searched == "we were ri last time, how long do they stay on site?"


@pytest.mark.parametrize(
    ("question", "searched"),
    [
        (
            "what did medway get for children in care and care leavers?",
            "what judgement did medway get for children in care and care leavers?",
        ),
        ("when was b&d inspected and what did they get overall", None),
        # What is got at the end of a visit, what a judgement is named, a grade said already.
        ("what do we get at the end of a focused visit", "same"),
        ("what grade did medway get in 2019", "same"),
        ("what did medway do after the inspection", "same"),
    ],
)
def test_what_a_council_got_is_read_as_its_judgement(question: str, searched: str | None) -> None:
    read = with_implied_judgement(question)

    if searched == "same":
        assert read == question
    elif searched is None:
        assert "what judgement did they get overall" in read
    else:
        assert read == searched


def test_the_council_named_answers_for_the_national_judgement_it_got(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond(
        "medway 2019, what did they get for experiences and progress of children in care "
        "and care leavers?",
        date(2026, 11, 25),
    )

    assert [p.entry.id for p in reply.parts] == ["medway-2019-judgements"]


@pytest.mark.parametrize(
    ("question", "monitoring"),
    [
        ("we've just been told we're inadequate. how often will ofsted be coming back?", True),
        ("ib chair - we've just had the inadequate letter. what rhythm of ofsted visits?", True),
        ("our childrens services are inadequate. how often will ofsted be back in?", True),
        # A visit named says which; no judgement stated, or none asked how often.
        ("we're inadequate - how often are monitoring visits", False),
        ("how often do ofsted come back", False),
        ("we're inadequate, when is the action plan due", False),
    ],
)
def test_how_often_ofsted_comes_back_after_inadequate_reads_as_its_monitoring_visits(
    question: str, monitoring: bool
) -> None:
    read = with_implied_monitoring(question)

    assert read == (f"{question} {MONITORING}" if monitoring else question)


def test_the_monitoring_visits_answer_how_often_ofsted_come_back_after_inadequate(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond(
        "improvement board member, we've just been told we're inadequate. how often will "
        "ofsted be coming back to check on us?",
        date(2026, 11, 25),
    )

    assert [p.entry.id for p in reply.parts] == ["first-monitoring-visit-timing"]
