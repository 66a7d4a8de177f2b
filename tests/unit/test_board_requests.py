"""Asking owners for their board updates: lead time in working days, catch-up, chase once."""

from __future__ import annotations

from datetime import date

from knowledge.working_days import WorkingDays
from notifications.board_requests import (
    ASK,
    CHASE,
    Meeting,
    OwnedAction,
    ask_key,
    plan_board_asks,
    render_ask,
)

CALENDAR = WorkingDays()
# Tuesday 29 December 2026: after Christmas Day (Friday) and Boxing Day's substitute bank
# holiday (Monday 28th).
AFTER_CHRISTMAS = Meeting(1, "Improvement Board", date(2026, 12, 29))
A1 = OwnedAction(10, "A1", "Do one thing", owner_id=7, updated=False)
A2 = OwnedAction(11, "A2", "Do another", owner_id=7, updated=False)
DONE = OwnedAction(12, "A3", "Already updated", owner_id=8, updated=True)


def plan(today: date, asked: set[str] | None = None, meeting: Meeting = AFTER_CHRISTMAS) -> list:
    return plan_board_asks(
        today, [meeting], {meeting.id: [A1, A2, DONE]}, asked or set(), CALENDAR, lead_days=5
    )


def test_owners_are_asked_five_working_days_before_counting_bank_holidays() -> None:
    # Mon 21, Tue 22, Wed 23, Thu 24 and Tue 29 December are the five working days up to
    # the meeting: so the ask goes on Friday 18 December, not before.
    assert plan(date(2026, 12, 17)) == []
    [ask] = plan(date(2026, 12, 18))

    assert (ask.kind, ask.owner_id, ask.working_days) == (ASK, 7, 5)
    assert [a.ref for a in ask.actions] == ["A1", "A2"]
    assert ask.dedupe_key == "board_ask:1:2026-12-29:7"


def test_an_owner_with_every_action_updated_is_not_asked() -> None:
    asks = plan(date(2026, 12, 18))

    assert {a.owner_id for a in asks} == {7}


def test_a_meeting_added_late_is_asked_for_at_once_and_not_chased_the_same_day() -> None:
    [ask] = plan(date(2026, 12, 24))

    assert (ask.kind, ask.working_days) == (ASK, 1)


def test_the_chase_goes_two_working_days_before_once_asked_on_an_earlier_day() -> None:
    asked = {ask_key(AFTER_CHRISTMAS, 7)}

    assert plan(date(2026, 12, 22), asked) == []  # three working days before: not yet
    [chase] = plan(date(2026, 12, 23), asked)

    assert (chase.kind, chase.dedupe_key) == (CHASE, "board_chase:1:2026-12-29:7")
    # The next day plans the same key, which the outbox refuses to queue twice.
    assert [p.dedupe_key for p in plan(date(2026, 12, 24), asked)] == [chase.dedupe_key]


def test_nothing_on_or_after_the_meeting_day() -> None:
    assert plan(date(2026, 12, 29)) == []
    assert plan(date(2026, 12, 30)) == []


def test_a_moved_meeting_is_asked_for_again() -> None:
    moved = Meeting(1, "Improvement Board", date(2027, 1, 5))

    [ask] = plan(date(2026, 12, 29), {ask_key(AFTER_CHRISTMAS, 7)}, meeting=moved)

    assert (ask.kind, ask.dedupe_key) == (ASK, "board_ask:1:2027-01-05:7")


def test_the_card_lists_the_actions_with_an_update_button_each() -> None:
    [ask] = plan(date(2026, 12, 18))

    payload = render_ask(ask)

    assert payload["template"] == "board_ask"
    assert payload["text"] == "Your update for the Improvement Board on Tuesday 29 December 2026"
    assert payload["context"]["actions"] == [
        {"id": 10, "ref": "A1", "summary": "Do one thing"},
        {"id": 11, "ref": "A2", "summary": "Do another"},
    ]
    assert "The board meets in 5 working days." in payload["context"]["intro"]
