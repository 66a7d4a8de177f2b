"""This module lets a coordinator link a person's Teams account to their roster entry.

A roster entry already linked to one Teams account is never moved to another one
automatically (bot/identity.py); the refused attempts are in the audit log, and this
dialog shows them with a button to link the right one, or to unlink the entry.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from cards.rendering import plain_text, render_card
from dialogs.ask_dialog import CardActionError
from dialogs.card_data import parse_id
from dialogs.people import Person
from dialogs.policy import NO_PERSON
from dialogs.replies import Reply
from store.importers.fields import GUID
from store.models import Staff, StaffRole
from store.repositories import staff as staff_repository

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger(__name__)

# Entries whose account only a coordinator may change.
GUARDED_ROLES = frozenset({StaffRole.COORDINATOR, StaffRole.ADMIN})
USAGE = (
    "Type 'relink' and the person's roster email, e.g. 'relink adele.vance@council.gov.uk', "
    "to see which Teams accounts tried to sign in as them and link the right one."
)


async def relink_card(session: AsyncSession, person: Person, email: str | None) -> Reply:
    """The roster entry's link and the refused attempts, with buttons to link or unlink."""
    if not email:
        return Reply(text=USAGE)
    staff = await staff_repository.find_by_email(session, email)
    if staff is None:
        return Reply(text=f"Nobody with the email {plain_text(email)} is on the roster. {USAGE}")
    return Reply(card=await _card(session, staff, may_change=may_relink(person, staff)))


def may_relink(person: Person, staff: Staff) -> bool:
    """Whether `person` may change `staff`'s link (roster keepers are checked before)."""
    return staff.role not in GUARDED_ROLES or person.role is StaffRole.COORDINATOR


async def relink(session: AsyncSession, person: Person, data: dict[str, Any]) -> Reply:
    """Links the roster entry to the account pressed (or unlinks it), in the audit log."""
    staff_id = parse_id(data.get("staff"))
    staff = await session.get(Staff, staff_id) if staff_id is not None else None
    if staff is None:
        raise CardActionError(NO_PERSON)
    if data.get("version") != staff.updated_at.isoformat():
        raise CardActionError("the card was out of date (the entry changed); ask again")
    if not may_relink(person, staff):
        # Relinking is how an account gets a role's powers: an admin may not hand
        # themselves (or anyone) a coordinator's or another admin's.
        raise CardActionError(f"only coordinators can relink a {staff.role.value}'s account")
    account = data.get("account")
    if account == "":
        new = None
    elif isinstance(account, str) and GUID.fullmatch(account):
        new = account.lower()
        attempts = await staff_repository.refused_links(session, staff, limit=100)
        refused = {attempt.aad_object_id for attempt in attempts}
        # Only an account that really tried to sign in as this person can be linked here;
        # any other needs the staff file or the command line, not a card anyone can forge.
        if new not in refused:
            raise CardActionError("that Teams account has not tried to sign in as this person")
    else:
        raise CardActionError("the button does not say which Teams account to link")
    try:
        await staff_repository.relink(session, staff, new, actor=person.email or "unknown")
    except staff_repository.IdentityInUseError as exc:
        raise CardActionError(
            f"that Teams account is linked to {exc}; unlink it there first"
        ) from None
    logger.info("Staff %s relinked by staff %s", staff.id, person.staff_id)
    await session.flush()
    await session.refresh(staff)
    done = (
        f"Linked {staff.name} to that Teams account. Their next message from it will show "
        "their work, and their reminders go there."
        if new
        else f"Unlinked {staff.name}. The next time they message me from a Teams account of "
        "this council that is not a guest's, I will link it."
    )
    return Reply(card=await _card(session, staff, notice=done), refresh=True, roster_changed=True)


async def _card(
    session: AsyncSession, staff: Staff, *, notice: str | None = None, may_change: bool = True
) -> dict[str, Any]:
    attempts = [
        attempt
        for attempt in await staff_repository.refused_links(session, staff)
        if attempt.aad_object_id and attempt.aad_object_id != staff.aad_object_id
    ]
    return render_card(
        "relink",
        staff=staff,
        staff_version=staff.updated_at.isoformat(),
        attempts=[
            {
                "when": f"{attempt.at:%d %b %Y %H:%M} UTC",
                "name": attempt.display_name,
                "account": attempt.aad_object_id,
                "reason": attempt.reason,
            }
            for attempt in attempts
        ],
        notice=notice,
        may_change=may_change,
    )
