"""The reminder rules: before, on and after deadlines, escalation, events, digests, choices."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from cards.work_items import ItemKind, WorkItem, _item
from knowledge.working_days import WorkingDays
from notifications.planner import EventInfo, MessageKind, Planner, Recipient
from notifications.rules import ReminderRules
from store.models import StaffRole

CALENDAR = WorkingDays()
BOSS = Recipient(1, "Boss", StaffRole.MANAGER, "A", None)
MANAGER = Recipient(2, "Megan", StaffRole.MANAGER, "A", 1)
WORKER = Recipient(3, "Adele", StaffRole.PRACTITIONER, "A", 2)
COORDINATOR = Recipient(4, "Alex", StaffRole.COORDINATOR, "QA", None)


def item(due: date, today: date, owner: int = 3, item_id: int = 7) -> WorkItem:
    return _item(
        ItemKind.ACTION, item_id, "PA1", "x", due, "in progress", owner, "Adele", today, CALENDAR
    )


def planner(*people: Recipient, snoozed: dict | None = None) -> Planner:
    everyone = {p.staff_id: p for p in people or (BOSS, MANAGER, WORKER, COORDINATOR)}
    return Planner(ReminderRules(), CALENDAR, everyone, snoozed or {})


def keys(today: date, due: date, p: Planner | None = None) -> list[tuple[MessageKind, int]]:
    planned = (p or planner()).plan(today, [item(due, today)], [])
    return [(m.kind, m.recipient_id) for m in planned if m.kind is not MessageKind.DIGEST]


def test_five_working_days_before_then_on_the_day() -> None:
    due = date(2026, 12, 2)  # Wednesday

    assert keys(date(2026, 11, 24), due) == []
    assert keys(date(2026, 11, 25), due) == [(MessageKind.BEFORE_DUE, 3)]
    assert keys(date(2026, 12, 2), due) == [(MessageKind.DUE_TODAY, 3)]


def test_a_missed_day_is_caught_up_with_the_same_key() -> None:
    due = date(2026, 12, 2)
    first = planner().plan(date(2026, 11, 26), [item(due, date(2026, 11, 26))], [])
    second = planner().plan(date(2026, 11, 27), [item(due, date(2026, 11, 27))], [])

    assert [m.dedupe_key for m in first] == [m.dedupe_key for m in second]


def test_overdue_weekly_and_escalation_from_five_working_days() -> None:
    due = date(2026, 11, 13)  # Friday
    day1, day5, day6 = date(2026, 11, 16), date(2026, 11, 20), date(2026, 11, 23)

    assert keys(day1, due) == [(MessageKind.OVERDUE, 3)]
    assert keys(day5, due) == [(MessageKind.OVERDUE, 3), (MessageKind.ESCALATION, 2)]
    first = {m.dedupe_key for m in planner().plan(day1, [item(due, day1)], [])}
    later = {m.dedupe_key for m in planner().plan(day6, [item(due, day6)], [])}
    assert first.isdisjoint(later)  # the second week's reminder is a new message


def test_overdue_counts_working_days_across_bank_holidays() -> None:
    due = date(2026, 12, 23)

    # 24 Dec is day 1; 25, 26 (Saturday) and 28 (observed) do not count; 29 Dec is day 2.
    [(kind, _)] = keys(date(2026, 12, 29), due)
    [planned] = [
        m
        for m in planner().plan(date(2026, 12, 29), [item(due, date(2026, 12, 29))], [])
        if m.kind is MessageKind.OVERDUE
    ]
    assert (kind, planned.working_days) == (MessageKind.OVERDUE, 2)


def test_snooze_stops_the_owner_but_not_the_escalation() -> None:
    due, today = date(2026, 11, 13), date(2026, 11, 20)
    p = planner(snoozed={("action", 7): date(2026, 11, 24)})

    assert keys(today, due, p) == [(MessageKind.ESCALATION, 2)]
    assert keys(date(2026, 11, 25), due, p)[0] == (MessageKind.OVERDUE, 3)


def test_pause_stops_only_non_urgent_nudges_and_digest_only_stops_individual_ones() -> None:
    paused = Recipient(3, "Adele", StaffRole.PRACTITIONER, "A", 2, paused_until=date(2026, 12, 31))
    digest_only = Recipient(3, "Adele", StaffRole.PRACTITIONER, "A", 2, digest_only=True)

    assert keys(date(2026, 11, 25), date(2026, 12, 2), planner(BOSS, MANAGER, paused)) == []
    assert keys(date(2026, 11, 16), date(2026, 11, 13), planner(BOSS, MANAGER, paused)) == [
        (MessageKind.OVERDUE, 3)
    ]
    assert keys(date(2026, 11, 16), date(2026, 11, 13), planner(BOSS, MANAGER, digest_only)) == []


def test_event_reminders_go_to_the_audience() -> None:
    board = EventInfo(9, "Improvement Board", date(2026, 12, 9), "improvement_board", "managers")
    today = date(2026, 11, 25)  # 10 working days before

    planned = planner().plan(today, [], [board])

    assert sorted(m.recipient_id for m in planned if m.kind is MessageKind.EVENT) == [1, 2, 4]


def test_monday_digest_for_managers_and_coordinators_only_when_there_is_something() -> None:
    monday = date(2026, 11, 23)
    late = item(date(2026, 11, 13), monday)

    planned = [m for m in planner().plan(monday, [late], []) if m.kind is MessageKind.DIGEST]
    nothing = [m for m in planner().plan(monday, [], []) if m.kind is MessageKind.DIGEST]

    assert sorted(m.recipient_id for m in planned) == [1, 2, 4]  # chain above Adele, and Alex
    assert nothing == []
    tuesday = monday + timedelta(days=1)
    assert [m for m in planner().plan(tuesday, [late], []) if m.kind is MessageKind.DIGEST] == []


def test_digest_moves_to_tuesday_after_a_bank_holiday_monday() -> None:
    tuesday = date(2027, 3, 30)  # Easter Monday 29 March 2027
    late = item(date(2027, 3, 19), tuesday)

    assert any(m.kind is MessageKind.DIGEST for m in planner().plan(tuesday, [late], []))


def test_rules_file_overrides(tmp_path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("items: {before_due: [10, 3], overdue_every: 2, escalate_after: 1}\n")

    rules = ReminderRules.load(path)

    assert (rules.before_due, rules.overdue_every, rules.escalate_after) == ((10, 3), 2, 1)


def test_a_viewer_is_never_sent_an_audit_reminder_and_the_log_counts_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    viewer = Recipient(5, "Lynne", StaffRole.VIEWER, None, 2)
    today, due = date(2026, 11, 20), date(2026, 11, 13)
    audit = _item(
        ItemKind.AUDIT, 9, "AUD-1", "CR-104233", due, "assigned", 5, "Lynne", today, CALENDAR
    )
    action = item(due, today, owner=3)

    with caplog.at_level(logging.WARNING):
        planned = planner(BOSS, MANAGER, WORKER, viewer).plan(today, [audit, action], [])

    assert all(m.item is None or m.item.kind is ItemKind.ACTION for m in planned)
    assert all(ItemKind.AUDIT not in {i.kind for i in m.digest} for m in planned)
    assert any(m.kind is MessageKind.OVERDUE and m.recipient_id == 3 for m in planned)
    assert [r.getMessage() for r in caplog.records] == [
        "Reminders: 1 open audit(s) held by viewers left out"
    ]
