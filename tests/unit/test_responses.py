"""Whole replies from the shipped knowledge: compound questions, likely answers, refusals."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.ask_dialog import reply_text
from knowledge.library import Certainty, KnowledgeBase, stated_aspects
from knowledge.privacy import REMINDER
from knowledge.small_talk import SmallTalk
from knowledge.text import words

TODAY = date(2026, 11, 25)


def test_a_compound_question_gets_both_answers_each_with_its_source(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond("icpc and first core group timescales", TODAY)

    assert reply.certainty is Certainty.SURE
    assert [p.entry.id for p in reply.parts] == ["icpc-timescale", "first-core-group-timescale"]
    text = reply_text(reply)
    assert "15 working days" in text
    assert "10 working days" in text
    assert text.count("Source: ") == 2


def test_the_second_half_of_a_question_keeps_its_subject(shipped_knowledge: KnowledgeBase) -> None:
    reply = shipped_knowledge.respond(
        "send inspection - how much notice do we get and what are the possible outcomes", TODAY
    )

    assert [p.entry.id for p in reply.parts] == [
        "area-send-length-and-notice",
        "area-send-outcomes",
    ]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # A short first half that names what it asks is a question of its own, not the
        # topic of the second half as "RCPC - when is the first one due" is.
        ("jtai notice period and how many weeks it runs", ["jtai-notice", "jtai-timetable"]),
        (
            "area send notice? and how often do they happen",
            ["area-send-length-and-notice", "area-send-frequency"],
        ),
        (
            "focused visit length, also what do we get at the end of it",
            ["ilacs-focused-visit-length-notice-team", "ilacs-focused-visits"],
        ),
        # "n" for "and", as people type it.
        (
            "jtai notice period n how far back do they look at practice",
            ["jtai-notice", "jtai-last-six-months"],
        ),
        # The notification deadline carried into "the first visit after a placement" would
        # find the notification entry again, so that half is asked on its own words.
        (
            "emergency placement notification deadline and the first visit after a placement",
            ["placement-notification-timescale", "statutory-visits-children-in-care"],
        ),
        # "How often after" finds the first review a little ahead of the later ones, but
        # only the later ones' entry says how often: near enough, it answers.
        (
            "rcpc timings - when's the first one and then how often after",
            ["rcpc-first-review-timescale", "rcpc-later-reviews-timescale"],
        ),
        # "Then" joins two questions.
        (
            "core group then rcpc - timescales for each pls",
            ["first-core-group-timescale", "rcpc-first-review-timescale"],
        ),
        # Two things side by side: the question asked of each.
        (
            "short vs standard ilacs - how long is each one on site?",
            ["ilacs-short-inspection-length", "ilacs-standard-inspection-length"],
        ),
        # Alone either side of "vs", short and standard are the kinds of inspection.
        (
            "short vs standard, how long is each on site",
            ["ilacs-short-inspection-length", "ilacs-standard-inspection-length"],
        ),
        ("icpc vs rcpc timescales", ["icpc-timescale", "rcpc-first-review-timescale"]),
        (
            "whats the difference between a short and a standard ilacs in terms of time on site",
            ["ilacs-short-inspection-length", "ilacs-standard-inspection-length"],
        ),
        # Two things, then what is asked of each: the second's own entry, even when the
        # first's comes first for it too.
        (
            "jtai and area send, how much notice does each one give before fieldwork",
            ["jtai-notice", "area-send-length-and-notice"],
        ),
        (
            "care proceedings and pre-proceedings - how long is each meant to take",
            ["care-proceedings-26-weeks", "plo-pre-proceedings"],
        ),
        # A part that asks about its subject alone is a question of its own.
        (
            "what is the difference between an ilacs and a jtai",
            ["ilacs-what-is-ilacs", "jtai-what-is"],
        ),
        # Steps joined by arrows are asked one by one.
        (
            "strat disc -> icpc -> first core group, what are the timescales for each",
            ["strategy-discussion-timescale", "icpc-timescale", "first-core-group-timescale"],
        ),
        # "Forecast" in planning is no weather forecast.
        (
            "how often does the full ofsted inspection come round? trying to forecast ours",
            ["ilacs-inspection-frequency"],
        ),
        # A council named first is what every part is about, and a name with "and" in it
        # is one name.
        (
            "medway: when was the action plan due to ofsted + when did the commissioner "
            "have to report by",
            ["example-medway-2019", "medway-2019-commissioner-tasks"],
        ),
        # A council named anywhere holds for every part, even one that names an inspection.
        (
            "per kent's july 2016 paper - when were jtais launched and when did the send local "
            "area inspections start?",
            ["jtai-launch-2016-kent", "area-send-launch-2016-kent"],
        ),
        # "Who does it" asks who inspects.
        (
            "area send inspection - who does it and what day does the call come",
            ["area-send-framework", "area-send-length-and-notice"],
        ),
        # "Who gets one" is a question of its own, about which councils get which.
        (
            "standard inspection - who gets one and how long is it",
            ["ilacs-short-or-standard-inspection", "ilacs-standard-inspection-length"],
        ),
        # After a first conference, the next one is the review conference.
        ("icpc was last week, when is the next conference", ["rcpc-first-review-timescale"]),
        ("what are the child level spreadsheets", ["annex-a-what-is"]),
        # A first piece that says what a timescale counts from asks it: no mere topic.
        (
            "icpc from strat and then when's the first rcpc?",
            ["icpc-timescale", "rcpc-first-review-timescale"],
        ),
        # Two things that share one answer get it once.
        ("short vs standard ilacs - how much notice does each get?", ["ilacs-notice-call-to-dcs"]),
        # What is judged, or a notice that is good, is no guess at the judgement.
        ("will we get good notice before a jtai?", ["jtai-notice"]),
        ("will they judge us on care leavers?", ["ilacs-focus-care-leavers"]),
        # Asking which inspection comes next is no guess at the judgement.
        (
            "we were good last time, which inspection will we get",
            ["ilacs-short-or-standard-inspection"],
        ),
        # A stated judgement and when it was given are read together as its inspection.
        (
            "we were RI last time - how long will they be on site?",
            ["ilacs-standard-inspection-length"],
        ),
        # The inspection named decides between near ties: not placement notifications.
        ("jtai - isn't the notice only 5 working days?", ["jtai-notice"]),
        # A negated tag, and who said a figure, are no words of the question.
        ("care proceedings have to be done in 40 weeks don't they", ["care-proceedings-26-weeks"]),
        ("someone said jtai only gives 5 days notice, is that true", ["jtai-notice"]),
        # A case reference with a date to count from is still a timescale question.
        (
            "case ref 45821 strategy discussion was on 3 december, when is the icpc due",
            ["icpc-timescale"],
        ),
        # Placement notifications "send" nothing to do with SEND.
        (
            "area send: how much notice do we get and how long does it go on for",
            ["area-send-length-and-notice"],
        ),
        # A definition answers what a term means, not how many of them come.
        ("how many hmicfrs inspectors on a jtai team", ["jtai-team"]),
        ("what does hmicfrs stand for", ["glossary-hmicfrs"]),
        # The council named comes first when its entry is nearly as close as a national one.
        ("b&d overall grade last ilacs?", ["barking-dagenham-2019-judgements"]),
        (
            "who did the dfe appoint as childrens services commissioner for medway",
            ["medway-2019-statutory-direction"],
        ),
        # Further down, within reach of a national entry that never names it, too.
        (
            "medway ilacs, what was the judgement for children in care and care leavers",
            ["medway-2019-judgements"],
        ),
        ("what does areas for priority action mean", ["ilacs-focused-visit-priority-actions"]),
        # A date to count from asks a deadline: the entry with the timescale answers it.
        (
            "strat disc was mon 15 dec, whats the latest date we can hold the icpc",
            ["icpc-timescale"],
        ),
        # "Supposed to" asks nothing of its own.
        (
            "care proceedings are 26 wks, and how long is PLO pre proceedings supposed to take?",
            ["care-proceedings-26-weeks", "plo-pre-proceedings"],
        ),
        (
            "for the induction pack:\n* short inspection how long\n* standard inspection how long"
            "\n* how often",
            [
                "ilacs-short-inspection-length",
                "ilacs-standard-inspection-length",
                "ilacs-inspection-frequency",
            ],
        ),
    ],
)
def test_chat_phrasings_find_each_entry_asked(
    shipped_knowledge: KnowledgeBase, question: str, expected: list[str]
) -> None:
    reply = shipped_knowledge.respond(question, TODAY)

    assert reply.certainty is Certainty.SURE
    assert [p.entry.id for p in reply.parts] == expected


def test_a_part_likely_of_its_entry_is_answered_as_likely_beside_a_sure_one(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond(
        "dcs office: when exactly does the overall effectiveness grade go, and what's the new "
        "framework ofsted is consulting on called?",
        TODAY,
    )

    assert [(p.entry.id, p.likely) for p in reply.parts] == [
        ("ilacs-overall-effectiveness-removed", False),
        ("ilacs-new-framework-2027", True),
    ]
    assert reply.certainty is Certainty.PLAUSIBLE
    text = reply_text(reply)
    assert "I think you are asking about New children and families services framework" in text
    assert not text.startswith("I think")


def test_what_priority_actions_are_and_how_soon_their_plan_is_due_are_two_entries(
    shipped_knowledge: KnowledgeBase,
) -> None:
    # The first one's pointer to the second is no timescale of its own.
    reply = shipped_knowledge.respond(
        "just got the fv letter and theres areas for priority action in it. what do we need to "
        "send ofsted and how quickly",
        TODAY,
    )

    assert "focused-visit-priority-action-plan-deadline" in [p.entry.id for p in reply.parts]


@pytest.mark.parametrize(
    ("question", "today", "due"),
    [
        # The review after the second is 6 months on; the second is 3 months after the first.
        ("2nd review was 19/01/27 - when does the next one have to be by", date(2027, 1, 20),
         date(2027, 7, 19)),
        ("1st lac review was 15/1, when's the latest the second review can be",
         date(2027, 1, 18), date(2027, 4, 15)),
    ],
)  # fmt: skip
def test_typed_ordinals_pick_the_review_and_its_deadline(
    shipped_knowledge: KnowledgeBase, question: str, today: date, due: date
) -> None:
    reply = shipped_knowledge.respond(question, today)

    assert reply.certainty is Certainty.SURE
    deadline = reply.parts[0].deadline
    assert deadline is not None
    assert deadline.due == due


def test_one_question_in_two_halves_is_one_answer(shipped_knowledge: KnowledgeBase) -> None:
    reply = shipped_knowledge.respond("what is the icpc timescale and when is it due", TODAY)

    assert [p.entry.id for p in reply.parts] == ["icpc-timescale"]


def test_a_date_in_one_half_is_used_for_that_half_only(shipped_knowledge: KnowledgeBase) -> None:
    reply = shipped_knowledge.respond(
        "strategy discussion was on 3 december, when is the icpc and the first core group", TODAY
    )

    icpc, core_group = reply.parts
    assert icpc.deadline is not None
    assert icpc.deadline.due == date(2026, 12, 24)
    # The core group counts from the conference, whose date was not given.
    assert core_group.deadline is None


def test_a_plausible_match_is_offered_as_such_with_other_topics(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond("what are the ilacs judgements about leaders", TODAY)

    assert reply.certainty in (Certainty.PLAUSIBLE, Certainty.SURE)
    if reply.certainty is Certainty.PLAUSIBLE:
        text = reply_text(reply)
        assert text.startswith("I think you are asking about ")
        assert len(reply.suggestions) == 2
        assert "Or did you mean: " in text


@pytest.mark.parametrize(
    "question",
    [
        "how long after a missing episode does the return home interview have to be done",
        # "How many hours" asks a timescale, which the entry on missing episodes' records
        # does not give.
        "missing episode last night - how many hours have we got to do the return interview",
        "whats the timescale for a care act assessment for an adult",
        "when is payroll this month",
        "what's the weather tomorrow",
        "whats the weather forecast for the inspection week",
        "what is question number 12 about",
        "what is question number 50 about",
        "is it going to snow on monday",
        "how long does a dols assessment take",
        "how long does a planning permission decision take",
        "how long does a blue badge renewal take",
        "how quickly does a gp practice have to respond to a cqc request",
        "how many days does hr take to process a flexi request",
        "my vpn keeps dropping out, who fixes it",
        "how often are primary schools inspected by ofsted",
        "whats the time limit for a council tax reduction application",
        "whats the timescale for a foster carer's annual review",
        "when is the next fostering panel",
        "how much notice do schools get before an ofsted inspection",
        "in scotland how soon does an initial cp case conference have to happen",
        "is the c&f assessment on case ref 45821 overdue",
        "ehcp 20 week timescale - when does the draft plan have to go out",
        "how long do we have to respond to a stage 2 complaint",
        "how often should a looked after child have a dental check",
        "how long should a viability assessment of a family member take",
        "timescale for completing an sgo assessment for a kinship carer?",
        "how often should child in need plans be reviewed?",
        "when's the cin census due in to the dfe this year?",
        "how often should a child in need be visited",
        "ehcp has to be issued within how many weeks",
        "ehcp has to be finalised in how many weeks again",
        "teams keeps freezing when i share my screen in core groups, any fix?",
        "how long have we got to report a data breach to the ico",
        "s47 enquiry has to be completed within how many days",
        "our local threshold doc - what level is a cin case",
        "can u give me the lado's number",
        # The date of the council's own next inspection: only Ofsted's call will tell.
        "can u tell me the date of our next ilacs so i can book leave around it",
        "do you know what date ofsted are coming to us next?",
        # What a council's own next judgement will be: nobody can say.
        "will we get outstanding next time",
        "do u reckon ofsted will judge us inadequate",
        "what are our chances of getting good",
        "is the council going to be inadequate",
        "do u think we'll get good at our next inspection, our audits are mostly RI",
        "do you think medway will be rated good at their next ilacs",
        # Pay, the systems people record in, and casework the knowledge holds no timescale for.
        "is there an inspection readiness allowance for team managers",
        "where's the lado referral form",
        "how do i get into the evidence store sharepoint, it says access denied",
        "what's the statutory timescale for an EHCP needs assessment",
        "timescale for a secure accommodation review under s25?",
        "icpc timescale for an unborn baby",
        # A request to look into one child's record, without a case reference.
        "can you check if jayden's s47 outcome has been recorded yet",
        # Housing, staffing rules, another council's grade, the next inspection's date.
        "family presenting as homeless tonight, how long has housing got to make a decision",
        "iro max caseload? ours are on 90",
        "what did ofsted give essex at their last ilacs",
        "when is ofsted next due to inspect barking and dagenham",
        "how much does an ilacs inspection cost the council in staff time",
        "medway's fostering service, what grade did it get at its own ofsted inspection",
        "parent wants to appeal an ehcp decision to the send tribunal - how long does it take?",
        # What a measure cost, where no answer gives a sum; the court's own timetable.
        "how much did the 8 extra sw posts cost medway?",
        "within the 26 weeks, by what day should the case management hearing be listed?",
        # What a later document or visit found, what another council had to send.
        "what did eleanor brazil recommend in her 1 december 2019 report on medway?",
        "how did medway do at its first monitoring visit after the 2019 inadequate?",
        "what date did croydon have to submit its ilacs action plan to ofsted?",
        "kent's sif eventually happened after the 2016 paper - what overall grade did kcc get?",
        "how much did medway budget for the 8 additional social work posts?",
        "we work in wales - how long have we got to hold an icpc?",
        # The date of a visit or another inspectorate's inspection, which has no cycle.
        "when is hmicfrs next inspecting our police force",
        "when is our next focused visit going to be? last one was 2024",
        # The hour of the call, which no source gives.
        "we're good and due a short one - what time of day does ofsted ring the dcs?",
        "mash sgt - high risk dash done, within how many days does the marac referral go in?",
    ],
)
def test_questions_the_knowledge_cannot_answer_are_declined(
    shipped_knowledge: KnowledgeBase, question: str
) -> None:
    reply = shipped_knowledge.respond(question, TODAY)

    assert reply.parts == ()
    assert reply.certainty is Certainty.UNSURE
    assert reply_text(reply).startswith("I'm not sure I have the right answer")


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("emergency placement notify within 24 hr?", "Placement notification timescale"),
        ("how many hrs for a strat", "Strategy discussion timing"),
    ],
)
def test_hours_written_as_hr_are_no_sign_of_a_question_about_hr(
    shipped_knowledge: KnowledgeBase, question: str, title: str
) -> None:
    reply = shipped_knowledge.respond(question, TODAY)

    assert reply.answers_given
    assert reply.parts[0].entry.title.startswith(title)


def test_small_talk_is_answered_as_such(shipped_knowledge: KnowledgeBase) -> None:
    reply = shipped_knowledge.respond("@Inspection Ready thanks!", TODAY)

    assert reply.small_talk is SmallTalk.THANKS
    assert reply_text(reply) == SmallTalk.THANKS.value
    assert reply.parts == ()


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("you there?", SmallTalk.GREETING),
        ("is this thing on?", SmallTalk.GREETING),
        ("lol ok", SmallTalk.ACKNOWLEDGED),
        ("haha cheers", SmallTalk.THANKS),
        ("cheers x", SmallTalk.THANKS),
        ("@Inspection Ready morning! are you working today?", SmallTalk.GREETING),
    ],
)
def test_everyday_small_talk_is_recognised(
    shipped_knowledge: KnowledgeBase, message: str, kind: SmallTalk
) -> None:
    assert shipped_knowledge.respond(message, TODAY).small_talk is kind


@pytest.mark.parametrize("message", ["are you there on a monitoring visit?", "is the icpc on?"])
def test_a_real_question_with_presence_words_is_not_small_talk(
    shipped_knowledge: KnowledgeBase, message: str
) -> None:
    assert shipped_knowledge.respond(message, TODAY).small_talk is None


def test_an_age_dependent_timescale_gives_no_deadline_without_the_age(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond(
        "last health assessment for a child in care was 8 Dec 26, when's the next", DEC_14
    )

    assert [p.entry.id for p in reply.parts] == ["health-assessments-children-in-care"]
    assert reply.parts[0].deadline is None  # both the 6 and 12 months are in the answer
    assert "every 6 months for children under 5" in reply_text(reply).replace("\n", " ")


def test_a_topic_put_first_is_what_the_questions_after_it_ask_about(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond("rcpc - when's the first one due and how often after", TODAY)

    assert [p.entry.id for p in reply.parts] == [
        "rcpc-first-review-timescale",
        "rcpc-later-reviews-timescale",
    ]


def test_a_question_among_a_preamble_is_answered(shipped_knowledge: KnowledgeBase) -> None:
    reply = shipped_knowledge.respond(
        "who actually gets the phone call from ofsted when an inspection is starting? "
        "is it the chief exec",
        TODAY,
    )

    assert reply.certainty is Certainty.SURE
    assert [p.entry.id for p in reply.parts] == ["ilacs-notice-call-to-dcs"]


def test_a_lone_part_is_not_answered_when_its_entry_lacks_what_is_asked(
    shipped_knowledge: KnowledgeBase,
) -> None:
    # The LADO is in the glossary, but no LADO timescale is.
    reply = shipped_knowledge.respond("lado referral - how quickly does the LADO respond", TODAY)

    assert not reply.answers_given


def test_an_answer_that_gives_a_duration_answers_how_long(
    shipped_knowledge: KnowledgeBase,
) -> None:
    # The AEM entry says Ofsted writes "within a month", without the word timescale.
    reply = shipped_knowledge.respond(
        "how often do we do the self eval and after the aem how long til ofsted write back",
        TODAY,
    )

    assert [p.entry.id for p in reply.parts] == [
        "ilacs-annual-self-evaluation",
        "ilacs-annual-engagement-meeting",
    ]


@pytest.mark.parametrize(
    ("answer", "aspects"),
    [
        ("Ofsted writes within a month.", {"timescale"}),
        ("Reviewed every 6 months.", {"frequency"}),
        ("Visits happen quarterly, each within 20 working days.", {"timescale", "frequency"}),
        ("Annex A lists the contacts.", set()),
    ],
)
def test_the_aspects_an_answer_states_in_other_words(answer: str, aspects: set[str]) -> None:
    assert stated_aspects(answer) == aspects


def test_a_question_naming_someone_is_answered_with_a_reminder_and_kept_redacted(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond("Jayden Smith had his icpc, when is the core group", TODAY)

    assert reply.personal is True
    assert reply_text(reply).startswith(REMINDER)
    assert "Jayden" not in reply.keepable
    assert "Smith" not in reply.keepable


@pytest.mark.parametrize(
    ("question", "due"),
    [
        ("strat disc was fri 4/12, when's the latest date for the icpc", date(2026, 12, 29)),
        ("strategy discussion weds 3 march, icpc by when", date(2027, 3, 24)),
        ("strategy meeting on 02/12/26 when is the icpc due", date(2026, 12, 23)),
        ("strategy discussion 17 dec, icpc deadline?", date(2027, 1, 12)),
    ],
)
def test_dates_as_people_type_them_give_the_deadline(
    shipped_knowledge: KnowledgeBase, question: str, due: date
) -> None:
    reply = shipped_knowledge.respond(question, TODAY)

    [part] = reply.parts
    assert part.deadline is not None
    assert part.deadline.due == due
    assert "bank holidays in England and Wales" in part.deadline.describe()


DEC_10, DEC_14, FEB_20 = date(2026, 12, 10), date(2026, 12, 14), date(2027, 2, 20)


@pytest.mark.parametrize(
    ("question", "today", "due"),
    [
        ("came into care on 2 december, when is the first lac review", DEC_10, date(2027, 1, 4)),
        ("first lac review was 11 feb, when is the second one due", FEB_20, date(2027, 5, 11)),
        (
            "fv letter on the 11th had priority actions, draft action plan due?",
            DEC_14,
            date(2027, 1, 13),
        ),
        (
            "fv letter on the 11th had priority actions, final action plan due?",
            DEC_14,
            date(2027, 3, 24),
        ),
        (
            "last stat visit for a child in care was 8th dec, next one due by",
            DEC_14,
            date(2027, 1, 19),
        ),
        # The date in one sentence, which clock in the other.
        (
            "we got the focused visit letter 11/12/26 with priority actions - when's the FINAL "
            "action plan due",
            DEC_14,
            date(2027, 3, 24),
        ),
        (
            "she is 3, last health assessment for a child in care was 8 Dec 26. when's the next",
            DEC_14,
            date(2027, 6, 8),
        ),
        (
            "a 14 year old in care had her health assessment on 8 Dec 26, when's the next",
            DEC_14,
            date(2027, 12, 8),
        ),
    ],
)
def test_an_entry_with_several_timescales_counts_the_one_asked_about(
    shipped_knowledge: KnowledgeBase, question: str, today: date, due: date
) -> None:
    [part] = shipped_knowledge.respond(question, today).parts

    assert part.deadline is not None
    assert part.deadline.due == due


def test_a_council_named_for_the_whole_message_holds_for_every_part(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond(
        "medway: date the report was published and what they got for children in care and "
        "care leavers",
        TODAY,
    )

    assert reply.parts
    assert all("Medway" in p.entry.title for p in reply.parts)


def test_a_suggestion_speaking_of_what_the_best_never_mentions_answers_in_its_place(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond(
        "which child-level data list has the last iro contact and the dental checks in it?", TODAY
    )

    assert [p.entry.id for p in reply.parts] == ["annex-a-list-8-children-in-care"]


def test_the_date_of_a_childs_next_statutory_visit_is_no_question_about_ofsteds(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond(
        "first year of the placement, last statutory visit was tue 3 nov. latest date for "
        "the next visit?",
        date(2026, 11, 25),
    )

    assert [p.entry.id for p in reply.parts] == ["statutory-visits-children-in-care"]


def test_short_and_standard_named_beside_each_other_by_the_adjective_are_both_answered(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond(
        "quick one - how long on site for a short inspection and how long for a standard?", TODAY
    )

    assert [p.entry.id for p in reply.parts] == [
        "ilacs-short-inspection-length",
        "ilacs-standard-inspection-length",
    ]


@pytest.mark.parametrize(
    ("question", "arrive"),
    [
        # Wednesday 25 November 2026: the following Monday is 30 November.
        (
            "ofsted called the dcs today (wed) for our short inspection - what date are they "
            "on site?",
            "30 November 2026",
        ),
        (
            "dcs has just had the ilacs call (short inspection). what date will they be on site?",
            "30 November 2026",
        ),
        (
            "The DCS has just had the phone call from Ofsted. We were judged good last time. "
            "When should we expect the inspectors to physically arrive?",
            "30 November 2026",
        ),
    ],
)
def test_the_day_inspectors_arrive_after_the_call_is_worked_out(
    shipped_knowledge: KnowledgeBase, question: str, arrive: str
) -> None:
    reply = shipped_knowledge.respond(question, TODAY)

    assert [p.entry.id for p in reply.parts] == ["ilacs-notice-call-to-dcs"]
    assert arrive in reply_text(reply)


def test_a_statement_beside_a_question_is_not_answered_in_the_questions_place(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond(
        "writing our sef ahead of the aem and im a bit stuck on what it needs to cover", TODAY
    )

    assert [p.entry.id for p in reply.parts] == ["ilacs-annual-self-evaluation"]


def test_when_something_started_is_answered_by_the_entry_saying_so(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond(
        "when did ilacs inspections actually come into use, is it 2018?", TODAY
    )

    assert [p.entry.id for p in reply.parts] == ["ilacs-what-is-ilacs"]
    assert "2018" in reply_text(reply)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # The visiting pattern for such placements ranks first and never speaks of one.
        (
            "placed a 3 year old with foster carers, how often will they need their health "
            "assessment done",
            "health-assessments-children-in-care",
        ),
        # The council's judgements, not its strengths in the same area.
        (
            "what judgement did b&d get for children in care and care leavers in 2019?",
            "barking-dagenham-2019-judgements",
        ),
        # Typed in a hurry: a typo inside a phrase, an abbreviation, a visit by its initials.
        ("health assesment over 5 freq", "health-assessments-children-in-care"),
        ("kent prev ofsted grades", "kent-ofsted-inspections-2012-2014"),
        ("fv team size", "ilacs-focused-visit-length-notice-team"),
        # The guidance asked about, not the entry sharing only "date" and "came out".
        ("date WT2023 came out?", "wt2023-replaced-wt2018"),
        # A pupil is a child a school refers; someone from Wales asks England's rule here.
        (
            "school phoned in a worry about a pupil this morning. by when does the front door "
            "have to decide what we're doing with it?",
            "referral-decision-timescale",
        ),
        (
            "front door here, we've got a new starter from wales and she asked what the "
            "timescale is for deciding what to do with a referral once it comes in",
            "referral-decision-timescale",
        ),
        # The age is no sign of the health assessment's yearly timescale.
        (
            "a 10 yr old came into care under s20 last night - when do i need to have the "
            "first review booked by?",
            "lac-first-review-timescale",
        ),
    ],
)
def test_the_entry_naming_the_process_asked_about_answers_a_near_tie(
    shipped_knowledge: KnowledgeBase, question: str, expected: str
) -> None:
    reply = shipped_knowledge.respond(question, TODAY)

    assert [p.entry.id for p in reply.parts] == [expected]


def test_a_name_shortened_round_an_ampersand_keeps_its_possessive(
    shipped_knowledge: KnowledgeBase,
) -> None:
    # "b&d's" is Barking and Dagenham's, not "b" and a word "ds".
    assert words("area send insp") == ["area", "send", "inspection"]
    assert words("b&ds") == ["b", "d"]
    assert words("b&d's standard inspection, c&f\u2019s") == [
        "b",
        "d",
        "standard",
        "inspection",
        "c",
        "f",
    ]
    reply = shipped_knowledge.respond("when was b&d's standard inspection", TODAY)

    assert [p.entry.id for p in reply.parts] == [
        "barking-dagenham-2019-inspection-dates-and-letter"
    ]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # The words of an out-of-scope rule that in-scope questions use too.
        ("how long after completing a s47 is the icpc", "icpc-timescale"),
        ("what's number 5 on the annex a lists", "annex-a-list-5-section-47"),
        (
            "annex a contact numbers - do we count every contact in list 1",
            "annex-a-list-1-contacts",
        ),
        ("the upload keeps crashing - when is annex a due after the call", "annex-a-deadline"),
        (
            "on the last day of the next inspection do they give feedback",
            "sif-final-day-judgements",
        ),
        # "When" is no sign that a definition cannot answer.
        ("when is a child cin rather than cp", "glossary-cin"),
        ("nfa on a referral, when is it used", "glossary-nfa"),
        # "Still good" with casework named is no judgement of the council's.
        ("we are still good with timescales, how long is an icpc", "icpc-timescale"),
        # A child on someone's caseload is no question about caseloads.
        (
            "young person on my caseload just turned 16 in care, when does the needs "
            "assessment for his pathway plan have to be done",
            "pathway-needs-assessment-age-16",
        ),
    ],
)
def test_in_scope_questions_beside_the_out_of_scope_rules_are_answered(
    shipped_knowledge: KnowledgeBase, question: str, expected: str
) -> None:
    reply = shipped_knowledge.respond(question, TODAY)

    assert reply.certainty is Certainty.SURE
    assert expected in [p.entry.id for p in reply.parts]


@pytest.mark.parametrize(
    ("question", "said"),
    [
        (
            "lac reviews: when's the first one, then after the second how often",
            ["20 working days", "3 months", "6 months"],
        ),
        (
            "iro here, quick one - lac reviews: 1st, 2nd, then??",
            ["20 working days", "3 months", "6 months"],
        ),
        ("rcpc how often", ["3 months", "6 months"]),
    ],
)
def test_a_series_of_reviews_is_answered_from_the_first(
    shipped_knowledge: KnowledgeBase, question: str, said: list[str]
) -> None:
    # Asked about the series, whichever entry answers gives the first one's timing too.
    text = reply_text(shipped_knowledge.respond(question, TODAY))

    assert all(figure in text for figure in said)


def test_the_sif_files_audited_tracked_and_sampled_are_answered_together(
    shipped_knowledge: KnowledgeBase,
) -> None:
    # One Barnet summary gave the three figures; either entry now gives all three.
    text = reply_text(
        shipped_knowledge.respond(
            "barnet's sif summary: how many cases audited by the la, how many tracked, how many "
            "sampled",
            TODAY,
        )
    )

    assert all(figure in text for figure in ("18", "25 to 30", "at least 50"))
