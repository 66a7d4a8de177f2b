"""This module contains the improvement plan: Action and ExtensionRequest."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, UtcDateTime, enum_column, utc_now
from store.models.people import Staff
from store.models.recommendations import Recommendation


class ActionStatus(StrEnum):
    """Where an improvement-plan action stands."""

    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"
    BLOCKED = "blocked"


class ExtensionStatus(StrEnum):
    """Where a request for a later due date stands."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class Action(Base):
    """One dated action of the improvement plan, owned by one person."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    priority_area: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus, "action_status"))
    evidence_required: Mapped[str | None] = mapped_column(Text)
    # The recommendation this action answers, if the plan says.
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="SET NULL"), index=True
    )
    completion_note: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # What is blocking it, while its status is blocked; its line manager is told.
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    owner: Mapped[Staff] = relationship(lazy="raise")
    recommendation: Mapped[Recommendation | None] = relationship(lazy="raise")


class ExtensionRequest(Base):
    """A request to move an action's due date, decided by the owner's line manager."""

    __tablename__ = "extension_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    current_due_date: Mapped[date] = mapped_column(Date)
    requested_due_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[ExtensionStatus] = mapped_column(
        enum_column(ExtensionStatus, "extension_status"), default=ExtensionStatus.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    action: Mapped[Action] = relationship(lazy="raise")
    requested_by: Mapped[Staff] = relationship(foreign_keys=[requested_by_id], lazy="raise")
