"""What the welcome and help cards offer to whom."""

from __future__ import annotations

import pytest

from dialogs.capabilities import CAPABILITIES, capabilities_for
from dialogs.people import Person
from store.models import StaffRole


def titles(person: Person) -> tuple[list[str], list[str]]:
    available, coming = capabilities_for(person)
    return [c.title for c in available], [c.title for c in coming]


def test_a_guest_is_offered_only_what_needs_no_roster() -> None:
    available, coming = titles(Person.guest("Visitor"))

    assert available == ["Framework questions", "Help"]
    assert coming == []


def test_a_practitioner_is_not_offered_manager_or_coordinator_tools() -> None:
    _, coming = titles(Person("Adele Vance", staff_id=5, role=StaffRole.PRACTITIONER))

    assert coming == []


def test_a_manager_also_gets_their_team() -> None:
    available, coming = titles(Person("Megan Bowen", staff_id=4, role=StaffRole.MANAGER))

    assert "My team" in available
    assert "Inspection call" not in available + coming


@pytest.mark.parametrize("role", [StaffRole.COORDINATOR, StaffRole.ADMIN])
def test_coordinators_and_admins_are_offered_everything(role: StaffRole) -> None:
    available, coming = titles(Person("Alex Wilber", staff_id=2, role=role))

    assert sorted(available + coming) == sorted(c.title for c in CAPABILITIES)


def test_first_name_and_guest_fallbacks() -> None:
    assert Person("Alex Wilber").first_name == "Alex"
    assert Person.guest(None).first_name == "there"
    assert Person.guest("  ").display_name == "there"
