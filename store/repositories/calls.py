"""This module contains the queries behind the inspection call: start, recipients, acks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from store.models import (
    Base,
    CallExport,
    CallRecipient,
    CallStatus,
    ConversationReference,
    InspectionCall,
    OutboxChannel,
    OutboxMessage,
    OutboxStatus,
    Staff,
    Team,
)

ALERT = "call_alert"


@dataclass(frozen=True, slots=True)
class RecipientRow:
    """One recipient of a call, as the status card and the export show them."""

    staff_id: int
    name: str
    email: str
    team: str | None
    inspection_role: str | None
    manager_id: int | None
    manager_name: str | None
    acknowledged_at: datetime | None
    # The alert's outbox status ("pending", "sent", ...), None when it was withdrawn.
    alert_status: str | None
    alert_sent_at: datetime | None
    # When Teams told us they had read it (a read receipt), if it has.
    alert_read_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CallCounts:
    """The numbers on the coordinator's status card."""

    recipients: int
    acknowledged: int
    alerts: dict[str, int]
    # Alerts Teams has said were read (read receipts).
    read: int = 0


async def active_calls(session: AsyncSession) -> list[InspectionCall]:
    """Calls in progress (at most one, but the watcher does not rely on it)."""
    result = await session.execute(
        select(InspectionCall).where(InspectionCall.status == CallStatus.ACTIVE)
    )
    return list(result.scalars())


async def active_call(session: AsyncSession) -> InspectionCall | None:
    """The call in progress, if there is one (active_slot allows one at most)."""
    active = await active_calls(session)
    return active[0] if active else None


async def calls_with_status_cards(
    session: AsyncSession, stood_down_since: datetime
) -> list[InspectionCall]:
    """Calls whose status card may need refreshing: active ones, and recently ended ones."""
    result = await session.execute(
        select(InspectionCall).where(
            InspectionCall.status_card.is_not(None),
            (InspectionCall.status == CallStatus.ACTIVE)
            | (InspectionCall.stood_down_at >= stood_down_since),
        )
    )
    return list(result.scalars())


async def start_call(session: AsyncSession, call: InspectionCall) -> bool:
    """Saves `call` as the active call; False (and nothing saved) if one is active already."""
    call.status = CallStatus.ACTIVE
    call.active_slot = 1
    try:
        async with session.begin_nested():
            session.add(call)
            await session.flush()
    except IntegrityError:
        return False
    return True


async def add_recipients(
    session: AsyncSession, call_id: int, people: list[tuple[int, str | None]]
) -> None:
    """Records who the alert goes to, with the inspection role each has now."""
    rows = [
        {"call_id": call_id, "staff_id": staff_id, "inspection_role": role}
        for staff_id, role in people
    ]
    # The table, not the ORM class: a plain executemany, with no per-row ORM bookkeeping.
    statement = insert(Base.metadata.tables[CallRecipient.__tablename__])
    for start in range(0, len(rows), 1000):
        await session.execute(statement, rows[start : start + 1000])


async def recipient(session: AsyncSession, call_id: int, staff_id: int) -> CallRecipient | None:
    """One person's entry on a call's list."""
    result = await session.execute(
        select(CallRecipient).where(
            CallRecipient.call_id == call_id, CallRecipient.staff_id == staff_id
        )
    )
    return result.scalar_one_or_none()


async def acknowledge(session: AsyncSession, call_id: int, staff_id: int, now: datetime) -> bool:
    """Records the acknowledgement; False if it was recorded before (the first time stands)."""
    result = await session.execute(
        update(CallRecipient)
        .where(
            CallRecipient.call_id == call_id,
            CallRecipient.staff_id == staff_id,
            CallRecipient.acknowledged_at.is_(None),
        )
        .values(acknowledged_at=now)
    )
    return int(getattr(result, "rowcount", 0)) == 1


async def recipients(
    session: AsyncSession, call_id: int, *, waiting_only: bool = False, limit: int | None = None
) -> list[RecipientRow]:
    """Everyone the call went to (or only those yet to acknowledge, the first `limit`, those
    Teams did not reach first), by name, with their acknowledgement and alert status."""
    manager = aliased(Staff)
    query = (
        select(
            CallRecipient,
            Staff,
            manager.name,
            OutboxMessage.status,
            OutboxMessage.sent_at,
            OutboxMessage.read_at,
        )
        .join(Staff, Staff.id == CallRecipient.staff_id)
        .outerjoin(manager, manager.id == Staff.manager_id)
        .outerjoin(
            OutboxMessage,
            and_(
                OutboxMessage.call_id == call_id,
                OutboxMessage.kind == ALERT,
                OutboxMessage.recipient_id == CallRecipient.staff_id,
            ),
        )
        .where(CallRecipient.call_id == call_id)
        .limit(limit)
    )
    if waiting_only:
        # Those Teams did not reach first: they are the ones to phone.
        not_reached = OutboxMessage.status.in_([OutboxStatus.UNREACHABLE, OutboxStatus.FAILED])
        query = query.where(CallRecipient.acknowledged_at.is_(None)).order_by(
            case((not_reached, 0), else_=1)
        )
    query = query.order_by(Staff.name, Staff.id)
    rows = await session.execute(query)
    return [
        RecipientRow(
            staff_id=staff.id,
            name=staff.name,
            email=staff.email,
            team=staff.team_name,
            inspection_role=entry.inspection_role,
            manager_id=staff.manager_id,
            manager_name=manager_name,
            acknowledged_at=entry.acknowledged_at,
            alert_status=str(status) if status is not None else None,
            alert_sent_at=sent_at,
            alert_read_at=read_at,
        )
        for entry, staff, manager_name, status, sent_at, read_at in rows
    ]


