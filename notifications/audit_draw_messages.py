"""This module writes the messages a confirmed draw sends: each auditor's new assignment,
and, for an enhanced audit, a request to the case's worker and their manager to book the
face-to-face conversation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from cards.rendering import plain_text
from store.models import AuditType

if TYPE_CHECKING:
    from notifications.audit_draw import DrawPlan

ASSIGNED = "audit_assigned"
BOOKING = "enhanced_audit_booking"


@dataclass(frozen=True, slots=True)
class DrawMessage:
    """One outbox message: who gets it, its dedupe key, and its payload."""

    dedupe_key: str
    staff_id: int
    kind: str
    payload: dict[str, Any]


def due_text(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def messages_for(
    plan: DrawPlan, rows: list[dict[str, Any]], ids: dict[str, int]
) -> list[DrawMessage]:
    """The messages for a draw's assignments (`rows`, with their stored `ids` by ref)."""
    messages = []
    due = due_text(plan.due_date)
    for row in rows:
        enhanced = row["audit_type"] is AuditType.ENHANCED
        auditor = plan.people[row["auditor_id"]]
        case = next(c for c, _ in plan.allocation.assignments if c.case_ref == row["case_ref"])
        worker = plan.people.get(case.worker_id) if case.worker_id is not None else None
        kind_text = "enhanced (face-to-face)" if enhanced else "monthly"
        context = {
            "heading": f"New {kind_text} case audit for {plan.request.month}",
            "case_ref": row["case_ref"],
            "ref": row["ref"],
            "audit_type": row["audit_type"].value,
            "due": due,
            "id": ids[row["ref"]],
            "advice": (
                f"Book a face-to-face conversation about the case with {worker.name}, its "
                "social worker; they have been asked to book it with you too."
                if enhanced and worker is not None
                else "Open it to start, and record your findings when you are done."
            ),
        }
        messages.append(
            DrawMessage(
                f"{ASSIGNED}:{row['ref']}",
                auditor.id,
                ASSIGNED,
                {
                    "text": f"New case audit: {plain_text(row['case_ref'])}, due {due}",
                    "template": ASSIGNED,
                    "context": context,
                },
            )
        )
        if not enhanced or worker is None:
            continue
        told = [(worker, "you are its allocated worker")]
        manager = plan.people.get(worker.manager_id) if worker.manager_id is not None else None
        if manager is not None:
            told.append((manager, f"you manage {worker.name}, its allocated worker"))
        for person, why in told:
            messages.append(
                DrawMessage(
                    f"{BOOKING}:{row['ref']}:{person.id}",
                    person.id,
                    BOOKING,
                    {
                        "text": (
                            f"Enhanced audit of {plain_text(row['case_ref'])}: please book the "
                            f"conversation with {plain_text(auditor.name)} before {due}"
                        ),
                        "template": BOOKING,
                        "context": {
                            "case_ref": row["case_ref"],
                            "ref": row["ref"],
                            "auditor": auditor.name,
                            "auditor_email": auditor.email,
                            "worker": worker.name,
                            "why": why,
                            "due": due,
                        },
                    },
                )
            )
    return messages
