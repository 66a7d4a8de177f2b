"""This module keeps the inspection call's personal acknowledge links (hashed) and uses them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import CallAckLink, CallRecipient, CallStatus, InspectionCall, Staff


@dataclass(frozen=True, slots=True)
class AckLink:
    """A link found by its token, with what its page shows."""

    call: InspectionCall
    staff: Staff
    used_at: datetime | None
    acknowledged_at: datetime | None

    @property
    def usable(self) -> bool:
        """Whether pressing the page's button can still acknowledge (once, while active)."""
        return self.used_at is None and self.call.status is CallStatus.ACTIVE


def hash_token(token: str) -> str:
    """Links are kept hashed: a copy of the database holds no link that works."""
    return hashlib.sha256(token.encode()).hexdigest()


async def save(
    session: AsyncSession, token: str, call_id: int, staff_id: int, now: datetime
) -> None:
    """Keeps a new link's hash; the token itself goes only into the message."""
    session.add(
        CallAckLink(
            token_hash=hash_token(token), call_id=call_id, staff_id=staff_id, created_at=now
        )
    )
    await session.flush()


async def find(session: AsyncSession, token: str) -> AckLink | None:
    """The link this token is for, used or not; None for a token never issued."""
    row = (
        await session.execute(
            select(CallAckLink, InspectionCall, Staff, CallRecipient.acknowledged_at)
            .join(InspectionCall, InspectionCall.id == CallAckLink.call_id)
            .join(Staff, Staff.id == CallAckLink.staff_id)
            .outerjoin(
                CallRecipient,
                (CallRecipient.call_id == CallAckLink.call_id)
                & (CallRecipient.staff_id == CallAckLink.staff_id),
            )
            .where(CallAckLink.token_hash == hash_token(token))
        )
    ).one_or_none()
    if row is None:
        return None
    link, call, staff, acknowledged_at = row
    return AckLink(call, staff, link.used_at, acknowledged_at)


async def use(session: AsyncSession, token: str, now: datetime, address: str) -> bool:
    """Uses the link up; False if it was used already (or never issued).

    The conditional update lets exactly one request through, even two arriving together on
    two replicas.
    """
    result = await session.execute(
        update(CallAckLink)
        .where(CallAckLink.token_hash == hash_token(token), CallAckLink.used_at.is_(None))
        .values(used_at=now, used_from=address[:200])
    )
    return int(getattr(result, "rowcount", 0)) == 1
