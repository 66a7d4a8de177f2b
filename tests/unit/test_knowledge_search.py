"""Search: synonyms, typos, confidence, local entries and deadlines from dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.compound import question_parts
from knowledge.dates import add_months, deadline, find_date
from knowledge.entries import Timescale
from knowledge.index import SearchIndex
from knowledge.library import KnowledgeBase, load_vocabulary
from knowledge.text import stem
from knowledge.working_days import WorkingDays
from tests.knowledge_samples import sample_knowledge

TODAY = date(2026, 11, 25)


@pytest.fixture
def knowledge(tmp_path: Path) -> KnowledgeBase:
    return sample_knowledge(tmp_path)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("children", "child"),
        ("enquiries", "enquiry"),
        ("visits", "visit"),
        ("visiting", "visit"),
        ("meetings", "meet"),
        ("process", "process"),
        ("lac", "lac"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    "text",
    [
        "LAC review",
        "looked after review",
        "looked-after children's review",
        "children in care review",
        "CLA reviews",
        "child in care review",
    ],
)
def test_acronyms_and_phrases_become_one_term(text: str) -> None:
    assert load_vocabulary().terms(text) == ["cla", "review"]


def test_stop_words_are_dropped_and_longest_phrase_wins() -> None:
    terms = load_vocabulary().terms(
        "What is the timescale for an initial child protection conference?"
    )

    assert terms == ["timescale", "icpc"]


def test_words_that_say_nothing_of_the_topic_are_stop_words() -> None:
    terms = load_vocabulary().terms(
        "we've got a yp turned 16, is there something I need to do now?"
    )

    assert terms == ["yp", "turn", "16"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("icpc timeliness", ["icpc", "timescale"]),
        ("how long is an MV", ["timescale", "monitoring_visit"]),
        ("wot r the icpc timescales", ["icpc", "timescale"]),
        ("whens the 1st lac review", ["first", "cla", "review"]),
        ("which councils get a short inspection", ["who_gets", "short_inspection"]),
        ("which judgement got dropped", ["judgement", "remove"]),
        # Asking a name: "called" last, or the way people ask it, is no phone call.
        ("whats the visit where they look at one area called?", ["visit", "look", "area", "name"]),
        ("what are they called", ["name"]),
        ("ofsted called the dcs on monday", ["ofsted", "call", "dcs", "monday"]),
        # How many hours, weeks or months asks a timescale; so does "go on for".
        ("how many hours for a return interview", ["timescale", "return", "interview"]),
        ("how long does it go on for", ["timescale", "timescale"]),
        ("when is the next conference", ["rcpc"]),
        ("first cp conference was last week", ["icpc", "last", "week"]),
        # Units as people shorten them, alone or stuck to the number.
        ("icpc is 15wd from what", ["icpc", "15", "work", "day"]),
        ("6mths or 26wks", ["6", "month", "26", "week"]),
        ("24 hrs for a strat", ["24", "hour", "strategy_discussion"]),
        # A child's age is the child: its "year" asks no yearly timescale.
        ("a 10 yr old came into care", ["child", "came", "cla"]),
        ("14yo and a three-year-old", ["child", "child"]),
        ("a placement over a year old", ["placement", "over", "year", "old"]),
        # A council by one of its two names: "barking" is no dog's bark.
        ("barking ilacs dates", ["barking_dagenham", "ilacs", "date"]),
        ("dagenham's plan", ["barking_dagenham", "plan"]),
        # Months as people shorten them; "implemented" is when something started.
        ("barnet nov 2013 paper", ["barnet", "november", "2013", "paper"]),
        ("when was it implemented", ["start"]),
        ("re-inspection or reinspected", ["reinspection", "reinspection"]),
        ("he's 13 and she's 9", ["13", "9"]),
    ],
)
def test_chat_shorthand_reads_as_the_words_it_stands_for(text: str, expected: list[str]) -> None:
    assert load_vocabulary().terms(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("when do we send annex a over", ["submit", "annex_a", "over"]),
        ("send the notifications", ["submit", "notice"]),
        ("area send notice", ["send", "notice"]),
        ("send inspection length", ["send", "inspection", "length"]),
        ("what is send", ["send"]),
        # A sender with nothing sent: the verb, and no word of the question.
        ("how many inspectors do ofsted send", ["inspector", "ofsted"]),
        ("ofsted send inspection notice", ["ofsted", "send", "inspection", "notice"]),
    ],
)
def test_send_is_the_verb_beside_an_object_or_a_subject_and_send_elsewhere(
    text: str, expected: list[str]
) -> None:
    assert load_vocabulary().terms(text) == expected


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("barking & dagenham 2019 - recommendations and the plan date", 3),
        ("child and family assessment and icpc timescales", 2),
        ("what do inspectors look at for help and protection", 1),
        ("core group then rcpc", 2),
        ("what does section 137 of the education and inspections act make us do", 1),
    ],
)
def test_a_name_with_and_in_it_is_never_split(text: str, parts: int) -> None:
    assert len(question_parts(text)) == parts


def test_typos_are_corrected_to_indexed_terms() -> None:
    index = SearchIndex([["assessment", "timescale"], ["conference", "review"]])

    assert index.correct("asessment") == "assessment"
    assert index.correct("confrence") == "conference"
    assert index.correct("revew") == "review"
    assert index.correct("zzzzzz") == "zzzzzz"
    assert index.correct("cin") == "cin"  # short words are never corrected


def test_a_phrase_with_a_typo_in_it_is_joined_once_the_typo_is_corrected() -> None:
    vocabulary = load_vocabulary()
    typed = vocabulary.terms("health assesment over 5 freq")

    assert "health_assessment" not in typed
    assert vocabulary.rejoined(["health", "assessment", "over", "5", "frequency"]) == [
        "health_assessment",
        "over",
        "5",
        "frequency",
    ]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("ICPC timescale", "icpc-timescale"),
        ("when does the initial conference have to be held", "icpc-timescale"),
        ("icpc timescle", "icpc-timescale"),
        ("LAC review when", "cla-review-timescale"),
        ("first review for a child in care", "cla-review-timescale"),
        ("how many inspectors did the single inspection framework send", "sif-team-size"),
    ],
)
def test_questions_find_their_entry(
    knowledge: KnowledgeBase, question: str, expected: str
) -> None:
    answer = knowledge.ask(question, TODAY)

    assert answer.sure is True
    assert answer.best is not None
    assert answer.best.id == expected


@pytest.mark.parametrize(
    "question", ["what is the weather tomorrow", "", "parking permit for the office", "timescale"]
)
def test_off_topic_or_vague_questions_are_not_sure(
    knowledge: KnowledgeBase, question: str
) -> None:
    assert knowledge.ask(question, TODAY).sure is False


def test_a_dated_question_gets_its_deadline(knowledge: KnowledgeBase) -> None:
    answer = knowledge.ask("strategy discussion was on 3 March, when is the ICPC due?", TODAY)

    assert answer.deadline is not None
    assert (answer.deadline.start, answer.deadline.due) == (date(2026, 3, 3), date(2026, 3, 24))
    assert answer.deadline.describe() == (
        "If the strategy discussion was on Tuesday 3 March 2026, the deadline is Tuesday "
        "24 March 2026: 15 working days (day 1 is the first working day after it; weekends "
        "and bank holidays in England and Wales are not counted)."
    )


def test_an_entry_without_a_timescale_gets_no_deadline(knowledge: KnowledgeBase) -> None:
    answer = knowledge.ask("SIF team size on 3 March", TODAY)

    assert answer.sure is True
    assert answer.deadline is None


def test_local_entries_replace_national_ones(tmp_path: Path) -> None:
    knowledge = sample_knowledge(tmp_path, with_local=True)

    answer = knowledge.ask("ICPC timescale, strategy on 20/11", TODAY)

    assert answer.best is not None
    assert answer.best.local is True
    assert answer.best.title == "ICPC timing in our council"
    assert [e.id for e in knowledge.entries].count("icpc-timescale") == 1
    assert answer.deadline is not None
    assert answer.deadline.due == date(2026, 12, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("strategy discussion on 3rd of November", date(2026, 11, 3)),
        ("referral 2026-11-02", date(2026, 11, 2)),
        ("assessment started 12/10/2026", date(2026, 10, 12)),
        ("strategy on 20/11", date(2026, 11, 20)),
        ("meeting on March 3 2026", date(2026, 3, 3)),
        ("in 2 weeks from 1 Feb", date(2026, 2, 1)),  # February 2027 is too far ahead
        ("strategy meeting yesterday", date(2026, 11, 24)),
        ("came into care last night", date(2026, 11, 24)),
        ("support is available 24/7", None),
        ("you may 3 times", None),
        ("31 February", None),
        # A two-digit year after the month; a number of days is not a year.
        ("health assessment was 8 Dec 24", date(2024, 12, 8)),
        ("icpc on 8 dec 15 working days later", date(2026, 12, 8)),
        # The call just had is today's.
        ("dcs just had the call for our short inspection", TODAY),
        ("DCS had ofsted on the phone about 20 mins ago", TODAY),
        ("dcs has just had the ilacs call (short inspection)", TODAY),
    ],
)
def test_find_date(text: str, expected: date | None) -> None:
    assert find_date(text, TODAY) == expected


def test_deadlines_in_each_unit() -> None:
    calendar = WorkingDays()
    start = date(2026, 12, 23)

    assert deadline(start, Timescale(3, "working_days", "x"), calendar).due == date(2026, 12, 30)
    assert deadline(start, Timescale(3, "days", "x"), calendar).due == date(2026, 12, 26)
    assert deadline(start, Timescale(26, "weeks", "x"), calendar).due == date(2027, 6, 23)
    assert deadline(start, Timescale(3, "months", "x"), calendar).due == date(2027, 3, 23)
    # Mondays after the start, never the start itself: Wednesday 23 December's following
    # Monday is the 28th (a bank holiday, but the day inspectors are said to arrive).
    assert deadline(start, Timescale(1, "mondays", "x"), calendar).due == date(2026, 12, 28)
    monday = date(2027, 2, 1)
    following = deadline(monday, Timescale(1, "mondays", "call to the DCS"), calendar)
    assert following.due == date(2027, 2, 8)
    assert following.describe() == (
        "If the call to the DCS was on Monday 1 February 2027, the following Monday is "
        "Monday 8 February 2027."
    )
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
