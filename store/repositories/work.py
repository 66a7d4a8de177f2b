"""This module finds the actions and audits a person may see, and the people they manage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

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
from store.repositories.follow_ups import not_follow_up

# Every item here belongs to exactly one person (the foreign keys are not null), so the
# person comes in the same statement, by an inner join: one round trip, not two.


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
    follow_ups: bool = True,
) -> list[Action]:
    """Actions not yet complete, for `owners` (None: everyone), with their owners loaded.

    Without `follow_ups`, actions created from audit findings are left out (a viewer's
    lists: they are written about a child's case).
    """
    query = _open_actions_query(
        owners is not None,
        team_id is not None,
        due_by is not None,
        priority_area is not None,
        follow_ups,
    )
    parameters = _present(owners=owners, team_id=team_id, due_by=due_by, area=priority_area)
    return list((await session.execute(query, parameters)).scalars())


async def open_audits(
    session: AsyncSession,
    auditors: Collection[int] | None,
    *,
    due_by: date | None = None,
    team_id: int | None = None,
) -> list[AuditAssignment]:
    """Audits not yet complete, for `auditors` (None: everyone), with auditors loaded."""
    query = _open_audits_query(auditors is not None, team_id is not None, due_by is not None)
    parameters = _present(owners=auditors, team_id=team_id, due_by=due_by)
    return list((await session.execute(query, parameters)).scalars())


# The statements behind "my actions" and the other lists are built once for each set of
# filters, with the values bound at each call: composing a statement costs more than
# running it does for the few rows one person's list has.
@cache
def _open_actions_query(
    by_owner: bool, by_team: bool, by_due: bool, by_area: bool, follow_ups: bool = True
) -> Any:
    query = (
        select(Action)
        .options(joinedload(Action.owner, innerjoin=True))
        .where(Action.status != ActionStatus.COMPLETE)
    )
    query = _owned(query, Action.owner_id, by_owner=by_owner, by_team=by_team)
    if by_due:
        query = query.where(Action.due_date <= bindparam("due_by"))
    if by_area:
        query = query.where(Action.priority_area == bindparam("area"))
    if not follow_ups:
        query = query.where(not_follow_up(Action.id))
    return query


@cache
def _open_audits_query(by_auditor: bool, by_team: bool, by_due: bool) -> Any:
    query = (
        select(AuditAssignment)
        .options(joinedload(AuditAssignment.auditor, innerjoin=True))
        .where(AuditAssignment.status != AuditStatus.COMPLETE)
    )
    query = _owned(query, AuditAssignment.auditor_id, by_owner=by_auditor, by_team=by_team)
    if by_due:
        query = query.where(AuditAssignment.due_date <= bindparam("due_by"))
    return query


def _present(**values: Any) -> dict[str, Any]:
    # The bound values for the filters given; owners as a list, for an expanding IN.
    present = {name: value for name, value in values.items() if value is not None}
    if "owners" in present:
        present["owners"] = list(present["owners"])
    return present


async def recently_completed_actions(
    session: AsyncSession,
    owners: Collection[int] | None,
    since: datetime,
    *,
    follow_ups: bool = True,
) -> list[Action]:
    """Actions completed at or after `since`, newest first, so a manager sees what got done."""
    query = (
        select(Action)
        .options(joinedload(Action.owner, innerjoin=True))
        .where(Action.status == ActionStatus.COMPLETE, Action.completed_at >= since)
        .order_by(Action.completed_at.desc())
    )
    if not follow_ups:
        query = query.where(not_follow_up(Action.id))
    query = _owned(query, Action.owner_id, by_owner=owners is not None, by_team=False)
    return list((await session.execute(query, _present(owners=owners))).scalars())


async def action_by_id(session: AsyncSession, action_id: int) -> Action | None:
    """One action with its owner."""
    result = await session.execute(
        select(Action)
        .options(joinedload(Action.owner, innerjoin=True))
        .where(Action.id == action_id)
    )
    return result.scalar_one_or_none()


async def audit_by_id(session: AsyncSession, audit_id: int) -> AuditAssignment | None:
    """One audit assignment with its auditor."""
    result = await session.execute(
        select(AuditAssignment)
        .options(joinedload(AuditAssignment.auditor, innerjoin=True))
        .where(AuditAssignment.id == audit_id)
    )
    return result.scalar_one_or_none()


async def extension_by_id(session: AsyncSession, request_id: int) -> ExtensionRequest | None:
    """One extension request with its action and the action's owner."""
    result = await session.execute(
        select(ExtensionRequest)
        .options(
            joinedload(ExtensionRequest.action, innerjoin=True).joinedload(
                Action.owner, innerjoin=True
            ),
            joinedload(ExtensionRequest.requested_by, innerjoin=True),
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
            joinedload(ExtensionRequest.action, innerjoin=True).joinedload(
                Action.owner, innerjoin=True
            ),
            joinedload(ExtensionRequest.requested_by, innerjoin=True),
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


def _owned(query: Any, column: Any, *, by_owner: bool, by_team: bool) -> Any:
    # Both filters are on the person the item belongs to.
    if by_owner:
        query = query.where(column.in_(bindparam("owners", expanding=True)))
    if by_team:
        query = query.join(Staff, Staff.id == column).where(Staff.team_id == bindparam("team_id"))
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
