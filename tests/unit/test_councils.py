"""Another council's inspection, told from a question asked there; and what one of the five
found after the report held, told from what the report says."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.ask_dialog import reply_text
from knowledge.councils import (
    OTHER_COUNCILS,
    a_councils_numbers,
    a_later_record,
    a_reviews_results,
    an_uncounted_team,
    another_councils_record,
)
from knowledge.library import Certainty, KnowledgeBase

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "question",
    [
        "what did surreys last ilacs say about their front door",
        "what did hampshire get in their jtai last yr",
        "what does the birmingham improvement plan say about the front door",
        "essex got outstanding, what did they do",
        "did bath and north east somerset get good",
        "leeds’s report on care leavers",
        # Written with hyphens or "&".
        "what did stoke-on-trent get at their last ilacs",
        "brighton & hove ilacs report findings",
        # When its next inspection comes.
        "when is hertfordshire's next ilacs likely to be? i'm moving there in jan",
        "what did ofsted give essex at their last ilacs",
    ],
)
def test_a_question_about_another_councils_inspection_is_seen(question: str) -> None:
    assert another_councils_record(question, entry_text="ilacs judgements")


@pytest.mark.parametrize(
    "question",
    [
        # Asked there, about the national rules.
        "we're in surrey, how long is an icpc",
        "hampshire sw here - how often are lac reviews",
        # The five councils whose reports are held.
        "what did medway get in 2019",
        "kent's deep dive audits",
        # Everyday words that are also places.
        "what does the reading list for new starters say",
        # A county's short form, and a council named with nothing it found asked.
        "i work in north yorks - what did ofsted say about icpcs",
        "hampshire's jtai notice period?",
        "hampshire was my last job, how long is an icpc",
    ],
)
def test_anything_else_is_not(question: str) -> None:
    assert not another_councils_record(question, entry_text="ilacs judgements")


def test_an_entry_that_names_the_council_may_answer() -> None:
    assert not another_councils_record(
        "how much notice did norfolk's focused visit give", entry_text="norfolk was told ..."
    )


def test_the_councils_held_and_everyday_words_are_not_among_the_others() -> None:
    assert not {"kent", "medway", "barnet", "cambridgeshire", "barking and dagenham"} & (
        OTHER_COUNCILS
    )
    assert not {"reading", "bury", "slough"} & OTHER_COUNCILS
    assert {"surrey", "hampshire", "birmingham", "tower hamlets"} <= OTHER_COUNCILS


def test_the_knowledge_declines_another_councils_inspection_and_answers_one_asked_there(
    shipped_knowledge: KnowledgeBase,
) -> None:
    declined = shipped_knowledge.respond("what did hampshire get in their jtai last yr", TODAY)
    answered = shipped_knowledge.respond("we're in surrey, how long is an icpc", TODAY)

    assert declined.certainty is Certainty.UNSURE
    assert declined.parts == ()
    assert answered.certainty is Certainty.SURE
    assert [p.entry.id for p in answered.parts] == ["icpc-timescale"]


@pytest.mark.parametrize(
    "question",
    [
        # A timescale, notice or frequency named beside another council is the national one.
        "hampshire's icpc timescale?",
        "in hampshire's procedures the icpc is 15 days, is that national",
        "how long do councils like hampshire get to send the annex a",
        "brent was told the icpc is 15 days, right?",
        "i work in north yorks - how long is an icpc",
    ],
)
def test_a_national_rule_asked_beside_another_council_is_answered(
    shipped_knowledge: KnowledgeBase, question: str
) -> None:
    assert shipped_knowledge.respond(question, TODAY).certainty is Certainty.SURE


@pytest.mark.parametrize(
    "question",
    [
        "what did kent get at its latest ilacs?",
        "what grade did kent get in the sif in the end",
        "what did ofsted find at kent's SIF in 2017",
        "did medway come out of inadequate at their next inspection?",
        "barnet's ilacs judgement?",
        "what did b&d get at their most recent inspection",
        "what did kent end up getting when their sif finally happened?",
        "what did ofsted find at medway's first monitoring visit?",
        "what did ofsted find at medway's first quarterly monitoring visit after the inadequate?",
        "what was medway's judgement when ofsted went back and re-inspected them?",
        "what was cambridgeshire's outcome when they were finally re-inspected",
        "did medway get out of intervention after the re-inspection? what grade did they get",
        # A document later in the report's own year.
        "what did the commissioner recommend in her 1 december 2019 report on medway?",
        # What came after a council's SIF, which its report was still waiting for.
        "what overall grade did kent get when its sif inspection finally happened?",
        "did cambridgeshire get its improvement notice lifted after the 2014 sif?",
        "what did medway get at their re-inspection after the 2019 inadequate?",
        # As terse as a search box; what Medway's commissioner went on to recommend.
        "medway mv dates",
        "kent sif outcome?",
        "what did medway get when ofsted re-inspected them after the two years?",
        "cambs - what did cambridgeshire get at its 2014 sif then?",
        "cambs reinspection result 2014",
        "what did eleanor brazil recommend for medway",
        "did eleanor brazil recommend medway's services be taken out of council control?",
    ],
)
def test_what_one_of_the_five_found_after_its_report_is_seen(question: str) -> None:
    assert a_later_record(question) is True


@pytest.mark.parametrize(
    "question",
    [
        # What the reports themselves say, the years before them included.
        "what grades did kent get for its inspections before the sif",
        "b&d's 2014 judgements compared with 2019",
        "what did medway get at its 2019 ilacs",
        "how did cambridgeshire get out of intervention",
        "kent's 2016 paper on the sif - what did it say about notice",
        # A later year asked of no finding.
        "medway's action plan deadline, was it 2020?",
        "kent JTAI readiness - what came out of the meetings",
        "medway paper: when do they get re-inspected roughly",
        "what did medway's report say about the first monitoring visit",
        "after an inadequate how long until re-inspection - medway's report gives a figure",
        # A date the report itself gives, and what it said in its own month.
        "was medway's commissioner's report due in december 2019?",
        "what did medway's september 2019 cabinet report say about caseloads",
        "barnet paper says the sif came out of which report's recommendation?",
        "what did cambridgeshire expect at its sif",
        "what grades would a sif give for care leavers, per barnet",
    ],
)
def test_what_the_reports_hold_is_not_taken_for_later(question: str) -> None:
    assert a_later_record(question) is False


def test_the_knowledge_declines_a_later_finding_and_answers_the_reports_own(
    shipped_knowledge: KnowledgeBase,
) -> None:
    later = shipped_knowledge.respond("what did ofsted find at kent's SIF in 2017", TODAY)
    held = shipped_knowledge.respond("what did medway get at its 2019 ilacs", TODAY)

    assert later.certainty is Certainty.UNSURE
    assert later.parts == ()
    assert held.answers_given


@pytest.mark.parametrize(
    "question",
    [
        "how many children were on cp plans in barking and dagenham at the time of the ilacs?",
        "how many care leavers did b&d actually have at the time of the inspection",
        "how many children were on child protection plans in medway at the time of the ilacs",
        "how many children in care did kent have in 2016",
        "how many strategy discussions did b&d's mash hold in 2018",
        "how many of cambridgeshire's cp visits were within statutory timescales in 2012?",
        "how many of medway's visits were overdue",
        "how many social worker vacancies did cambridgeshire have in 2014?",
        "how many cla in barking and dagenham",
    ],
)
def test_how_many_children_one_of_the_five_held_is_seen(question: str) -> None:
    assert a_councils_numbers(question)


@pytest.mark.parametrize(
    "question",
    [
        # What the inspectors or the council looked at, which the reports do give.
        "how many children did kent audit each month",
        "how many children's files were tracked in barnet's sif summary",
        "how many children in care cases did inspectors sample at cambridgeshire",
        # No council named: a national question.
        "how many children are on cp plans in england",
        "how many of barnet's 18 audit cases were looked after",
    ],
)
def test_what_was_looked_at_is_not_taken_for_a_councils_numbers(question: str) -> None:
    assert not a_councils_numbers(question)


def test_a_councils_team_is_counted_only_by_an_answer_counting_it_for_that_council() -> None:
    question = "how many inspectors did ofsted send to b&d for the feb 2019 inspection?"

    assert an_uncounted_team(question, "Barking and Dagenham was inspected in February.")
    assert an_uncounted_team(question, "Nottinghamshire's guide says four social care inspectors.")
    assert not an_uncounted_team(question, "Barking and Dagenham had 5 social care inspectors.")
    # A year before "inspectors" counts nobody.
    assert an_uncounted_team(question, "Barking and Dagenham's 2019 report says inspectors found")
    assert not an_uncounted_team("how many inspectors come on an ilacs", "It says nothing.")


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        (
            "how many inspectors did ofsted send to b&d for the feb 2019 standard inspection?",
            False,
        ),
        ("how many inspectors did barnet's summary say would be on a sif", True),
    ],
)
def test_a_councils_team_size_is_answered_only_where_its_report_counts_it(
    shipped_knowledge: KnowledgeBase, question: str, answered: bool
) -> None:
    reply = shipped_knowledge.respond(question, TODAY)

    assert reply.answers_given is answered
    if answered:
        assert "seven" in reply_text(reply)


@pytest.mark.parametrize(
    ("question", "asks_its_grades"),
    [
        ("what grade did barnet's mock inspection in october 2013 give them?", True),
        ("what percentage of kent's 70 monthly audits were graded good or better in 2016?", True),
        (
            "kent deep dive - how many of the 12 cases were judged to have a good transition?",
            True,
        ),
        # What the reviews were and how many they looked at, which the reports give.
        ("kent audits - how many of the 70 get an enhanced face to face audit", False),
        ("when did barnet have its mock inspection done", False),
        # No council of the five: a general question about audit grading.
        ("how should audits be graded", False),
    ],
)
def test_the_grades_a_councils_own_reviews_gave_are_beyond_its_report(
    question: str, asks_its_grades: bool
) -> None:
    assert a_reviews_results(question) is asks_its_grades
