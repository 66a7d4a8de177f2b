"""This module lists what the bot does, and for whom, so welcome and help say the same."""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.people import Person
from dialogs.policy import INTENTS
from dialogs.routing import Intent


@dataclass(frozen=True, slots=True)
class Capability:
    """One thing the bot does; `available` is False until it ships, so help never overpromises.

    Who is offered it is the permission policy of the command it stands for, so the help
    card offers exactly what the dialogs will do.
    """

    title: str
    description: str
    example: str
    intent: Intent
    available: bool

    def offered_to(self, person: Person, *, personal: bool = True) -> bool:
        """Whether `person` would be able to use this, in a 1:1 chat or in a group."""
        access = INTENTS[self.intent]
        return access.allows(person) and (personal or access.in_groups)


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "Framework questions",
        "What inspectors look at, and statutory timescales, with the source.",
        "ICPC timescale",
        Intent.QUESTION,
        available=True,
    ),
    Capability(
        "My actions",
        "Your improvement-plan actions, overdue first; complete them or ask for more time.",
        "what's overdue",
        Intent.MY_ACTIONS,
        available=True,
    ),
    Capability(
        "My audits",
        "Your case-audit assignments and when they are due.",
        "my audits",
        Intent.MY_AUDITS,
        available=True,
    ),
    Capability(
        "Calendar",
        "Monitoring visits, Improvement Board and action-plan dates.",
        "calendar",
        Intent.CALENDAR,
        available=True,
    ),
    Capability(
        "My team",
        "Overdue and due-soon items for everyone who reports to you.",
        "my team",
        Intent.MY_TEAM,
        available=True,
    ),
    Capability(
        "Area actions",
        "The open actions in the priority areas you lead, whoever manages their owners "
        "(board members and coordinators: the whole plan).",
        "area actions",
        Intent.AREA_ACTIONS,
        available=True,
    ),
    Capability(
        "Reminders",
        "A nudge before and after deadlines, on working days, in working hours; choose "
        "digest only or pause them.",
        "reminders",
        Intent.REMINDERS,
        available=True,
    ),
    Capability(
        "Inspection call",
        "Alert everyone on the roster with their role and first tasks; track who has seen it.",
        "inspection call",
        Intent.INSPECTION_CALL,
        available=True,
    ),
    Capability(
        "Board updates",
        "Who has not yet given their update for the next Improvement Board (leads: your areas).",
        "board updates",
        Intent.BOARD_UPDATES,
        available=True,
    ),
    Capability(
        "Board pack",
        "The Improvement Board pack for the next meeting, as Word or Excel.",
        "board pack",
        Intent.BOARD_PACK,
        available=True,
    ),
    Capability(
        "Draw the month's audits",
        "A random sample of open cases by category and team, allocated fairly to managers "
        "at every tier; you see it before it is stored.",
        "draw audits for next month",
        Intent.DRAW_AUDITS,
        available=True,
    ),
    Capability(
        "Audit report",
        "The month's case audits: completion, grades, moderation and follow-ups, with a "
        "Word or Excel download.",
        "audit report",
        Intent.AUDIT_REPORT,
        available=True,
    ),
    Capability(
        "Inspectors' cases",
        "During the inspection call, allocate the cases the inspectors ask to see audited, "
        "due today, and follow them on one card.",
        "inspectors' cases: CR-1001, CR-1002",
        Intent.INSPECTOR_CASES,
        available=True,
    ),
    Capability(
        "Who cannot be reached",
        "People the bot cannot message in Teams yet, and why.",
        "unreachable",
        Intent.UNREACHABLE,
        available=True,
    ),
    Capability(
        "Link a Teams account",
        "Link someone's Teams account to their roster entry when it could not be done "
        "automatically.",
        "relink name@council.gov.uk",
        Intent.RELINK,
        available=True,
    ),
    Capability(
        "Help",
        "This list, whenever you need it.",
        "help",
        Intent.HELP,
        available=True,
    ),
)


def capabilities_for(
    person: Person, *, personal: bool = True
) -> tuple[list[Capability], list[Capability]]:
    """What `person` can use now (in a 1:1 chat, or in a group), and what is coming."""
    offered = [c for c in CAPABILITIES if c.offered_to(person, personal=personal)]
    return [c for c in offered if c.available], [c for c in offered if not c.available]