async def counts(session: AsyncSession, call_id: int) -> CallCounts:
    """How many were sent the alert, in each delivery state, and how many acknowledged."""
    total, acknowledged = (
        await session.execute(
            select(func.count(), func.count(CallRecipient.acknowledged_at)).where(
                CallRecipient.call_id == call_id
            )
        )
    ).one()
    statuses = await session.execute(
        select(OutboxMessage.status, func.count(), func.count(OutboxMessage.read_at))
        .where(OutboxMessage.call_id == call_id, OutboxMessage.kind == ALERT)
        .group_by(OutboxMessage.status)
    )
    alerts: dict[str, int] = {}
    read = 0
    for status, count, read_count in statuses:
        alerts[str(status)] = int(count)
        read += int(read_count)
    return CallCounts(int(total), int(acknowledged), alerts, read)


async def held_alerts(
    session: AsyncSession, call_id: int, held_until: datetime, now: datetime
) -> int:
    """How many of the call's alerts still wait for the app to be installed: not tried
    yet, and not due before the hold ends (`held_until`); one let go is due at once, and
    once the hold has ended none is waiting for it."""
    if held_until <= now:
        return 0
    count = await session.scalar(
        select(func.count()).where(
            OutboxMessage.call_id == call_id,
            OutboxMessage.kind == ALERT,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.attempts == 0,
            OutboxMessage.next_attempt_at >= held_until,
        )
    )
    return int(count or 0)


async def record_read(
    session: AsyncSession, staff_id: int, last_read_message_id: str, now: datetime
) -> list[int]:
    """Marks as read this person's alerts sent in Teams at or before the message a read
    receipt names, and returns the calls they belong to.

    Message ids in a personal chat are epoch milliseconds, so "at or before" compares them
    as numbers, as the Bot Framework's own ReadReceiptInfo does.
    """
    try:
        last_read = int(last_read_message_id)
    except ValueError:
        return []
    unread = await session.execute(
        select(OutboxMessage.id, OutboxMessage.call_id, OutboxMessage.sent_activity_id).where(
            OutboxMessage.recipient_id == staff_id,
            OutboxMessage.kind == ALERT,
            OutboxMessage.channel == OutboxChannel.TEAMS,
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.read_at.is_(None),
            OutboxMessage.sent_activity_id.is_not(None),
        )
    )
    read_ids: list[int] = []
    read_calls: set[int] = set()
    for message_id, call_id, sent_id in unread:
        sent = str(sent_id)
        if sent.isascii() and sent.isdigit() and int(sent) <= last_read:
            read_ids.append(message_id)
            if call_id is not None:
                read_calls.add(call_id)
    if read_ids:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(read_ids), OutboxMessage.read_at.is_(None))
            .values(read_at=now)
        )
    return sorted(read_calls)


async def recipient_ids(session: AsyncSession, call_id: int) -> list[int]:
    """Everyone the call went to."""
    rows = await session.execute(
        select(CallRecipient.staff_id)
        .where(CallRecipient.call_id == call_id)
        .order_by(CallRecipient.staff_id)
    )
    return list(rows.scalars())


async def unacknowledged(session: AsyncSession, call_id: int) -> list[tuple[int, int | None]]:
    """(staff id, line manager id) for everyone who has not acknowledged yet."""
    rows = await session.execute(
        select(CallRecipient.staff_id, Staff.manager_id)
        .join(Staff, Staff.id == CallRecipient.staff_id)
        .where(CallRecipient.call_id == call_id, CallRecipient.acknowledged_at.is_(None))
        .order_by(CallRecipient.staff_id)
    )
    return [(staff_id, manager_id) for staff_id, manager_id in rows]


async def reachable(session: AsyncSession, staff_ids: list[int] | None = None) -> set[int]:
    """Who among `staff_ids` (everyone if None) has a personal chat with the bot."""
    query = select(ConversationReference.staff_id).where(
        ConversationReference.active.is_(True),
        ConversationReference.conversation_type == "personal",
        ConversationReference.staff_id.is_not(None),
    )
    if staff_ids is not None:
        query = query.where(ConversationReference.staff_id.in_(staff_ids))
    return {staff_id for staff_id in (await session.execute(query)).scalars() if staff_id}


