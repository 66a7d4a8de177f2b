"""This module contains the Improvement Board's models: BoardUpdate and BoardPackLink."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, UtcDateTime, enum_column, utc_now
from store.models.calendar import CalendarEvent
from store.models.people import Staff
from store.models.plan import Action


class Rag(StrEnum):
    """An action owner's own rating for the board: red, amber or green."""

    ON_TRACK = "on track"
    AT_RISK = "at risk"
    OFF_TRACK = "off track"


class Impact(StrEnum):
    """How far the difference the action makes can be seen yet."""

    NOT_YET = "not yet evident"
    EMERGING = "emerging"
    EVIDENT = "evident"


class ReviewStatus(StrEnum):
    """Where the area lead's review of an update stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    SENT_BACK = "sent back"


class BoardUpdate(Base):
    """An owner's update on one action for one board meeting; sent back, it is updated again.

    One row per action and meeting: a second submission replaces the first (the audit log
    keeps what it said).
    """

    __tablename__ = "board_update"
    __table_args__ = (
        UniqueConstraint("action_id", "meeting_id", name="uq_board_update_action_meeting"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("calendar_event.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    rag: Mapped[Rag] = mapped_column(enum_column(Rag, "board_rag"))
    note: Mapped[str] = mapped_column(Text)
    evidence_text: Mapped[str | None] = mapped_column(Text)
    evidence_link: Mapped[str | None] = mapped_column(String(2000))
    impact: Mapped[Impact] = mapped_column(enum_column(Impact, "board_impact"))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    review_status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus, "board_review_status"), default=ReviewStatus.PENDING
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    review_note: Mapped[str | None] = mapped_column(Text)

    action: Mapped[Action] = relationship(lazy="raise")
    meeting: Mapped[CalendarEvent] = relationship(lazy="raise")
    author: Mapped[Staff] = relationship(foreign_keys=[author_id], lazy="raise")


class BoardPackLink(Base):
    """A short-lived, single-use download link for a board pack (as for call exports).

    Only the token's hash is kept. `used_at` and `used_from` record the one download.
    """

    __tablename__ = "board_pack_link"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    meeting_date: Mapped[date] = mapped_column(Date)
    file_format: Mapped[str] = mapped_column(String(8))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_from: Mapped[str | None] = mapped_column(String(200))
