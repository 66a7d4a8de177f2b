"""This module renders the coordinator's card of the inspectors' cases, with a fingerprint
of what it shows, so that it is refreshed in place only when something changed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cards.rendering import render_card
from store.models import AuditStatus, InspectionCall
from store.repositories import call_audits

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

STATUS_WORDS = {
    AuditStatus.ASSIGNED: "assigned",
    AuditStatus.IN_PROGRESS: "started",
    AuditStatus.COMPLETE: "complete",
}


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One requested audit on the status card."""

    case_ref: str
    ref: str
    auditor: str
    status: str


async def audits_card(
    session: AsyncSession, call: InspectionCall, notice: str | None = None
) -> tuple[dict[str, Any], str]:
    """The card (each requested audit: case, ref, auditor, assigned / started / complete)
    and a fingerprint of its rows."""
    audits = await call_audits.audits_of(session, call.id)
    rows = [StatusRow(a.case_ref, a.ref, a.auditor.name, STATUS_WORDS[a.status]) for a in audits]
    counts = {word: sum(1 for r in rows if r.status == word) for word in STATUS_WORDS.values()}
    card = render_card(
        "inspection_audits",
        rows=rows,
        counts=counts,
        call_id=call.id,
        drill=call.drill,
        notice=notice,
    )
    shown = "|".join(f"{r.ref}:{r.auditor}:{r.status}" for r in rows)
    return card, hashlib.sha256(shown.encode("utf-8")).hexdigest()
