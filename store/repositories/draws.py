"""This module reads what the monthly audit draw needs and stores each draw it makes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import AuditAssignment, AuditDraw, Case, Staff, StaffRole, Team


async def open_cases(session: AsyncSession) -> list[tuple[str, str, int | None, int | None]]:
    """Every open case as (case_ref, category, team_id, worker_id): columns, not objects,
    since there may be tens of thousands."""
    result = await session.execute(
        select(Case.case_ref, Case.category, Case.team_id, Case.worker_id).where(Case.is_open)
    )
    return [(ref, category.value, team, worker) for ref, category, team, worker in result]


async def audited_since(session: AsyncSession, since: date) -> set[str]:
    """Case references with an audit due, or completed, on or after `since`."""
    completed_since = datetime.combine(since, time(0), tzinfo=UTC)
    result = await session.execute(
        select(AuditAssignment.case_ref)
        .where(
            or_(
                AuditAssignment.due_date >= since,
                AuditAssignment.completed_at >= completed_since,
            )
        )
        .distinct()
    )
    return set(result.scalars())


async def line_management(session: AsyncSession) -> list[tuple[int, int | None, int | None]]:
    """Everyone on the roster who may audit or work a case, as (staff_id, manager_id,
    team_id): viewers (board and elected members, read-only) are left out, so they are
    never auditors however the tree is drawn."""
    result = await session.execute(
        select(Staff.id, Staff.manager_id, Staff.team_id).where(Staff.role != StaffRole.VIEWER)
    )
    return [(staff_id, manager, team) for staff_id, manager, team in result]


async def audits_due_between(session: AsyncSession, first: date, last: date) -> dict[int, int]:
    """How many audits each auditor has due from `first` to `last`, by staff id."""
    result = await session.execute(
        select(AuditAssignment.auditor_id, func.count())
        .where(AuditAssignment.due_date >= first, AuditAssignment.due_date <= last)
        .group_by(AuditAssignment.auditor_id)
    )
    return {auditor: count for auditor, count in result}


async def people_by_id(session: AsyncSession, ids: set[int]) -> dict[int, Staff]:
    """The named people, with their teams."""
    if not ids:
        return {}
    result = await session.execute(select(Staff).where(Staff.id.in_(ids)))
    return {staff.id: staff for staff in result.scalars()}


async def team_names(session: AsyncSession) -> dict[int, str]:
    """Every team's name by id."""
    return {team_id: name for team_id, name in await session.execute(select(Team.id, Team.name))}


async def draw_for_month(session: AsyncSession, month: str) -> AuditDraw | None:
    """The draw already made for `month` ("YYYY-MM"), if any."""
    result = await session.execute(select(AuditDraw).where(AuditDraw.month == month))
    return result.scalar_one_or_none()


async def assignments_of(session: AsyncSession, draw_id: int) -> list[AuditAssignment]:
    """The assignments a draw created, in the order it made them."""
    result = await session.execute(
        select(AuditAssignment)
        .where(AuditAssignment.draw_id == draw_id)
        .order_by(AuditAssignment.ref)
    )
    return list(result.scalars())


async def refs_starting(session: AsyncSession, prefix: str) -> set[str]:
    """Audit refs already taken that start with `prefix` (so new ones never collide)."""
    result = await session.execute(
        select(AuditAssignment.ref).where(AuditAssignment.ref.startswith(prefix, autoescape=True))
    )
    return set(result.scalars())


async def save_draw(
    session: AsyncSession, draw: AuditDraw, assignments: list[dict[str, Any]]
) -> dict[str, int]:
    """Stores a draw and its assignments; the new assignments' ids by ref."""
    session.add(draw)
    await session.flush()
    if not assignments:
        return {}
    rows = [{**row, "draw_id": draw.id} for row in assignments]
    await session.execute(insert(AuditAssignment), rows)
    result = await session.execute(
        select(AuditAssignment.ref, AuditAssignment.id).where(AuditAssignment.draw_id == draw.id)
    )
    return {ref: audit_id for ref, audit_id in result}
