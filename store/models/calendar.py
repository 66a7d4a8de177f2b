"""This module contains CalendarEvent: dated milestones such as monitoring visits."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, UtcDateTime, enum_column, utc_now


class EventKind(StrEnum):
    """The kinds of date on the inspection-readiness calendar."""

    MONITORING_VISIT = "monitoring_visit"
    ACTION_PLAN_DUE = "action_plan_due"
    IMPROVEMENT_BOARD = "improvement_board"
    SELF_EVALUATION = "self_evaluation"
    ANNUAL_ENGAGEMENT = "annual_engagement"
    FOCUSED_VISIT = "focused_visit"
    OTHER = "other"


class CalendarEvent(Base):
    """One dated event; `audience` is all, managers, coordinators or team:NAME."""

    __tablename__ = "calendar_event"
    __table_args__ = (UniqueConstraint("title", "date", name="uq_calendar_event_title_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    date: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"))
    audience: Mapped[str] = mapped_column(String(232))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
