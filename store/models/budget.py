"""This module contains SendBudget: the one sending schedule every replica shares."""

from __future__ import annotations

from sqlalchemy import Float, Integer
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base


class SendBudget(Base):
    """When the next message to Teams may go, in seconds since the epoch by the database's
    clock. One row: every replica takes its turn from it, so together they stay under the
    tenant's limit."""

    __tablename__ = "send_budget"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_free: Mapped[float] = mapped_column(Float)
