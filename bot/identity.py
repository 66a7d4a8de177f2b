"""This module matches a Teams user to a person on the roster, in a way that cannot be borrowed.

The rules, in order:
1. A Teams user whose AAD object id is linked to a roster row is that person.
2. Otherwise the conversation's member record is asked for the user's addresses. Only a
   member of the home tenant with an AAD object id, whose role is not guest (or anonymous)
   and whose UPN is not a guest's (#EXT#), is matched by address, on the user principal
   name before the mail address (`mail` is not verified; a guest can carry anyone's).
3. A row found by address that is not linked yet is linked to this object id. A row
   already linked to another object id is never relinked automatically: the attempt is
   refused, written to the audit log, and the person is told to ask a coordinator.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from store.repositories import staff as staff_repository
from teams.types import Member, MemberDirectory, StoredReference, TeamsUser

if TYPE_CHECKING:
    from store.db import Database
    from store.models import Staff

logger = logging.getLogger(__name__)

# Member roles that are never matched by address (Teams' userRole values).
UNTRUSTED_ROLES = frozenset({"guest", "anonymous"})
GUEST_UPN_MARK = "#EXT#"


class Refusal(StrEnum):
    """Why an address match was not accepted; the text goes to the audit log."""

    LINKED_ELSEWHERE = "the roster entry is linked to another Teams account"
    GUEST = "a guest account is never matched by address"
    OTHER_TENANT = "the account belongs to another tenant"
    NO_OBJECT_ID = "the account has no Entra ID object id to link"


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the roster says a Teams user is: a staff row, nobody, or a refused match."""

    staff: Staff | None = None
    refused: Refusal | None = None


async def identify(
    database: Database,
    user: TeamsUser,
    where: StoredReference,
    directory: MemberDirectory,
    home_tenants: frozenset[str],
) -> Identity:
    """The roster entry for `user`, following the rules at the top of this module.

    `home_tenants` are the tenants this bot serves; when none is configured (a developer's
    machine), the activity's own tenant counts as home. Each step opens its own short
    transaction: the member look-up is an HTTP call and holds no database connection.
    """
    if user.aad_object_id:
        async with database.sessions() as session:
            staff = await staff_repository.find_by_aad_object_id(session, user.aad_object_id)
        if staff is not None:
            return Identity(staff)
    if not user.user_id:
        return Identity()
    member = await directory.member(where, user.user_id)
    if member is None or not member.addresses:
        return Identity()
    refusal = _untrusted(member, user, home_tenants)
    async with database.sessions() as session, session.begin():
        staff = await staff_repository.find_by_emails(session, member.addresses)
        if staff is None:
            return Identity()
        if refusal is None and staff.aad_object_id and staff.aad_object_id != user.aad_object_id:
            refusal = Refusal.LINKED_ELSEWHERE
        if refusal is None and staff.aad_object_id is None and user.aad_object_id:
            linked = await staff_repository.link_identity(session, staff, user.aad_object_id)
            # Teams sends two activities for one install, often handled at once: the other
            # may have just linked this very account, which is no reason to refuse.
            if not linked and await staff_repository.linked_to(session, staff.id) != (
                user.aad_object_id
            ):
                refusal = Refusal.LINKED_ELSEWHERE
        if refusal is not None:
            logger.warning("Refused to match a Teams account to staff %s: %s", staff.id, refusal)
            await staff_repository.record_refused_link(
                session, staff, user.aad_object_id, user.name, refusal.value
            )
            return Identity(refused=refusal)
    return Identity(staff)


def _untrusted(member: Member, user: TeamsUser, home_tenants: frozenset[str]) -> Refusal | None:
    if not user.aad_object_id:
        # Without an object id the account can never be linked, only matched by address
        # again on every turn: nothing would stop another account doing the same.
        return Refusal.NO_OBJECT_ID
    if (member.user_role or "").strip().lower() in UNTRUSTED_ROLES:
        return Refusal.GUEST
    if GUEST_UPN_MARK in (member.user_principal_name or "").upper():
        # Entra ID names guest accounts alice_example.com#EXT#@council.onmicrosoft.com; a
        # member record without a role is still a guest if its UPN says so.
        return Refusal.GUEST
    home = home_tenants or ({user.tenant_id} if user.tenant_id else frozenset())
    tenant = member.tenant_id or user.tenant_id
    if not home or tenant not in home:
        return Refusal.OTHER_TENANT
    return None
