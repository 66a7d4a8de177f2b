"""This module contains AuditDraw: one month's drawn sample, with what reproduces it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, UtcDateTime, utc_now


class AuditDraw(Base):
    """The monthly audit programme's draw for one month; at most one per month.

    The seed and the parameters are kept so that anyone can run the same draw again and
    see why each case and each auditor was chosen.
    """

    __tablename__ = "audit_draw"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "YYYY-MM": one draw per month, so drawing a month twice never duplicates.
    month: Mapped[str] = mapped_column(String(7), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    enhanced_pct: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(BigInteger)
    due_date: Mapped[date] = mapped_column(Date)
    # An email for a coordinator drawing in chat; "cli" for the command line.
    drawn_by: Mapped[str] = mapped_column(String(320))
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    drawn_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # The settings in force (repeat months, per-auditor cap), the strata and their
    # allocation, and the cases left unallocated with the reason: the draw's explanation.
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    drawn_count: Mapped[int] = mapped_column(Integer)
    allocated_count: Mapped[int] = mapped_column(Integer)
