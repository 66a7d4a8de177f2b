"""This module contains the outbox and people's reminder choices (snoozes, digest, pause)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, UtcDateTime, enum_column, utc_now


class OutboxStatus(StrEnum):
    """Where a queued message stands."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"


class OutboxChannel(StrEnum):
    """How a queued message travels: Teams, or GOV.UK Notify's SMS or email."""

    TEAMS = "teams"
    SMS = "sms"
    EMAIL = "email"


class OutboxMessage(Base):
    """A proactive message, written before anything is sent; the dedupe key makes it once."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_status_next", "status", "next_attempt_at"),
        # A call's status card joins each recipient to their alert.
        Index("ix_outbox_message_call_recipient", "call_id", "recipient_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(300), unique=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[OutboxChannel] = mapped_column(
        enum_column(OutboxChannel, "outbox_channel"),
        default=OutboxChannel.TEAMS,
        server_default=OutboxChannel.TEAMS.value,
    )
    # What to send: for Teams the text and card (see cards.rendering.materialise), for SMS
    # and email the words GOV.UK Notify's template is filled with; sending needs nothing else.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The inspection call a message belongs to, for its status counts. Not a foreign key:
    # calls are never deleted, and SQLite cannot add one to an existing table.
    call_id: Mapped[int | None] = mapped_column(Integer)
    # Urgent messages (the inspection call) ignore working hours.
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Every attempt: [{"at": iso time, "code": HTTP status or null, "error": text}].
    attempt_log: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(String(300))
    # The id Teams gave the sent message; a read receipt at or after it means it was read.
    sent_activity_id: Mapped[str | None] = mapped_column(String(100))
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ReminderPreference(Base):
    """A person's choice: digest only, or non-urgent nudges paused until a date."""

    __tablename__ = "reminder_preference"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    digest_only: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_until: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)


class Snooze(Base):
    """No reminders to this person about one item until a date."""

    __tablename__ = "snooze"
    __table_args__ = (
        UniqueConstraint("staff_id", "item_kind", "item_id", name="uq_snooze_staff_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    item_kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int] = mapped_column(Integer)
    until: Mapped[date] = mapped_column(Date)
