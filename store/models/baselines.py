"""This module contains ImportBaseline: what the last import of a file said about one row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, UtcDateTime, utc_now


class ImportBaseline(Base):
    """The values one row had in the last file imported, field by field, as text.

    A re-import compares three values for each field: this one, the file's and the stored
    one. A field the file changed since is updated; one that only Teams changed is kept.
    """

    __tablename__ = "import_baseline"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_import_baseline_kind_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The import file's kind (staff, actions, ...) and the row's key within it.
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(320))
    # Field name -> the value as the audit log shows it (None for an empty cell).
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
