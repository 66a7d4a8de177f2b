"""This module contains AuditAssignment: one case audit for one auditor."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, UtcDateTime, enum_column, utc_now
from store.models.people import Staff


class AuditType(StrEnum):
    """The kinds of case audit a council runs."""

    MONTHLY = "monthly"
    ENHANCED = "enhanced"
    THEMATIC = "thematic"
    MULTI_AGENCY = "multi-agency"
    INSPECTION = "inspection"


class AuditStatus(StrEnum):
    """Where an audit assignment stands."""

    ASSIGNED = "assigned"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"


class AuditAssignment(Base):
    """A case audit: a case reference (never a name), an auditor and a due date."""

    __tablename__ = "audit_assignment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    case_ref: Mapped[str] = mapped_column(String(64), index=True)
    audit_type: Mapped[AuditType] = mapped_column(enum_column(AuditType, "audit_type"))
    auditor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[AuditStatus] = mapped_column(enum_column(AuditStatus, "audit_status"))
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The monthly draw that created this assignment; None for audits imported from a file.
    draw_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_draw.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    auditor: Mapped[Staff] = relationship(lazy="raise")
