"""This module contains Case: one child's case by its reference, never a name."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, UtcDateTime, enum_column, utc_now


class CaseCategory(StrEnum):
    """The part of the system a case is in; the audit sample is stratified by it."""

    EARLY_HELP = "early help"
    CHILD_IN_NEED = "child in need"
    CHILD_PROTECTION = "child protection"
    CHILD_IN_CARE = "child in care"
    CARE_LEAVER = "care leaver"
    OTHER = "other"


class Case(Base):
    """A case the audit programme may draw: its team, its worker and its category.

    A case is open while the latest cases file lists it. One missing from a later full
    import is marked closed (`is_open` false, `closed_at` set), never deleted, so the
    audits of it keep their case reference and history.
    """

    # "case" is an SQL keyword; the table name avoids quoting it everywhere.
    __tablename__ = "case_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(64), unique=True)
    category: Mapped[CaseCategory] = mapped_column(enum_column(CaseCategory, "case_category"))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL"), index=True
    )
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    opened: Mapped[date | None] = mapped_column(Date)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
