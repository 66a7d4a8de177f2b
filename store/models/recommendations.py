"""This module contains what the plan answers to: Recommendation, and PriorityArea and its lead."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, UtcDateTime, enum_column, utc_now
from store.models.people import Staff


class RecommendationSource(StrEnum):
    """Where a recommendation came from: an inspection, a visit, a notice or the council."""

    INSPECTION_REPORT = "inspection report"
    FOCUSED_VISIT = "focused visit"
    MONITORING_VISIT = "monitoring visit"
    IMPROVEMENT_NOTICE = "improvement notice"
    STATUTORY_DIRECTION = "statutory direction"
    JTAI = "JTAI"
    AREA_SEND = "area SEND"
    SELF_ASSESSMENT = "self-assessment"
    OTHER = "other"


class Recommendation(Base):
    """One recommendation (or direction) the improvement plan's actions answer.

    `received` is the day it arrived; an action's relative deadline ("within 3 months") is
    counted from it.
    """

    __tablename__ = "recommendation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[RecommendationSource] = mapped_column(
        enum_column(RecommendationSource, "recommendation_source")
    )
    text: Mapped[str] = mapped_column(Text)
    received: Mapped[date | None] = mapped_column(Date)
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    lead: Mapped[Staff | None] = relationship(lazy="raise")


class PriorityArea(Base):
    """A priority area of the plan and its lead, who sees and is digested on its actions.

    Actions name their area as text (`Action.priority_area`); the two are matched by name
    without regard to case.
    """

    __tablename__ = "priority_area"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    lead: Mapped[Staff] = relationship(lazy="raise")
