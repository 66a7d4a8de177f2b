"""This module queues proactive messages and lets senders claim them exactly once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import ConversationReference, OutboxChannel, OutboxMessage, OutboxStatus, Staff


@dataclass(frozen=True, slots=True)
class Claimed:
    """A claimed message and where to send it: for Teams, the person's chat (None: they
    cannot be reached there); SMS and email are addressed when they are sent."""

    id: int
    recipient_id: int
    payload: dict[str, Any]
    urgent: bool
    attempts: int
    reference: dict[str, Any] | None
    attempt_log: list[dict[str, Any]] = field(default_factory=list)
    channel: OutboxChannel = OutboxChannel.TEAMS
    call_id: int | None = None


def new_row(
    dedupe_key: str,
    recipient_id: int,
    kind: str,
    payload: dict[str, Any],
    send_from: datetime,
    *,
    urgent: bool,
    call_id: int | None = None,
    channel: OutboxChannel = OutboxChannel.TEAMS,
) -> dict[str, Any]:
    """A message to `queue`, not yet tried; every row has the same keys, so rows of any kind
    can be queued together."""
    return {
        "dedupe_key": dedupe_key,
        "recipient_id": recipient_id,
        "kind": kind,
        "channel": channel,
        "payload": payload,
        "urgent": urgent,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "attempt_log": [],
        "next_attempt_at": send_from,
        "call_id": call_id,
    }


async def queue(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """Adds messages whose dedupe key is new; returns how many were new."""
    if not rows:
        return 0
    insert = (
        postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    # One statement compiled once and executed for all rows (SQLAlchemy batches them into
    # multi-row INSERTs); RETURNING names the rows that were new. Building one VALUES
    # clause from thousands of dicts cost more than the inserting.
    statement = (
        insert(OutboxMessage)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxMessage.id)
    )
    added = 0
    for start in range(0, len(rows), 1000):
        result = await session.execute(statement, rows[start : start + 1000])
        added += len(result.all())
    return added


async def existing_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    """Which of `keys` are already queued (for a dry run)."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        result = await session.execute(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.dedupe_key.in_(keys[start : start + 500])
            )
        )
        found.update(result.scalars())
    return found


async def claim(session: AsyncSession, worker: str, now: datetime, limit: int) -> list[Claimed]:
    """Marks up to `limit` due messages as being sent by `worker` and returns them.

    On PostgreSQL, FOR UPDATE SKIP LOCKED lets several replicas claim at once without
    ever taking the same row; on SQLite the caller serialises claims within its process.
    """
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.urgent.desc(), OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    # One UPDATE ... RETURNING: on SQLite writes are serialised, so a row still "pending"
    # when the update runs can be taken by one claimer only.
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(due.scalar_subquery()),
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.SENDING, claimed_by=worker, claimed_at=now)
        .returning(OutboxMessage.id)
    )
    ids = list(result.scalars())
    if not ids:
        return []
    rows = await session.execute(
        select(OutboxMessage, ConversationReference.reference)
        .outerjoin(
            ConversationReference,
            and_(
                ConversationReference.staff_id == OutboxMessage.recipient_id,
                ConversationReference.active.is_(True),
                ConversationReference.conversation_type == "personal",
            ),
        )
        .where(OutboxMessage.id.in_(ids))
        .order_by(OutboxMessage.urgent.desc(), OutboxMessage.id)
    )
    claimed: dict[int, Claimed] = {}
    for message, reference in rows:
        claimed.setdefault(
            message.id,
            Claimed(
                message.id,
                message.recipient_id,
                message.payload,
                message.urgent,
                message.attempts,
                reference,
                list(message.attempt_log),
                message.channel,
                message.call_id,
            ),
        )
    return list(claimed.values())


async def next_urgent_retry(session: AsyncSession) -> datetime | None:
    """When the earliest urgent message waiting to be retried is due."""
    result = await session.execute(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.urgent.is_(True)
        )
    )
    due: datetime | None = result.scalar_one()
    return due


async def release_stale(session: AsyncSession, older_than: datetime) -> int:
    """Returns to the queue messages claimed by a sender that died before finishing."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < older_than)
        .values(status=OutboxStatus.PENDING, claimed_by=None, claimed_at=None)
    )
    return max(int(getattr(result, "rowcount", 0)), 0)


async def finish_many(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Records several attempts' outcomes at once: each dict has the row's id and its new
    values (see OutboxSender), in one UPDATE ... WHERE id = ? executed for each."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for group in groups.values():
        # An ORM bulk UPDATE by primary key needs every dict to have the same keys.
        await session.execute(update(OutboxMessage), group)


async def status_counts(session: AsyncSession) -> dict[str, int]:
    """How many messages are in each state."""
    rows = await session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return {str(status): int(count) for status, count in rows}


async def unreachable_people(session: AsyncSession) -> list[tuple[Staff, str]]:
    """Everyone the bot cannot message proactively, and why."""
    references = await session.execute(
        select(
            ConversationReference.staff_id,
            ConversationReference.active,
            ConversationReference.uninstalled_at,
        ).where(
            ConversationReference.conversation_type == "personal",
            ConversationReference.staff_id.is_not(None),
        )
    )
    active: set[int] = set()
    removed: dict[int, datetime | None] = {}
    for staff_id, is_active, uninstalled_at in references:
        if staff_id is None:
            continue
        if is_active:
            active.add(staff_id)
        else:
            removed[staff_id] = uninstalled_at
    people = (await session.execute(select(Staff).order_by(Staff.name))).scalars()
    result = []
    for person in people:
        if person.id in active:
            continue
        if person.id in removed:
            when = removed[person.id]
            reason = f"removed the app{f' on {when:%d %b %Y}' if when else ''}"
        else:
            reason = "has not installed the app (or has not been matched to the roster yet)"
        result.append((person, reason))
    return result
