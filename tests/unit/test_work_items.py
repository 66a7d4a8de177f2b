"""Ranking work items: overdue by working days (bank holidays excluded), then due soon."""

from __future__ import annotations

from datetime import date

from cards.work_items import ItemKind, Urgency, WorkItem, _item, most_urgent_first
from knowledge.working_days import WorkingDays

CALENDAR = WorkingDays()


def item(ref: str, due: date, today: date) -> WorkItem:
    return _item(ItemKind.ACTION, 1, ref, "x", due, "in progress", 1, "Owner", today, CALENDAR)


def test_overdue_counts_working_days_and_skips_christmas() -> None:
    today = date(2026, 12, 29)  # Tuesday after Christmas; 25 and 28 December are holidays

    late = item("A", date(2026, 12, 23), today)

    assert (late.urgency, late.working_days_overdue) == (Urgency.OVERDUE, 2)
    assert late.due_text == "Overdue by 2 working days"


def test_one_working_day_overdue_is_singular() -> None:
    assert item("A", date(2026, 11, 27), date(2026, 11, 30)).due_text == "Overdue by 1 working day"


def test_urgency_buckets() -> None:
    today = date(2026, 11, 25)

    assert item("A", today, today).urgency is Urgency.DUE_TODAY
    assert item("A", date(2026, 12, 2), today).urgency is Urgency.DUE_SOON  # 5 working days
    assert item("A", date(2026, 12, 3), today).urgency is Urgency.LATER


def test_most_urgent_first() -> None:
    today = date(2026, 11, 25)
    items = [
        item("later", date(2027, 1, 15), today),
        item("soon", date(2026, 11, 27), today),
        item("a-little-late", date(2026, 11, 24), today),
        item("today", today, today),
        item("very-late", date(2026, 10, 30), today),
    ]

    assert [i.ref for i in most_urgent_first(items)] == [
        "very-late",
        "a-little-late",
        "today",
        "soon",
        "later",
    ]
