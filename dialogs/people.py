"""This module contains Person, the plain-data view of whoever is talking to the bot."""

from __future__ import annotations

from dataclasses import dataclass, replace

from store.models import Staff, StaffRole

# Ofsted phones the DCS, so the DCS may start the call too (INSPECTION_READY_CALL_STARTERS).
DEFAULT_CALL_STARTERS = frozenset({"director of children's services", "dcs"})


@dataclass(frozen=True, slots=True)
class Person:
    """Someone in a conversation; `role` is None when they are not on the roster."""

    display_name: str
    staff_id: int | None = None
    email: str | None = None
    role: StaffRole | None = None
    team: str | None = None
    inspection_role: str | None = None
    # True when the person's Teams account matched a roster entry that could not be
    # linked to it automatically (linked to another account, or a guest account).
    link_refused: bool = False
    # True when their inspection role may start the inspection call, as coordinators may
    # (INSPECTION_READY_CALL_STARTERS: the DCS, whom Ofsted phones).
    call_starter: bool = False

    @property
    def on_roster(self) -> bool:
        """Whether the person was matched to a staff record."""
        return self.staff_id is not None

    @property
    def first_name(self) -> str:
        """What to greet them with."""
        parts = self.display_name.split()
        return parts[0] if parts else "there"

    @classmethod
    def from_staff(cls, staff: Staff) -> Person:
        """The roster's view of a matched person."""
        return cls(
            display_name=staff.name,
            staff_id=staff.id,
            email=staff.email,
            role=staff.role,
            team=staff.team_name,
            inspection_role=staff.inspection_role,
        )

    @classmethod
    def guest(cls, display_name: str | None, *, link_refused: bool = False) -> Person:
        """Someone the roster does not know (or whose match to it was refused)."""
        return cls(display_name=(display_name or "").strip() or "there", link_refused=link_refused)

    def with_call_starters(self, roles: frozenset[str]) -> Person:
        """The person, marked as a call starter if their inspection role is in `roles`
        (compared without regard to case)."""
        role = (self.inspection_role or "").strip().casefold()
        return replace(self, call_starter=bool(role) and role in roles)

    def in_public(self) -> Person:
        """How the person is treated in a group chat or channel: as nobody in particular.

        Whatever their role, what the bot shows there is what anyone in the group may see.
        """
        return Person(display_name=self.display_name)
