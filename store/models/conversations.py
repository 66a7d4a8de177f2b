"""This module contains ConversationReference: where the bot can reach someone proactively."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, UtcDateTime, utc_now
from store.models.people import Staff


class ConversationType(StrEnum):
    """The Teams scope a conversation lives in."""

    PERSONAL = "personal"
    GROUP_CHAT = "groupChat"
    CHANNEL = "channel"


class ConversationReference(Base):
    """A conversation the bot was installed into, kept from the install."""

    __tablename__ = "conversation_reference"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(512), unique=True)
    conversation_type: Mapped[str] = mapped_column(String(32))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[str | None] = mapped_column(String(256))
    user_aad_object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    service_url: Mapped[str] = mapped_column(String(512))
    channel_id: Mapped[str] = mapped_column(String(64))
    # The whole serialized botbuilder ConversationReference, so a proactive send can rebuild it.
    reference: Mapped[dict[str, Any]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    installed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    uninstalled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    staff: Mapped[Staff | None] = relationship(lazy="raise")
