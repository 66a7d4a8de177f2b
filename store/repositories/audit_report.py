"""This module reads what an audit report counts: audits, their findings, moderation and
follow-ups, as plain rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from store.models import (
    Action,
    ActionStatus,
    AuditAssignment,
    AuditFinding,
    AuditFollowUp,
    AuditModeration,
    AuditStatus,
    CallAudit,
    Case,
    ModerationStatus,
    Team,
)

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One audit as a report counts it; grades are the moderator's where they changed them."""

    ref: str
    case_ref: str
    audit_type: str
    auditor: str
    due_date: date
    status: str
    completed_at: datetime | None
    team: str | None
    category: str | None
    grades: dict[str, str] | None
    overall: str | None
    child_voice: bool | None
    equality_diversity: bool | None
    moderation: str | None
    follow_ups: int
    follow_ups_open: int
    follow_ups_overdue: int

    @property
    def complete(self) -> bool:
        """Whether the audit is complete."""
        return self.status == AuditStatus.COMPLETE.value


async def audits_due(
    session: AsyncSession, first: date, last: date, today: date
) -> list[AuditRow]:
    """The audits due from `first` to `last` (inclusive), in ref order."""
    query = select(AuditAssignment).where(
        AuditAssignment.due_date >= first, AuditAssignment.due_date <= last
    )
    return await _rows(session, query, today)


async def audits_of_call(session: AsyncSession, call_id: int, today: date) -> list[AuditRow]:
    """The audits the inspectors asked for during one inspection call."""
    query = select(AuditAssignment).where(
        AuditAssignment.id.in_(select(CallAudit.audit_id).where(CallAudit.call_id == call_id))
    )
    return await _rows(session, query, today)


async def _rows(session: AsyncSession, query: object, today: date) -> list[AuditRow]:
    audits = list(
        (
            await session.execute(
                query.options(selectinload(AuditAssignment.auditor)).order_by(AuditAssignment.ref)  # type: ignore[attr-defined]
            )
        ).scalars()
    )
    if not audits:
        return []
    ids = [a.id for a in audits]
    found = {
        f.audit_id: f
        for f in (
            await session.execute(select(AuditFinding).where(AuditFinding.audit_id.in_(ids)))
        ).scalars()
    }
    finding_ids = [f.id for f in found.values()]
    moderations = {
        m.finding_id: m
        for m in (
            await session.execute(
                select(AuditModeration).where(AuditModeration.finding_id.in_(finding_ids))
            )
        ).scalars()
    }
    follow = await session.execute(
        select(AuditFollowUp.finding_id, Action.status, Action.due_date)
        .join(Action, Action.id == AuditFollowUp.action_id)
        .where(AuditFollowUp.finding_id.in_(finding_ids))
    )
    totals: Counter[int] = Counter()
    still_open: Counter[int] = Counter()
    overdue: Counter[int] = Counter()
    for finding_id, status, due in follow.all():
        totals[finding_id] += 1
        if status is not ActionStatus.COMPLETE:
            still_open[finding_id] += 1
            if due < today:
                overdue[finding_id] += 1
    cases = await session.execute(
        select(Case.case_ref, Case.category, Team.name)
        .outerjoin(Team, Team.id == Case.team_id)
        .where(Case.case_ref.in_({a.case_ref for a in audits}))
    )
    case_info = {ref: (category.value, team) for ref, category, team in cases.all()}
    rows = []
    for audit in audits:
        finding = found.get(audit.id)
        moderation = moderations.get(finding.id) if finding is not None else None
        grades, overall = _effective(finding, moderation)
        category, team = case_info.get(audit.case_ref, (None, None))
        key = finding.id if finding is not None else -1
        rows.append(
            AuditRow(
                ref=audit.ref,
                case_ref=audit.case_ref,
                audit_type=audit.audit_type.value,
                auditor=audit.auditor.name,
                due_date=audit.due_date,
                status=audit.status.value,
                completed_at=audit.completed_at,
                team=team,
                category=category,
                grades=grades,
                overall=overall,
                child_voice=finding.child_voice if finding else None,
                equality_diversity=finding.equality_diversity if finding else None,
                moderation=moderation.status.value if moderation else None,
                follow_ups=totals[key],
                follow_ups_open=still_open[key],
                follow_ups_overdue=overdue[key],
            )
        )
    return rows


def _effective(
    finding: AuditFinding | None, moderation: AuditModeration | None
) -> tuple[dict[str, str] | None, str | None]:
    if finding is None:
        return None, None
    if moderation is not None and moderation.status is ModerationStatus.CHANGED:
        return dict(moderation.grades or finding.grades), moderation.overall or finding.overall
    return dict(finding.grades), finding.overall
