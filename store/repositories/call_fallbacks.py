"""This module holds the queries behind the inspection call's SMS and email fallback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from store.models import (
    CallRecipient,
    ConversationReference,
    OutboxChannel,
    OutboxMessage,
    OutboxStatus,
    Staff,
)
from store.repositories.calls import ALERT

# The Teams alert will not reach them: it found no chat, or Teams refused or failed it.
TEAMS_GAVE_UP = (OutboxStatus.UNREACHABLE, OutboxStatus.FAILED)


@dataclass(frozen=True, slots=True)
class Candidate:
    """Someone yet to acknowledge who has had no SMS or email about the call yet."""

    staff_id: int
    mobile: str | None
    email: str
    # Whether Teams may reach them: a personal chat with the bot and an alert not given up,
    # or an alert held while the app is being installed for them.
    in_teams: bool


async def candidates(
    session: AsyncSession,
    call_id: int,
    now: datetime,
    *,
    all_silent: bool,
    mobile_needed: bool,
) -> list[Candidate]:
    """Those yet to acknowledge, with no SMS or email queued for this call, whom Teams
    cannot reach (or, with `all_silent`, everyone yet to acknowledge).

    With `mobile_needed` (SMS is the only fallback) people without a mobile are left out:
    there is nothing to send them, and leaving them out keeps the repeated check cheap.
    """
    alert = aliased(OutboxMessage)
    fallback = aliased(OutboxMessage)
    has_chat = exists().where(
        ConversationReference.staff_id == CallRecipient.staff_id,
        ConversationReference.active.is_(True),
        ConversationReference.conversation_type == "personal",
    )
    given_up = alert.status.is_not(None) & alert.status.in_(TEAMS_GAVE_UP)
    # Due later without a try: held until Teams says where the new chat is.
    held = (
        alert.status.is_not(None)
        & (alert.status == OutboxStatus.PENDING)
        & (alert.attempts == 0)
        & (alert.next_attempt_at > now)
    )
    in_teams = or_(and_(has_chat, ~given_up), held)
    query = (
        select(CallRecipient.staff_id, Staff.mobile, Staff.email, in_teams)
        .join(Staff, Staff.id == CallRecipient.staff_id)
        .outerjoin(
            alert,
            and_(
                alert.call_id == call_id,
                alert.kind == ALERT,
                alert.recipient_id == CallRecipient.staff_id,
            ),
        )
        .where(
            CallRecipient.call_id == call_id,
            CallRecipient.acknowledged_at.is_(None),
            ~exists().where(
                fallback.call_id == call_id,
                fallback.recipient_id == CallRecipient.staff_id,
                fallback.channel != OutboxChannel.TEAMS,
            ),
        )
        .order_by(CallRecipient.staff_id)
    )
    if not all_silent:
        query = query.where(~in_teams)
    if mobile_needed:
        query = query.where(Staff.mobile.is_not(None))
    rows = await session.execute(query)
    return [
        Candidate(staff_id, mobile, email, bool(reached))
        for staff_id, mobile, email, reached in rows
    ]


async def counts(session: AsyncSession, call_id: int) -> dict[tuple[str, str], int]:
    """How many of the call's SMS and emails are in each state: (channel, status) -> n."""
    rows = await session.execute(
        select(OutboxMessage.channel, OutboxMessage.status, func.count())
        .where(OutboxMessage.call_id == call_id, OutboxMessage.channel != OutboxChannel.TEAMS)
        .group_by(OutboxMessage.channel, OutboxMessage.status)
    )
    return {(str(channel), str(status)): int(n) for channel, status, n in rows}


async def statuses(session: AsyncSession, call_id: int) -> dict[int, dict[str, str]]:
    """Each recipient's SMS and email states for the call: staff id -> channel -> status."""
    rows = await session.execute(
        select(OutboxMessage.recipient_id, OutboxMessage.channel, OutboxMessage.status).where(
            OutboxMessage.call_id == call_id, OutboxMessage.channel != OutboxChannel.TEAMS
        )
    )
    found: dict[int, dict[str, str]] = {}
    for staff_id, channel, status in rows:
        found.setdefault(staff_id, {})[str(channel)] = str(status)
    return found
