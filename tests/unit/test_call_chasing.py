"""Who is chased about an unacknowledged inspection call, and when (pure, fake times)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from notifications.call_chasing import Chase, ChaseKind, ChasePolicy, plan_chases

CALLED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
POLICY = ChasePolicy()  # reminders every 15 minutes, managers from 30, 3 rounds
# (person, line manager): 1 and 2 report to 10; 3 has no line manager.
SILENT = [(1, 10), (2, 10), (3, None)]


def at(minutes: float) -> list[Chase]:
    return plan_chases(7, CALLED, CALLED + timedelta(minutes=minutes), SILENT, POLICY, [99])


def summary(chases: list[Chase]) -> list[tuple[str, int, int, tuple[int, ...]]]:
    return [(c.kind.value, c.round, c.recipient_id, c.about) for c in chases]


def test_nothing_before_the_first_interval() -> None:
    assert at(0) == []
    assert at(14.99) == []


def test_a_reminder_to_each_silent_person_after_15_minutes() -> None:
    assert summary(at(15)) == [
        ("call_reminder", 1, 1, (1,)),
        ("call_reminder", 1, 2, (2,)),
        ("call_reminder", 1, 3, (3,)),
    ]
    assert at(15)[0].dedupe_key == "call:7:remind:1:1"


def test_line_managers_are_told_from_30_minutes_with_one_message_each() -> None:
    chases = at(30)

    assert [c for c in summary(chases) if c[0] == "call_escalation"] == [
        ("call_escalation", 1, 10, (1, 2)),
        ("call_escalation", 1, 99, (3,)),  # no manager: the coordinator who called
    ]
    assert {c.round for c in chases if c.kind is ChaseKind.REMINDER} == {2}


def test_rounds_are_bounded() -> None:
    late = at(600)

    assert {(c.kind, c.round) for c in late} == {
        (ChaseKind.REMINDER, 3),
        (ChaseKind.ESCALATION, 3),
    }
    assert {c.dedupe_key for c in late} == {c.dedupe_key for c in at(60)}


def test_the_same_round_plans_the_same_keys_so_nothing_is_queued_twice() -> None:
    assert [c.dedupe_key for c in at(16)] == [c.dedupe_key for c in at(29)]


def test_a_manager_who_is_silent_is_not_told_about_themselves() -> None:
    chases = plan_chases(7, CALLED, CALLED + timedelta(minutes=30), [(5, 5)], POLICY, [])

    assert [c.kind for c in chases] == [ChaseKind.REMINDER]


def test_custom_intervals_and_no_rounds() -> None:
    quick = ChasePolicy(timedelta(minutes=5), timedelta(minutes=10), rounds=1)
    never = ChasePolicy(rounds=0)
    then = CALLED + timedelta(minutes=10)

    assert summary(plan_chases(1, CALLED, then, [(1, 2)], quick, [])) == [
        ("call_reminder", 1, 1, (1,)),
        ("call_escalation", 1, 2, (1,)),
    ]
    assert plan_chases(1, CALLED, CALLED + timedelta(hours=5), [(1, 2)], never, []) == []


def test_intervals_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        ChasePolicy(renotify_after=timedelta(0))
