"""This module turns planned reminders into the messages queued in the outbox."""

from __future__ import annotations

from typing import Any

from cards.rendering import plain_text
from cards.work_items import ItemKind, WorkItem, most_urgent_first
from notifications.errors import NotificationError
from notifications.planner import MessageKind, Planned, Recipient

EVENT_NAMES = {
    "monitoring_visit": "Monitoring visit",
    "action_plan_due": "Action plan due",
    "improvement_board": "Improvement Board",
    "self_evaluation": "Self-evaluation",
    "annual_engagement": "Annual engagement meeting",
    "focused_visit": "Focused visit",
    "other": "Date for your diary",
}


def render(planned: Planned, recipient: Recipient) -> dict[str, Any]:
    """The outbox payload for one planned reminder: its text, and the card's template and
    context. The card itself is rendered at send time (see `materialise`), which keeps the
    daily pass fast and the stored rows small."""
    if planned.kind is MessageKind.DIGEST:
        return _digest(planned, recipient)
    if planned.kind is MessageKind.EVENT:
        return _event(planned)
    return _item(planned)


def _item(planned: Planned) -> dict[str, Any]:
    item = planned.item
    if item is None:
        raise NotificationError(f"{planned.dedupe_key} has no item")
    what = "action" if item.kind is ItemKind.ACTION else "audit"
    due = f"{item.due_date:%A} {item.due_date.day} {item.due_date:%B %Y}"
    days = planned.working_days
    plural = "s" if days != 1 else ""
    if planned.kind is MessageKind.BEFORE_DUE:
        heading, colour = f"Your {what} is due in {days} working day{plural}", "Default"
        advice = "Open it to update its status, or ask for more time if you need it."
    elif planned.kind is MessageKind.DUE_TODAY:
        heading, colour = f"Your {what} is due today", "Default"
        advice = "Open it to mark it complete with a short evidence note."
    elif planned.kind is MessageKind.OVERDUE:
        heading, colour = f"Your {what} is overdue by {days} working day{plural}", "Attention"
        advice = "Open it to mark it complete, update its status or request an extension."
    else:
        heading = f"{item.owner_name}'s {what} is overdue by {days} working day{plural}"
        colour = "Attention"
        advice = (
            "You are told because it is more than a week overdue. Open it to see where it stands."
        )
    context = {
        "heading": heading,
        "colour": colour,
        "item": _item_context(item),
        "due": due,
        "advice": advice,
        "snooze": planned.kind is not MessageKind.ESCALATION,
    }
    # The card escapes its own context; the message text is escaped here.
    text = f"{plain_text(heading)}: {plain_text(item.ref)}"
    return {"text": text, "template": "reminder", "context": context}


def _event(planned: Planned) -> dict[str, Any]:
    event = planned.event
    if event is None:
        raise NotificationError(f"{planned.dedupe_key} has no event")
    when = f"{event.date:%A} {event.date.day} {event.date:%B %Y}"
    days = planned.working_days
    heading = (
        f"{EVENT_NAMES.get(event.kind, 'Event')} in {days} working day{'s' if days != 1 else ''}"
    )
    context = {
        "heading": heading,
        "highlight": None,
        "events": [
            {"when": when, "title": event.title, "detail": EVENT_NAMES.get(event.kind, "")}
        ],
    }
    return {
        "text": f"{heading}: {plain_text(event.title)}, {when}",
        "template": "calendar",
        "context": context,
    }


def _digest(planned: Planned, recipient: Recipient) -> dict[str, Any]:
    items = most_urgent_first(list(planned.digest))
    overdue = sum(1 for i in items if i.working_days_overdue > 0)
    first_name = recipient.name.split()[0]
    heading = f"This week for {first_name}: {overdue} overdue, {len(items) - overdue} due soon"
    context = {
        "heading": heading,
        "summary": "Overdue items and items due in the next 5 working days, most urgent first.",
        "items": [_item_context(i) for i in items[:10]],
        "sections": [],
        "more": None,
        "show_owner": True,
    }
    return {"text": plain_text(heading), "template": "work_list", "context": context}


def _item_context(item: WorkItem) -> dict[str, Any]:
    # Plain JSON values only: the context is stored in the outbox row.
    return {
        "kind": item.kind.value,
        "id": item.id,
        "ref": item.ref,
        "summary": item.summary,
        "status": item.status,
        "owner_name": item.owner_name,
        "due_text": item.due_text,
        "urgency": int(item.urgency),
    }
