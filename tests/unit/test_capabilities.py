"""What the welcome and help cards offer to whom: exactly what the permission policy allows."""

from __future__ import annotations

import pytest

from dialogs.capabilities import CAPABILITIES, capabilities_for
from dialogs.people import Person
from store.models import StaffRole

EVERYONE = ["Framework questions", "Calendar", "Help"]
ROSTER = ["Framework questions", "My actions", "My audits", "Calendar", "Reminders", "Help"]


def titles(person: Person, *, personal: bool = True) -> list[str]:
    available, coming = capabilities_for(person, personal=personal)
    assert coming == []
    return [c.title for c in available]


def test_a_guest_is_offered_only_what_needs_no_roster() -> None:
    assert titles(Person.guest("Visitor")) == EVERYONE


def test_a_practitioner_is_offered_their_own_work_only() -> None:
    assert titles(Person("Adele Vance", staff_id=5, role=StaffRole.PRACTITIONER)) == ROSTER


def test_a_manager_also_gets_their_team() -> None:
    offered = titles(Person("Megan Bowen", staff_id=4, role=StaffRole.MANAGER))

    # Area leads are managers: they see their areas' board updates; managers audit, so they
    # see the audit report too.
    assert offered == [
        *ROSTER[:4],
        "My team",
        "Area actions",
        "Reminders",
        "Board updates",
        "Audit report",
        "Help",
    ]


def test_a_coordinator_is_offered_everything() -> None:
    offered = titles(Person("Alex Wilber", staff_id=2, role=StaffRole.COORDINATOR))

    assert offered == [c.title for c in CAPABILITIES]


def test_an_admin_keeps_the_roster_but_is_not_offered_the_inspection_call() -> None:
    offered = titles(Person("Lynne Robbins", staff_id=3, role=StaffRole.ADMIN))

    coordinating = (
        "Inspection call",
        "Draw the month's audits",
        "Audit report",
        "Inspectors' cases",
    )
    assert not set(coordinating) & set(offered)
    assert {"My team", "Who cannot be reached", "Link a Teams account"} <= set(offered)
    board = {"Board updates", "Board pack"}
    assert offered == [c.title for c in CAPABILITIES if c.title not in {*coordinating, *board}]


def test_a_board_viewer_is_offered_the_board_updates_and_the_pack() -> None:
    offered = titles(Person("Board Member", staff_id=9, role=StaffRole.VIEWER))

    assert {"Board updates", "Board pack", "Area actions"} <= set(offered)
    # Audits name children's cases; a viewer is never offered them.
    assert "My audits" not in offered
    assert "Audit report" not in offered


@pytest.mark.parametrize("role", list(StaffRole))
def test_in_a_group_only_help_calendar_and_questions_are_offered(role: StaffRole) -> None:
    person = Person("Alex Wilber", staff_id=2, role=role)

    assert titles(person, personal=False) == EVERYONE


def test_first_name_and_guest_fallbacks() -> None:
    assert Person("Alex Wilber").first_name == "Alex"
    assert Person.guest(None).first_name == "there"
    assert Person.guest("  ").display_name == "there"
