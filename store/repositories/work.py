"""This module finds the actions and audits a person may see, and the people they manage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from store.models import (
    Action,
    ActionStatus,
    AuditAssignment,
    AuditStatus,
    CalendarEvent,
    ExtensionRequest,
    ExtensionStatus,
    ReminderPreference,
    Snooze,
    Staff,
    Team,
    utc_now,
)


async def reports_of(session: AsyncSession, manager_id: int) -> set[int]:
    """Everyone who reports to `manager_id`, directly or through other managers."""
    rows = await session.execute(select(Staff.id, Staff.manager_id))
    children: dict[int, list[int]] = defaultdict(list)
    for staff_id, manager in rows:
        if manager is not None:
            children[manager].append(staff_id)
    found: set[int] = set()
    frontier = [manager_id]
    while frontier:
        current = frontier.pop()
        for child in children[current]:
            if child not in found and child != manager_id:
                found.add(child)
                frontier.append(child)
    return found


async def open_actions(
    session: AsyncSession,
    owners: Collection[int] | None,
    *,
    due_by: date | None = None,
    priority_area: str | None = None,
    team_id: int | None = None,
) -> list[Action]:
    """Actions not yet complete, for `owners` (None: everyone), with their owners loaded."""
    query = (
        select(Action)
        .options(selectinload(Action.owner))
        .where(Action.status != ActionStatus.COMPLETE)
    )
    query = _owned(query, Action.owner_id, owners, team_id)
    if due_by is not None:
        query = query.where(Action.due_date <= due_by)
    if priority_area is not None:
        query = query.where(Action.priority_area == priority_area)
    return list((await session.execute(query)).scalars())


async def open_audits(
    session: AsyncSession,
    auditors: Collection[int] | None,
    *,
    due_by: date | None = None,
    team_id: int | None = None,
) -> list[AuditAssignment]:
    """Audits not yet complete, for `auditors` (None: everyone), with auditors loaded."""
    query = (
        select(AuditAssignment)
        .options(selectinload(AuditAssignment.auditor))
        .where(AuditAssignment.status != AuditStatus.COMPLETE)
    )
    query = _owned(query, AuditAssignment.auditor_id, auditors, team_id)
    if due_by is not None:
        query = query.where(AuditAssignment.due_date <= due_by)
    return list((await session.execute(query)).scalars())


async def recently_completed_actions(
    session: AsyncSession, owners: Collection[int] | None, since: datetime
) -> list[Action]:
    """Actions completed at or after `since`, newest first, so a manager sees what got done."""
    query = (
        select(Action)
        .options(selectinload(Action.owner))
        .where(Action.status == ActionStatus.COMPLETE, Action.completed_at >= since)
        .order_by(Action.completed_at.desc())
    )
    query = _owned(query, Action.owner_id, owners, None)
    return list((await session.execute(query)).scalars())


async def action_by_id(session: AsyncSession, action_id: int) -> Action | None:
    """One action with its owner."""
    result = await session.execute(
        select(Action).options(selectinload(Action.owner)).where(Action.id == action_id)
    )
    return result.scalar_one_or_none()


async def audit_by_id(session: AsyncSession, audit_id: int) -> AuditAssignment | None:
    """One audit assignment with its auditor."""
    result = await session.execute(
        select(AuditAssignment)
        .options(selectinload(AuditAssignment.auditor))
        .where(AuditAssignment.id == audit_id)
    )
    return result.scalar_one_or_none()


async def extension_by_id(session: AsyncSession, request_id: int) -> ExtensionRequest | None:
    """One extension request with its action and the action's owner."""
    result = await session.execute(
        select(ExtensionRequest)
        .options(
            selectinload(ExtensionRequest.action).selectinload(Action.owner),
            selectinload(ExtensionRequest.requested_by),
        )
        .where(ExtensionRequest.id == request_id)
    )
    return result.scalar_one_or_none()


