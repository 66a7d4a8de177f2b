"""This module reads and writes the audits the inspectors ask for during an inspection call."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import selectinload

from store.models import AuditAssignment, CallAudit, CallAuditCard, CallStatus, InspectionCall

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


async def audits_of(session: AsyncSession, call_id: int) -> list[AuditAssignment]:
    """The call's requested audits with their auditors, in the order they were asked for."""
    result = await session.execute(
        select(AuditAssignment)
        .join(CallAudit, CallAudit.audit_id == AuditAssignment.id)
        .where(CallAudit.call_id == call_id)
        .options(selectinload(AuditAssignment.auditor))
        .order_by(CallAudit.id)
    )
    return list(result.scalars())


async def count(session: AsyncSession, call_id: int) -> int:
    """How many audits the inspectors have asked for during this call."""
    total = await session.scalar(
        select(func.count()).select_from(CallAudit).where(CallAudit.call_id == call_id)
    )
    return int(total or 0)


async def add(
    session: AsyncSession, call_id: int, audit: AuditAssignment, requested_by_id: int | None
) -> None:
    """Records an audit as one the inspectors asked for during the call."""
    session.add(CallAudit(call_id=call_id, audit_id=audit.id, requested_by_id=requested_by_id))
    await session.flush()


async def latest_call_with_audits(session: AsyncSession) -> InspectionCall | None:
    """The most recent call during which the inspectors asked for audits."""
    result = await session.execute(
        select(InspectionCall)
        .where(InspectionCall.id.in_(select(CallAudit.call_id)))
        .order_by(InspectionCall.called_at.desc(), InspectionCall.id.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def ref_taken(session: AsyncSession, ref: str) -> bool:
    """Whether an audit has this ref already."""
    found = await session.scalar(select(AuditAssignment.id).where(AuditAssignment.ref == ref))
    return found is not None


async def track_card(
    session: AsyncSession, call_id: int, reference: dict[str, Any], activity_id: str
) -> None:
    """Remembers the newest card of the inspectors' cases sent for a call."""
    await session.execute(delete(CallAuditCard).where(CallAuditCard.call_id == call_id))
    session.add(
        CallAuditCard(
            call_id=call_id, location={"reference": reference, "activity_id": activity_id}
        )
    )
    await session.flush()


async def cards_to_refresh(
    session: AsyncSession, stood_down_since: datetime
) -> list[tuple[CallAuditCard, InspectionCall]]:
    """The cards of active calls, and of calls stood down recently, with their calls."""
    result = await session.execute(
        select(CallAuditCard, InspectionCall)
        .join(InspectionCall, InspectionCall.id == CallAuditCard.call_id)
        .where(
            (InspectionCall.status == CallStatus.ACTIVE)
            | (InspectionCall.stood_down_at >= stood_down_since)
        )
    )
    return [(card, call) for card, call in result.all()]


async def claim_card_refresh(
    session: AsyncSession, call_id: int, shown: str | None, showing: str
) -> bool:
    """Marks the card as showing `showing`; False if another replica already did."""
    condition = CallAuditCard.shown.is_(None) if shown is None else CallAuditCard.shown == shown
    result = await session.execute(
        update(CallAuditCard)
        .where(CallAuditCard.call_id == call_id, condition)
        .values(shown=showing)
    )
    return int(getattr(result, "rowcount", 0)) == 1
