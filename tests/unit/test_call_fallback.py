"""Who gets the inspection call by SMS or email, what it says, and what the cards say of it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cards.call_messages import CallFacts
from dialogs.call_reach import reach_of
from notifications.call_chasing import ChasePolicy
from notifications.call_fallback import CallFallback, policy_text, status_facts
from store.models import InspectionCall, OutboxChannel, Staff, StaffRole
from store.repositories.call_fallbacks import Candidate

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
BOTH = CallFallback(frozenset({OutboxChannel.SMS, OutboxChannel.EMAIL}))
SMS_ONLY = CallFallback(frozenset({OutboxChannel.SMS}))
EMAIL_ONLY = CallFallback(frozenset({OutboxChannel.EMAIL}))


def facts(drill: bool) -> CallFacts:
    return CallFacts(
        call_id=7,
        type_name="ILACS short inspection",
        on_site=date(2026, 11, 30),
        drill=drill,
        called_by="Alex Wilber",
        called_at=NOW,
        timezone=ZoneInfo("Europe/London"),
    )


def call(drill: bool = False) -> InspectionCall:
    return InspectionCall(id=7, drill=drill, called_at=NOW)


def person(staff_id: int, mobile: str | None = None) -> Staff:
    return Staff(
        id=staff_id,
        name=f"Person {staff_id}",
        email=f"p{staff_id}@example.gov.uk",
        role=StaffRole.PRACTITIONER,
        mobile=mobile,
    )


def test_sms_goes_to_a_mobile_and_email_to_an_address_both_where_both_exist() -> None:
    assert BOTH.channels_for("+447700900123", "a@example.gov.uk") == [
        OutboxChannel.SMS,
        OutboxChannel.EMAIL,
    ]
    assert BOTH.channels_for(None, "a@example.gov.uk") == [OutboxChannel.EMAIL]
    assert SMS_ONLY.channels_for(None, "a@example.gov.uk") == []
    assert SMS_ONLY.mobile_needed
    assert not BOTH.mobile_needed
    with pytest.raises(ValueError, match="SMS, email or both"):
        CallFallback(frozenset())


def test_one_row_per_person_and_channel_keyed_once_per_call() -> None:
    candidates = [
        Candidate(1, "+447700900123", "p1@example.gov.uk", in_teams=False),
        Candidate(2, None, "p2@example.gov.uk", in_teams=True),
    ]

    rows = BOTH.rows(call(drill=True), facts(drill=True), candidates, NOW)

    assert [(r["dedupe_key"], r["kind"], r["channel"]) for r in rows] == [
        ("call:7:sms:1", "call_sms", OutboxChannel.SMS),
        ("call:7:email:1", "call_email", OutboxChannel.EMAIL),
        ("call:7:email:2", "call_email", OutboxChannel.EMAIL),
    ]
    assert all(r["urgent"] and r["call_id"] == 7 and r["next_attempt_at"] == NOW for r in rows)
    first, _, silent = (r["payload"] for r in rows)
    assert first == {
        "message": "DRILL: Inspection call: ILACS short inspection, inspectors on site Monday "
        "30 November 2026. Called at 09:00 by Alex Wilber. Please acknowledge now with your "
        "personal link, then open Inspection Ready in Teams for your first tasks.",
        "drill": True,
    }
    # Someone Teams reached who is still silent is told so; the drill still comes first.
    assert silent["message"].startswith("DRILL: Inspection call: ILACS short inspection")
    assert "You have not acknowledged yet: please acknowledge now" in silent["message"]


def test_the_status_card_counts_each_channel_or_says_it_is_off() -> None:
    counts = {("sms", "sent"): 2, ("sms", "failed"): 1, ("email", "sent"): 5}
    sending = {("email", "pending"): 3, ("email", "sending"): 1}

    assert status_facts(BOTH, counts) == [
        {"title": "By SMS", "value": "2 sent, 1 failed"},
        {"title": "By email", "value": "5 sent, 0 failed"},
    ]
    assert status_facts(EMAIL_ONLY, sending) == [
        {"title": "By email", "value": "0 sent, 0 failed, 4 sending"}
    ]
    assert status_facts(None, {}) == [
        {"title": "By SMS or email", "value": "off: GOV.UK Notify is not set up"}
    ]


def test_the_policy_says_who_gets_the_fallback_and_when() -> None:
    policy = ChasePolicy(renotify_after=timedelta(minutes=15))

    assert policy_text(BOTH, policy) == (
        " Those Teams cannot reach get it by SMS or email with a link to acknowledge, and so "
        "does anyone still silent after 15 minutes."
    )
    assert policy_text(SMS_ONLY, ChasePolicy(rounds=0)).endswith(
        "by SMS with a link to acknowledge."
    )
    assert "GOV.UK Notify is not set up" in policy_text(None, policy)


def test_the_preview_counts_who_gets_it_where() -> None:
    people = [person(1), person(2, "+447700900123"), person(3), person(4)]

    both = reach_of(people, {1}, BOTH)
    sms = reach_of(people, {1}, SMS_ONLY)
    off = reach_of(people, {1}, None)

    assert (both.teams, both.not_in_teams, both.elsewhere, both.nowhere) == (1, 3, 3, [])
    assert (both.by_sms, both.by_email) == (1, 3)
    assert both.fallback_line() == (
        "1 by SMS and 3 by email, each with a personal link to acknowledge (both where the "
        "roster has a mobile and an email address)."
    )
    assert (
        both.send_title(drill=False) == "Send the alert to 1 person in Teams and 3 by SMS or email"
    )
    assert [p.id for p in sms.nowhere] == [3, 4]
    assert sms.fallback_line() == "1 by SMS, each with a personal link to acknowledge."
    assert sms.send_title(drill=True) == "Send the DRILL alert to 1 person in Teams and 1 by SMS"
    assert (off.elsewhere, off.fallback_line(), off.fallback_how) == (0, None, None)
    assert off.send_title(drill=False) == "Send the alert to 1 person in Teams"


def test_the_send_button_names_every_case() -> None:
    people = [person(1), person(2)]

    assert reach_of(people, set(), BOTH).send_title(drill=False) == (
        "Send the alert to 2 people by SMS or email"
    )
    assert reach_of(people, set(), SMS_ONLY).send_title(drill=True) == (
        "Start the DRILL alert (nobody can get it in Teams or by SMS)"
    )
    assert reach_of(people, set(), None).send_title(drill=False) == (
        "Start the alert (nobody can get it in Teams)"
    )
