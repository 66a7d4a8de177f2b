"""The button registry: every verb has a rule, and a rule refuses data without its ids."""

from __future__ import annotations

import pytest

from dialogs.policy import NO_CALL, NO_ITEM, NO_PERSON, VERBS, Verb

WITH_IDS = [verb for verb in Verb if VERBS[verb].ids]


def test_every_verb_has_a_rule() -> None:
    assert set(VERBS) == set(Verb)


@pytest.mark.parametrize("verb", WITH_IDS, ids=str)
def test_each_id_the_rule_names_must_be_a_record_id(verb: Verb) -> None:
    rule = VERBS[verb]
    good = {field: 7 for field, _ in rule.ids}

    assert rule.payload_problem({"action": verb.value, **good}) is None
    assert rule.payload_problem({"action": verb.value, **good, "id2": "x"}) is None
    for field, problem in rule.ids:
        for bad in (None, "", "x", 0, -1, 2**31, True, 1.0, [7], {"id": 7}):
            data = {"action": verb.value, **good, field: bad}
            assert rule.payload_problem(data) == problem, (field, bad)
        assert rule.payload_problem({k: v for k, v in good.items() if k != field}) == problem


def test_the_buttons_that_name_records_say_which_is_missing() -> None:
    assert VERBS[Verb.COMPLETE_ACTION].ids == (("id", NO_ITEM),)
    assert VERBS[Verb.DECIDE_EXTENSION].ids == (("request", NO_ITEM),)
    assert VERBS[Verb.RELINK].ids == (("staff", NO_PERSON),)
    assert all(
        VERBS[v].ids == (("call", NO_CALL),)
        for v in Verb
        if v.value.startswith("call_")
        and v not in (Verb.CALL_FORM, Verb.CALL_PREVIEW, Verb.CALL_CONFIRM)
    )
    # Buttons whose data carries no record: a form, a vote, a list, a setting.
    assert [v for v in Verb if not VERBS[v].ids] == [
        Verb.ANSWER_FEEDBACK,
        Verb.SHOW_HELP,
        Verb.SHOW_ENTRY,
        Verb.SHOW_LIST,
        Verb.DRAW_CONFIRM,
        Verb.REMINDER_SETTINGS,
        Verb.CALL_FORM,
        Verb.CALL_PREVIEW,
        Verb.CALL_CONFIRM,
        Verb.REPORT_DOWNLOAD,
    ]
