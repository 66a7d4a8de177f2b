"""This module contains the records the framework-question dialog keeps: gaps and votes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, UtcDateTime, utc_now


class UnansweredQuestion(Base):
    """A question the bot was not sure about, kept for coordinators to review."""

    __tablename__ = "unanswered_question"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    question: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    # The nearest entries offered instead, comma-separated, to see what was missing.
    suggested: Mapped[str] = mapped_column(String(400), default="")
    # Set when a coordinator answers it in chat; the answer becomes a local entry.
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), nullable=True
    )
    answer_entry: Mapped[str | None] = mapped_column(String(80), nullable=True)


class AnswerFeedback(Base):
    """One person's helpful / not helpful vote on one answer they were given."""

    __tablename__ = "answer_feedback"
    __table_args__ = (
        UniqueConstraint("answer_ref", "voter", name="uq_answer_feedback_answer_ref_voter"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_ref: Mapped[str] = mapped_column(String(64))
    entry_id: Mapped[str] = mapped_column(String(100), index=True)
    # Staff email when on the roster, else the Teams user id.
    voter: Mapped[str] = mapped_column(String(320))
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
