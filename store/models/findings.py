"""This module contains what a completed audit found, its moderation and its follow-ups."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.audits import AuditAssignment
from store.models.base import Base, UtcDateTime, enum_column, utc_now


class ModerationStatus(StrEnum):
    """Where a moderation stands: waiting, or the moderator agreed or changed a grade."""

    PENDING = "pending"
    AGREED = "agreed"
    CHANGED = "changed"


class AuditFinding(Base):
    """The auditor's findings on one audit: a grade per domain, the overall grade, the
    strengths and areas for development, and whether two things were considered.

    `month` and `month_sequence` number the month's completions in order (the 1st, 2nd,
    ...): the moderation sample is taken from that order, and the unique pair makes two
    completions at the same moment get different numbers.
    """

    __tablename__ = "audit_finding"
    __table_args__ = (UniqueConstraint("month", "month_sequence", name="uq_audit_finding_month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(
        ForeignKey("audit_assignment.id", ondelete="CASCADE"), unique=True
    )
    month: Mapped[str] = mapped_column(String(7), index=True)
    month_sequence: Mapped[int] = mapped_column(Integer)
    # Domain key -> grade key, as the audit form names them (see notifications/audit_form).
    grades: Mapped[dict[str, str]] = mapped_column(JSON)
    overall: Mapped[str] = mapped_column(String(40))
    strengths: Mapped[str] = mapped_column(Text)
    development: Mapped[str] = mapped_column(Text)
    child_voice: Mapped[bool] = mapped_column(Boolean)
    equality_diversity: Mapped[bool] = mapped_column(Boolean)
    completed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # Why it was sent for moderation ("sample" or "inadequate"), or None when it was not.
    moderation_reason: Mapped[str | None] = mapped_column(String(32))

    audit: Mapped[AuditAssignment] = relationship(lazy="raise")


class AuditModeration(Base):
    """A second look at one audit's grades by a moderator who is not its auditor."""

    __tablename__ = "audit_moderation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("audit_finding.id", ondelete="CASCADE"), unique=True
    )
    moderator_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    status: Mapped[ModerationStatus] = mapped_column(
        enum_column(ModerationStatus, "moderation_status"), default=ModerationStatus.PENDING
    )
    # The grades as the moderator left them (the auditor's where they agreed).
    grades: Mapped[dict[str, str] | None] = mapped_column(JSON)
    overall: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    finding: Mapped[AuditFinding] = relationship(lazy="raise")


class AuditFollowUp(Base):
    """An improvement-plan action the audit's findings asked for."""

    __tablename__ = "audit_follow_up"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("audit_finding.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[int] = mapped_column(
        ForeignKey("action.id", ondelete="CASCADE"), unique=True
    )


class CallAudit(Base):
    """An audit of a case the inspectors asked for during an inspection call."""

    __tablename__ = "call_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_call.id", ondelete="CASCADE"), index=True
    )
    audit_id: Mapped[int] = mapped_column(
        ForeignKey("audit_assignment.id", ondelete="CASCADE"), unique=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class CallAuditCard(Base):
    """Where the coordinator's card of the inspectors' cases was sent, to refresh it in
    place as audits start and finish, and what it last showed."""

    __tablename__ = "call_audit_card"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_call.id", ondelete="CASCADE"), primary_key=True
    )
    # {"reference": the conversation, "activity_id": the card's message}
    location: Mapped[dict[str, Any]] = mapped_column(JSON)
    shown: Mapped[str | None] = mapped_column(String(64))


class ReportExport(Base):
    """A short-lived, single-use download link for an audit report (only its hash kept).

    `month` is the report's month, or None with `call_id` for the audits of a call.
    """

    __tablename__ = "report_export"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    month: Mapped[str | None] = mapped_column(String(7))
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspection_call.id", ondelete="CASCADE")
    )
    file_format: Mapped[str] = mapped_column(String(8))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_from: Mapped[str | None] = mapped_column(String(200))
