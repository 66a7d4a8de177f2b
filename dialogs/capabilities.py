"""This module lists what the bot does, and for whom, so welcome and help say the same."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dialogs.people import Person
from store.models import StaffRole


class Audience(StrEnum):
    """Who a capability is offered to."""

    EVERYONE = "everyone"
    ROSTER = "roster"
    MANAGERS = "managers"
    COORDINATORS = "coordinators"


@dataclass(frozen=True, slots=True)
class Capability:
    """One thing the bot does; `available` is False until it ships, so help never overpromises."""

    title: str
    description: str
    example: str
    audience: Audience
    available: bool

    def offered_to(self, person: Person) -> bool:
        """Whether `person` would be able to use this."""
        if self.audience is Audience.EVERYONE:
            return True
        if person.role is None:
            return False
        if self.audience is Audience.MANAGERS:
            return person.role in (StaffRole.MANAGER, StaffRole.COORDINATOR, StaffRole.ADMIN)
        if self.audience is Audience.COORDINATORS:
            return person.role in (StaffRole.COORDINATOR, StaffRole.ADMIN)
        return True


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "Framework questions",
        "What inspectors look at, and statutory timescales, with the source.",
        "ICPC timescale",
        Audience.EVERYONE,
        available=True,
    ),
    Capability(
        "My actions",
        "Your improvement-plan actions, overdue first; complete them or ask for more time.",
        "what's overdue",
        Audience.ROSTER,
        available=True,
    ),
    Capability(
        "My audits",
        "Your case-audit assignments and when they are due.",
        "my audits",
        Audience.ROSTER,
        available=True,
    ),
    Capability(
        "Calendar",
        "Monitoring visits, Improvement Board and action-plan dates.",
        "calendar",
        Audience.ROSTER,
        available=True,
    ),
    Capability(
        "My team",
        "Overdue and due-soon items for everyone who reports to you.",
        "my team",
        Audience.MANAGERS,
        available=True,
    ),
    Capability(
        "Reminders",
        "A nudge before and after deadlines, on working days, in working hours; choose "
        "digest only or pause them.",
        "reminders",
        Audience.ROSTER,
        available=True,
    ),
    Capability(
        "Inspection call",
        "Alert everyone on the roster with their role and first tasks; track who has seen it.",
        "inspection call",
        Audience.COORDINATORS,
        available=True,
    ),
    Capability(
        "Help",
        "This list, whenever you need it.",
        "help",
        Audience.EVERYONE,
        available=True,
    ),
)


def capabilities_for(person: Person) -> tuple[list[Capability], list[Capability]]:
    """What `person` can use now, and what is coming for them."""
    offered = [c for c in CAPABILITIES if c.offered_to(person)]
    return [c for c in offered if c.available], [c for c in offered if not c.available]
