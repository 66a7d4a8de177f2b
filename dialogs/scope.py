"""This module decides whose work a person may see and change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dialogs.people import Person
from dialogs.policy import may_change_others
from store.models import StaffRole
from store.repositories import work

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

EVERYONE_ROLES = (StaffRole.COORDINATOR, StaffRole.ADMIN)


async def visible_owners(session: AsyncSession, person: Person) -> set[int] | None:
    """The staff ids whose items `person` may see: None means everyone.

    A practitioner sees their own; a manager also everyone below them, however deep;
    coordinators and admins see everything.
    """
    if person.staff_id is None:
        return set()
    if person.role in EVERYONE_ROLES:
        return None
    if person.role is StaffRole.MANAGER:
        return {person.staff_id} | await work.reports_of(session, person.staff_id)
    return {person.staff_id}


async def may_see(session: AsyncSession, person: Person, owner_id: int) -> bool:
    """Whether `person` may see an item belonging to `owner_id`."""
    if person.staff_id is None:
        return False
    owners = await visible_owners(session, person)
    return owners is None or owner_id in owners


async def may_change(session: AsyncSession, person: Person, owner_id: int) -> bool:
    """Whether `person` may act on an item belonging to `owner_id`.

    Everyone may act on their own items; managers and coordinators also on the items they
    see. Admins see everyone's items but change only their own (see dialogs/policy.py).
    """
    if person.staff_id is not None and owner_id == person.staff_id:
        return True
    return may_change_others(person) and await may_see(session, person, owner_id)


async def reports(session: AsyncSession, person: Person) -> set[int]:
    """The people below `person` in the line-management chain."""
    if person.staff_id is None:
        return set()
    return await work.reports_of(session, person.staff_id)
