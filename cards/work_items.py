"""This module turns actions and audits into WorkItems, ranked most urgent first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

from knowledge.working_days import WorkingDays
from store.models import Action, AuditAssignment

SHORT_DESCRIPTION = 90
# "Due soon" means within this many working days.
DUE_SOON_WORKING_DAYS = 5


class ItemKind(StrEnum):
    """What a work item is."""

    ACTION = "action"
    AUDIT = "audit"


class Urgency(IntEnum):
    """How pressing an item is; lower sorts first."""

    OVERDUE = 0
    DUE_TODAY = 1
    DUE_SOON = 2
    LATER = 3


@dataclass(frozen=True, slots=True)
class WorkItem:
    """One action or audit as a card shows it; case references only, never names."""

    kind: ItemKind
    id: int
    ref: str
    summary: str
    due_date: date
    status: str
    owner_id: int
    owner_name: str
    urgency: Urgency
    working_days_overdue: int
    # An action's priority area (its lead is digested on it); None for an audit.
    area: str | None = None

    @property
    def due_text(self) -> str:
        """ "Overdue by 3 working days", "Due today", "Due in 2 working days" or the date."""
        if self.urgency is Urgency.OVERDUE:
            days = self.working_days_overdue
            return f"Overdue by {days} working day{'s' if days != 1 else ''}"
        if self.urgency is Urgency.DUE_TODAY:
            return "Due today"
        return f"Due {self.due_date:%a} {self.due_date.day} {self.due_date:%b %Y}"


def from_action(action: Action, today: date, calendar: WorkingDays) -> WorkItem:
    """An improvement-plan action as a work item."""
    return _item(
        ItemKind.ACTION,
        action.id,
        action.ref,
        _shorten(action.description),
        action.due_date,
        action.status.value,
        action.owner_id,
        action.owner.name,
        today,
        calendar,
        area=action.priority_area,
    )


def from_audit(audit: AuditAssignment, today: date, calendar: WorkingDays) -> WorkItem:
    """A case-audit assignment as a work item; it carries the case reference only."""
    summary = f"{audit.audit_type.value.capitalize()} audit of case {audit.case_ref}"
    return _item(
        ItemKind.AUDIT,
        audit.id,
        audit.ref,
        summary,
        audit.due_date,
        audit.status.value,
        audit.auditor_id,
        audit.auditor.name,
        today,
        calendar,
    )


def most_urgent_first(items: list[WorkItem]) -> list[WorkItem]:
    """Longest overdue first, then due today, then by due date."""
    return sorted(
        items, key=lambda i: (i.urgency, -i.working_days_overdue, i.due_date, i.kind, i.ref)
    )


def _item(
    kind: ItemKind,
    item_id: int,
    ref: str,
    summary: str,
    due: date,
    status: str,
    owner_id: int,
    owner_name: str,
    today: date,
    calendar: WorkingDays,
    area: str | None = None,
) -> WorkItem:
    overdue = calendar.between(due, today) if due < today else 0
    if due < today:
        urgency = Urgency.OVERDUE
    elif due == today:
        urgency = Urgency.DUE_TODAY
    elif calendar.between(today, due) <= DUE_SOON_WORKING_DAYS:
        urgency = Urgency.DUE_SOON
    else:
        urgency = Urgency.LATER
    return WorkItem(
        kind, item_id, ref, summary, due, status, owner_id, owner_name, urgency, overdue, area
    )


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT_DESCRIPTION else text[: SHORT_DESCRIPTION - 1] + "…"
