"""This module contains the roster models: Team and Staff."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, UtcDateTime, enum_column, utc_now


class StaffRole(StrEnum):
    """What a person may see and do."""

    PRACTITIONER = "practitioner"
    MANAGER = "manager"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    # Board members and elected members: read-only views of the plan, never of cases.
    VIEWER = "viewer"


class Team(Base):
    """A team on the roster, e.g. "Front door and MASH"."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Staff(Base):
    """A person on the council's roster."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stored lower-cased: email addresses are matched without regard to case.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[StaffRole] = mapped_column(enum_column(StaffRole, "staff_role"))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL"), index=True
    )
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    aad_object_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    inspection_role: Mapped[str | None] = mapped_column(String(200))
    # A UK mobile number as +447xxxxxxxxx, for the inspection call's SMS fallback.
    mobile: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    # Every view of a person shows their team, so it always comes along in the same query.
    team: Mapped[Team | None] = relationship(lazy="joined")
    manager: Mapped[Staff | None] = relationship(remote_side=[id], lazy="raise")

    @property
    def team_name(self) -> str | None:
        """The team's name, or None for someone without a team."""
        return self.team.name if self.team is not None else None
