"""This module reads and writes audit findings, their moderation and their follow-ups."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from store.models import (
    Action,
    AuditAssignment,
    AuditFinding,
    AuditFollowUp,
    AuditModeration,
    Case,
    ModerationStatus,
    Staff,
    StaffRole,
)

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

# Staff whose inspection role contains this word (in any case) moderate audits.
MODERATOR_WORD = "moderator"


async def finding_for(session: AsyncSession, audit_id: int) -> AuditFinding | None:
    """The findings recorded for an audit, if any."""
    result = await session.execute(select(AuditFinding).where(AuditFinding.audit_id == audit_id))
    return result.scalar_one_or_none()


async def next_sequence(session: AsyncSession, month: str) -> int:
    """The number the month's next completed audit gets (1 for the first)."""
    highest = await session.scalar(
        select(func.max(AuditFinding.month_sequence)).where(AuditFinding.month == month)
    )
    return int(highest or 0) + 1


async def case_by_ref(session: AsyncSession, case_ref: str) -> Case | None:
    """The case with this reference, if the cases file listed it."""
    result = await session.execute(select(Case).where(Case.case_ref == case_ref))
    return result.scalar_one_or_none()


async def cases_by_refs(session: AsyncSession, case_refs: list[str]) -> dict[str, Case]:
    """The cases with these references that are known, by reference."""
    if not case_refs:
        return {}
    result = await session.execute(select(Case).where(Case.case_ref.in_(case_refs)))
    return {case.case_ref: case for case in result.scalars()}


async def moderators(session: AsyncSession) -> list[Staff]:
    """Who may moderate: coordinators, and anyone whose inspection role says moderator,
    never a viewer (board and elected members are read-only, whatever their role says)."""
    result = await session.execute(
        select(Staff)
        .where(
            or_(
                Staff.role == StaffRole.COORDINATOR,
                func.lower(Staff.inspection_role).contains(MODERATOR_WORD),
            ),
            Staff.role != StaffRole.VIEWER,
        )
        .order_by(Staff.id)
    )
    return list(result.scalars().unique())


async def coordinators(session: AsyncSession) -> list[Staff]:
    """The coordinators, who are told when an audit is left waiting for a moderator."""
    result = await session.execute(
        select(Staff).where(Staff.role == StaffRole.COORDINATOR).order_by(Staff.id)
    )
    return list(result.scalars())


async def pending_counts(session: AsyncSession) -> dict[int, int]:
    """How many moderations each moderator has waiting."""
    result = await session.execute(
        select(AuditModeration.moderator_id, func.count())
        .where(AuditModeration.status == ModerationStatus.PENDING)
        .group_by(AuditModeration.moderator_id)
    )
    return {int(staff_id): int(count) for staff_id, count in result.all()}


async def moderation_by_id(session: AsyncSession, moderation_id: int) -> AuditModeration | None:
    """A moderation with its findings and their audit (and auditor)."""
    result = await session.execute(
        select(AuditModeration)
        .where(AuditModeration.id == moderation_id)
        .options(
            selectinload(AuditModeration.finding)
            .selectinload(AuditFinding.audit)
            .selectinload(AuditAssignment.auditor)
        )
    )
    return result.scalar_one_or_none()


async def pending_for(session: AsyncSession, moderator_id: int) -> list[AuditModeration]:
    """The moderations waiting for one moderator, oldest first, with their audits."""
    result = await session.execute(
        select(AuditModeration)
        .where(
            AuditModeration.moderator_id == moderator_id,
            AuditModeration.status == ModerationStatus.PENDING,
        )
        .options(selectinload(AuditModeration.finding).selectinload(AuditFinding.audit))
        .order_by(AuditModeration.created_at, AuditModeration.id)
    )
    return list(result.scalars())


async def moderation_for(session: AsyncSession, finding_id: int) -> AuditModeration | None:
    """The moderation of one audit's findings, if it was sent for one."""
    result = await session.execute(
        select(AuditModeration).where(AuditModeration.finding_id == finding_id)
    )
    return result.scalar_one_or_none()


async def settle_moderation(
    session: AsyncSession,
    moderation: AuditModeration,
    status: ModerationStatus,
    grades: dict[str, str],
    overall: str,
    reason: str | None,
    now: datetime,
) -> bool:
    """Records the moderator's decision if it is still pending; False if it was not.

    The conditional update lets exactly one of two presses at once through.
    """
    result = await session.execute(
        update(AuditModeration)
        .where(
            AuditModeration.id == moderation.id,
            AuditModeration.status == ModerationStatus.PENDING,
        )
        .values(status=status, grades=grades, overall=overall, reason=reason, decided_at=now)
    )
    return int(getattr(result, "rowcount", 0)) == 1


async def add_follow_up(session: AsyncSession, finding_id: int, action_id: int) -> None:
    """Links a follow-up action to the findings that asked for it."""
    session.add(AuditFollowUp(finding_id=finding_id, action_id=action_id))
    await session.flush()


async def action_ref_taken(session: AsyncSession, ref: str) -> bool:
    """Whether an improvement-plan action has this ref already."""
    found = await session.scalar(select(Action.id).where(Action.ref == ref))
    return found is not None


async def follow_up_count(session: AsyncSession, finding_id: int) -> int:
    """How many follow-up actions one audit's findings created."""
    count = await session.scalar(
        select(func.count())
        .select_from(AuditFollowUp)
        .where(AuditFollowUp.finding_id == finding_id)
    )
    return int(count or 0)
