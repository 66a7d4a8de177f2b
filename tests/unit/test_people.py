"""Who held a post, told from what the post is; and whether an answer names anyone."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.library import Certainty, KnowledgeBase
from knowledge.people import asks_who_holds_a_post, names_people

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "question",
    [
        "whats the name of the new dcs at barking and dagenham that ofsted praised?",
        "who was the lead inspector on the barking and dagenham ilacs in feb 2019",
        "who was the DfE representative on medway's improvement board",
        "who was appointed as the independent chair of medway's improvement board",
        "who was the chair of cambridgeshire's improvement board",
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
        "who did the dfe appoint as childrens services commissioner for medway",
    ],
)
def test_a_question_about_the_post_itself_is_not(question: str) -> None:
    assert not asks_who_holds_a_post(question)


def test_an_answer_names_people_by_title_or_by_two_names_the_knowledge_never_uses() -> None:
    ordinary = ["children", "act", "north", "east", "in", "march", "board"]

    assert names_people(
        [
            "the Chief Executive, Mark Lloyd, chaired it",
            "the commissioner is Mrs Eleanor Brazil",
            "under the Children Act 1989",
            "In March the North East Board met",
        ],
        ordinary,
    ) == [True, True, False, False]


def test_who_held_a_post_is_declined_where_the_reports_name_nobody(
    shipped_knowledge: KnowledgeBase,
) -> None:
    unnamed = shipped_knowledge.respond(
        "whats the name of the new dcs at barking and dagenham that ofsted praised?", TODAY
    )
    named = shipped_knowledge.respond(
        "who was the chair of cambridgeshire's improvement board", TODAY
    )

    assert unnamed.parts == ()
    assert named.certainty is Certainty.SURE
    assert "Mark Lloyd" in named.parts[0].entry.answer