async def withdraw_unsent(session: AsyncSession, call_id: int) -> int:
    """Deletes the call's messages not yet sent (a stood-down alert must not go out)."""
    result = await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.call_id == call_id, OutboxMessage.status == OutboxStatus.PENDING
        )
    )
    return max(int(getattr(result, "rowcount", 0)), 0)


async def alerted(session: AsyncSession, call_id: int) -> list[int]:
    """Who was sent the alert (or is being sent it right now)."""
    rows = await session.execute(
        select(OutboxMessage.recipient_id).where(
            OutboxMessage.call_id == call_id,
            OutboxMessage.kind == ALERT,
            OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.SENDING]),
        )
    )
    return sorted(rows.scalars())


async def claim_status_refresh(
    session: AsyncSession, call_id: int, shown: str | None, showing: str
) -> bool:
    """Marks the status card as showing `showing`; False if someone else already did."""
    condition = (
        InspectionCall.status_shown.is_(None)
        if shown is None
        else InspectionCall.status_shown == shown
    )
    result = await session.execute(
        update(InspectionCall)
        .where(InspectionCall.id == call_id, condition)
        .values(status_shown=showing)
    )
    return int(getattr(result, "rowcount", 0)) == 1


async def save_export(
    session: AsyncSession,
    token_hash: str,
    call_id: int,
    staff_id: int,
    created_at: datetime,
    expires_at: datetime,
) -> None:
    """Keeps a download link's token (hashed) until it expires."""
    session.add(
        CallExport(
            token_hash=token_hash,
            call_id=call_id,
            staff_id=staff_id,
            created_at=created_at,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def claim_export(
    session: AsyncSession, token_hash: str, now: datetime, address: str
) -> CallExport | None:
    """Uses up a download link: the export it is for, once, while it has not expired.

    The conditional update lets exactly one request through, even two arriving together
    on two replicas; every later one gets None, as for a link that never existed.
    """
    claimed = await session.execute(
        update(CallExport)
        .where(
            CallExport.token_hash == token_hash,
            CallExport.used_at.is_(None),
            CallExport.expires_at > now,
        )
        .values(used_at=now, used_from=address[:200])
    )
    if int(getattr(claimed, "rowcount", 0)) != 1:
        return None
    return await session.get(CallExport, token_hash, populate_existing=True)


async def forget_expired_exports(session: AsyncSession, now: datetime) -> None:
    """Deletes links that can no longer be used."""
    await session.execute(delete(CallExport).where(CallExport.expires_at <= now))


async def track_status_card(
    session: AsyncSession, call_id: int, reference: dict[str, Any], activity_id: str
) -> None:
    """Remembers the newest status card sent for a call; it is refreshed from then on."""
    await session.execute(
        update(InspectionCall)
        .where(InspectionCall.id == call_id)
        .values(
            status_card={"reference": reference, "activity_id": activity_id}, status_shown=None
        )
    )


async def bump_version(session: AsyncSession, call: InspectionCall, seen: int) -> bool:
    """Moves the call to its next version if it is still at `seen` (the card's version)."""
    result = await session.execute(
        update(InspectionCall)
        .where(InspectionCall.id == call.id, InspectionCall.version == seen)
        .values(version=seen + 1)
        .execution_options(synchronize_session=False)
    )
    if int(getattr(result, "rowcount", 0)) != 1:
        return False
    await session.refresh(call)
    return True


async def acknowledgements(
    session: AsyncSession, call_id: int
) -> list[tuple[str | None, datetime]]:
    """(team name, when) for everyone who has acknowledged the call."""
    rows = await session.execute(
        select(Team.name, CallRecipient.acknowledged_at)
        .join(Staff, Staff.id == CallRecipient.staff_id)
        .outerjoin(Team, Team.id == Staff.team_id)
        .where(CallRecipient.call_id == call_id, CallRecipient.acknowledged_at.is_not(None))
    )
    return [(team, moment) for team, moment in rows if moment is not None]


async def release_held_alerts(
    session: AsyncSession, staff_id: int, now: datetime, *, call_id: int | None = None
) -> int:
    """Makes this person's alerts due now if they were held for the app's installation.

    An alert for someone the app was installed for moments ago waits until their chat is
    known: sent before that, it would find no conversation and be marked unreachable.
    `call_id` limits it to one call's alert (an installation run belongs to its call).
    """
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.recipient_id == staff_id,
            OutboxMessage.kind == ALERT,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.attempts == 0,
            OutboxMessage.next_attempt_at > now,
            true() if call_id is None else OutboxMessage.call_id == call_id,
        )
        .values(next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return max(int(getattr(result, "rowcount", 0)), 0)