async def pending_extensions(
    session: AsyncSession, owners: Collection[int] | None
) -> list[ExtensionRequest]:
    """Undecided extension requests on actions owned by `owners` (None: everyone)."""
    query = (
        select(ExtensionRequest)
        .join(Action, Action.id == ExtensionRequest.action_id)
        .options(
            selectinload(ExtensionRequest.action).selectinload(Action.owner),
            selectinload(ExtensionRequest.requested_by),
        )
        .where(ExtensionRequest.status == ExtensionStatus.PENDING)
        .order_by(ExtensionRequest.created_at)
    )
    if owners is not None:
        query = query.where(Action.owner_id.in_(owners))
    return list((await session.execute(query)).scalars())


async def priority_areas(session: AsyncSession) -> list[str]:
    """Every priority area named in the improvement plan."""
    result = await session.execute(select(Action.priority_area).distinct())
    return sorted(result.scalars())


async def teams(session: AsyncSession) -> list[Team]:
    """Every team on the roster."""
    return list((await session.execute(select(Team).order_by(Team.name))).scalars())


async def upcoming_events(session: AsyncSession, today: date, limit: int) -> list[CalendarEvent]:
    """Calendar events from today on, soonest first."""
    result = await session.execute(
        select(CalendarEvent)
        .where(CalendarEvent.date >= today)
        .order_by(CalendarEvent.date, CalendarEvent.title)
        .limit(limit)
    )
    return list(result.scalars())


def _owned(query: Any, column: Any, owners: Collection[int] | None, team_id: int | None) -> Any:
    # Both filters are on the person the item belongs to.
    if owners is not None:
        query = query.where(column.in_(owners))
    if team_id is not None:
        query = query.join(Staff, Staff.id == column).where(Staff.team_id == team_id)
    return query


async def take_version(session: AsyncSession, record: Action | AuditAssignment) -> bool:
    """Claims a record for one change, if it is still as it was read; False if not.

    A card's buttons carry the record's version (its last change). Two presses of the same
    card arriving together both pass that check when they read the record; this
    conditional update lets only the first of them through, on either database (the
    second waits for the first's lock, then finds the version moved).
    """
    model = type(record)
    result = await session.execute(
        update(model)
        .where(model.id == record.id, model.updated_at == record.updated_at)
        .values(updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0)) == 1


async def settle_extension(
    session: AsyncSession, request: ExtensionRequest, status: ExtensionStatus, decided_by: int
) -> bool:
    """Decides a pending extension request once; False if someone decided it first."""
    result = await session.execute(
        update(ExtensionRequest)
        .where(
            ExtensionRequest.id == request.id,
            ExtensionRequest.status == ExtensionStatus.PENDING,
        )
        .values(status=status, decided_by_id=decided_by, decided_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0)) == 1


async def set_snooze(
    session: AsyncSession, staff_id: int, item_kind: str, item_id: int, until: date
) -> None:
    """Stops reminders to `staff_id` about one item until `until` (replacing any earlier)."""
    existing = (
        await session.execute(
            select(Snooze).where(
                Snooze.staff_id == staff_id,
                Snooze.item_kind == item_kind,
                Snooze.item_id == item_id,
            )
        )
    ).scalar_one_or_none()
    if existing is None:
        session.add(Snooze(staff_id=staff_id, item_kind=item_kind, item_id=item_id, until=until))
    else:
        existing.until = until


async def snoozes_from(session: AsyncSession, today: date) -> list[Snooze]:
    """Every snooze still in force on `today`."""
    return list((await session.execute(select(Snooze).where(Snooze.until >= today))).scalars())


async def events_after(session: AsyncSession, today: date) -> list[CalendarEvent]:
    """Every calendar event after `today`."""
    result = await session.execute(select(CalendarEvent).where(CalendarEvent.date > today))
    return list(result.scalars())


async def reminder_preferences(session: AsyncSession) -> dict[int, ReminderPreference]:
    """Each person's reminder choice, by staff id (people who never chose are absent)."""
    result = await session.execute(select(ReminderPreference))
    return {choice.staff_id: choice for choice in result.scalars()}
