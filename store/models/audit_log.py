"""This module contains AuditLogEntry: who changed what, when, from what, to what."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, UtcDateTime, enum_column, utc_now


class ChangeSource(StrEnum):
    """Where a change came from."""

    IMPORT = "import"
    BOT = "bot"
    DEMO = "demo"


class AuditLogEntry(Base):
    """One changed field of one record (or its creation, when `field` is None).

    Values are kept as text exactly as a person would read them, so the log stays readable
    whatever later happens to the schema.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity_key", "entity", "entity_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    source: Mapped[ChangeSource] = mapped_column(enum_column(ChangeSource, "change_source"))
    # An email for a person acting through the bot; the file name for an import.
    actor: Mapped[str] = mapped_column(String(320))
    entity: Mapped[str] = mapped_column(String(32))
    entity_key: Mapped[str] = mapped_column(String(320))
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
