"""This module contains the inspection-call models: the call, its recipients, and its links."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, UtcDateTime, enum_column, utc_now


class CallStatus(StrEnum):
    """Whether the alert is live."""

    ACTIVE = "active"
    STOOD_DOWN = "stood_down"


class InspectionCall(Base):
    """One inspection-call alert (or drill) and the coordinator's status card."""

    __tablename__ = "inspection_call"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_type: Mapped[str] = mapped_column(String(32))
    on_site: Mapped[date] = mapped_column(Date)
    drill: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[CallStatus] = mapped_column(enum_column(CallStatus, "call_status"))
    # 1 while the call is active, NULL afterwards: the unique constraint lets only one call
    # be active, even when two coordinators confirm at the same moment on two replicas.
    active_slot: Mapped[int | None] = mapped_column(Integer, unique=True)
    called_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    called_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    stood_down_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    stood_down_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updates_sent: Mapped[int] = mapped_column(Integer, default=0)
    # When the last update went out: updates have a cool-down, so a pressed-again button
    # cannot flood everyone's chat.
    last_update_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Bumped by every coordinator action, which carries it: a replayed button is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Where the coordinator's status card is ({"reference": ..., "activity_id": ...}), so
    # it can be refreshed in place, and what it last showed, so it is refreshed on change.
    status_card: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status_shown: Mapped[str | None] = mapped_column(String(64))


class CallRecipient(Base):
    """Someone the alert went to, with the inspection role they had at the time."""

    __tablename__ = "call_recipient"
    __table_args__ = (UniqueConstraint("call_id", "staff_id", name="uq_call_recipient_call_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("inspection_call.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    inspection_role: Mapped[str | None] = mapped_column(String(200))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CallExport(Base):
    """A short-lived, single-use download link for a call's acknowledgement list.

    Only the token's hash is kept. `used_at` and `used_from` record the one download.
    """

    __tablename__ = "call_export"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("inspection_call.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_from: Mapped[str | None] = mapped_column(String(200))


class CallAckLink(Base):
    """A personal acknowledge link, sent by SMS or email to someone Teams could not reach.

    Only the token's hash is kept. A link works once, while its call is active; `used_at`
    and `used_from` record the one use.
    """

    __tablename__ = "call_ack_link"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("inspection_call.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_from: Mapped[str | None] = mapped_column(String(200))
