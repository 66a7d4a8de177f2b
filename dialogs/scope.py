"""This module decides whose work a person may see and change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dialogs.people import Person
from dialogs.policy import may_change_others
from store.models import Action, StaffRole
from store.repositories import areas, follow_ups, work

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

EVERYONE_ROLES = (StaffRole.COORDINATOR, StaffRole.ADMIN)
# Board members and elected members: the whole plan, read-only, and never a case audit.
READ_ONLY_ROLES = (StaffRole.VIEWER,)


async def visible_owners(session: AsyncSession, person: Person) -> set[int] | None:
    """The staff ids whose actions `person` may see: None means everyone.

    A practitioner sees their own; a manager also everyone below them, however deep;
    coordinators and admins see everything, and viewers the whole plan (read-only).
    Audits are narrower: see `visible_auditors`.
    """
    if person.staff_id is None:
        return set()
    if person.role in EVERYONE_ROLES or person.role in READ_ONLY_ROLES:
        return None
    if person.role is StaffRole.MANAGER:
        return {person.staff_id} | await work.reports_of(session, person.staff_id)
    return {person.staff_id}


async def visible_auditors(session: AsyncSession, person: Person) -> set[int] | None:
    """The staff ids whose audits `person` may see: None means everyone.

    As for actions, except that viewers see none: an audit names a case, and a viewer sees
    no case reference beyond those in the plan.
    """
    if person.role in READ_ONLY_ROLES:
        return set()
    return await visible_owners(session, person)


async def may_see(session: AsyncSession, person: Person, owner_id: int) -> bool:
    """Whether `person` may see an action belonging to `owner_id`."""
    if person.staff_id is None:
        return False
    owners = await visible_owners(session, person)
    return owners is None or owner_id in owners


async def may_see_audit(session: AsyncSession, person: Person, auditor_id: int) -> bool:
    """Whether `person` may see an audit assigned to `auditor_id`."""
    if person.staff_id is None:
        return False
    auditors = await visible_auditors(session, person)
    return auditors is None or auditor_id in auditors


async def may_see_action(session: AsyncSession, person: Person, action: Action) -> bool:
    """Whether `person` may see `action`: by its owner, or as the lead of its area.

    A viewer never sees an audit follow-up action: it is written about a child's case.
    """
    if person.role in READ_ONLY_ROLES and await follow_ups.is_follow_up(session, action.id):
        return False
    if await may_see(session, person, action.owner_id):
        return True
    return person.staff_id is not None and await areas.leads_area_of(
        session, person.staff_id, action
    )


async def may_change(session: AsyncSession, person: Person, owner_id: int) -> bool:
    """Whether `person` may act on an item belonging to `owner_id`.

    Everyone may act on their own items; managers and coordinators also on the items they
    see. Admins see everyone's items but change only their own (see dialogs/policy.py);
    viewers change nothing, not even an item someone gave them.
    """
    if person.role in READ_ONLY_ROLES:
        return False
    if person.staff_id is not None and owner_id == person.staff_id:
        return True
    return may_change_others(person) and await may_see(session, person, owner_id)


async def reports(session: AsyncSession, person: Person) -> set[int]:
    """The people below `person` in the line-management chain."""
    if person.staff_id is None:
        return set()
    return await work.reports_of(session, person.staff_id)
