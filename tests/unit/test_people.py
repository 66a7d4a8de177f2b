"""Who held a post, told from what the post is; and whether an answer names anyone."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.library import Certainty, KnowledgeBase
from knowledge.people import (
    ANYWHERE,
    asks_who_holds_a_post,
    asks_who_holds_a_post_now_or_here,
    names_a_person,
    where_people_are_named,
)

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "question",
    [
        "whats the name of the new dcs at barking and dagenham that ofsted praised?",
        "who was the lead inspector on the barking and dagenham ilacs in feb 2019",
        "who was the DfE representative on medway's improvement board",
        "who was appointed as the independent chair of medway's improvement board",
        "who was the chair of cambridgeshire's improvement board",
        "who did medway appoint as the independent chair of its improvement board?",
        "i remember medway were going to appoint a chair - who did they get?",
        "who was b&d lead inspector",
        "who is the medway dcs?",
    ],
)
def test_a_question_asking_who_held_a_post_is_seen(question: str) -> None:
    assert asks_who_holds_a_post(question)


@pytest.mark.parametrize(
    "question",
    [
        "who is the dcs",
        "what is a lead member",
        "who sits on cambs improvement board",
        "who signed the improvement notice",
        "who is the lead inspector",
        "who chairs the practitioners group",
    ],
)
def test_a_question_about_the_post_itself_is_not(question: str) -> None:
    assert not asks_who_holds_a_post(question)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("the Chief Executive, Mark Lloyd, chaired it", True),
        ("the commissioner is Mrs Eleanor Brazil", True),
        ("under the Children Act 1989", False),
        ("In March the North East Board met", False),
    ],
)
def test_an_answer_names_people_by_title_or_by_two_names_the_knowledge_never_uses(
    text: str, named: bool
) -> None:
    common = {"the", "children", "act", "north", "east", "in", "march", "board", "chaired"}

    assert names_a_person(text, common) is named


def test_a_person_named_is_of_the_place_named_with_or_before_them() -> None:
    common = {"report", "its", "chief", "executive", "chaired", "planned", "a", "chair"}
    places = {"Cambridgeshire", "Medway", "Kent"}

    def places_in(sentence: str) -> set[str]:
        return {p for p in places if p in sentence}

    text = (
        "Cambridgeshire's report. Its Chief Executive, Mark Lloyd, chaired. "
        "Medway planned a chair."
    )

    assert where_people_are_named(text, common, places_in) == {"Cambridgeshire"}
    assert where_people_are_named("Mark Lloyd chaired. Kent report.", common, places_in) == {
        ANYWHERE
    }
    assert where_people_are_named("Kent planned a chair.", common, places_in) == frozenset()


def test_who_held_a_post_is_declined_where_the_reports_name_nobody(
    shipped_knowledge: KnowledgeBase,
) -> None:
    unnamed = shipped_knowledge.respond(
        "whats the name of the new dcs at barking and dagenham that ofsted praised?", TODAY
    )
    named = shipped_knowledge.respond(
        "who was the chair of cambridgeshire's improvement board", TODAY
    )
    # The board entry names Cambridgeshire's chair, and says only that Medway planned one.
    other_councils = shipped_knowledge.respond(
        "who was appointed as the independent chair of medway's improvement board?", TODAY
    )

    assert unnamed.parts == ()
    assert other_councils.parts == ()
    assert named.certainty is Certainty.SURE
    assert "Mark Lloyd" in named.parts[0].entry.answer


@pytest.mark.parametrize(
    ("question", "now_or_here"),
    [
        ("who is the current dcs at cambridgeshire", True),
        ("who is the lead member for childrens services here", True),
        ("who was the chair of cambridgeshire's improvement board", False),
        ("who is the dcs", False),
    ],
)
def test_who_holds_a_post_now_or_in_the_askers_council_is_seen(
    question: str, now_or_here: bool
) -> None:
    assert asks_who_holds_a_post_now_or_here(question) is now_or_here


def test_who_holds_a_post_now_is_declined_though_the_reports_name_who_held_it_then(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond("who is the current chair of cambridgeshire's board", TODAY)

    assert reply.parts == ()


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # Medway's report names its commissioner, and no chair for its board.
        ("who did the dfe appoint as childrens services commissioner for medway", True),
        (
            "we're thinking of an independent chair for our own board and i remember medway "
            "were going to appoint one in 2019 - who did they get?",
            False,
        ),
    ],
)
def test_who_was_appointed_is_answered_only_where_a_name_is_given_for_it(
    shipped_knowledge: KnowledgeBase, question: str, answered: bool
) -> None:
    reply = shipped_knowledge.respond(question, TODAY)

    assert reply.answers_given is answered
