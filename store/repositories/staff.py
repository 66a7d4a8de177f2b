"""This module contains the queries that find and update people on the roster."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store.errors import StoreError
from store.models import AuditLogEntry, Staff, StaffRole, utc_now
from store.repositories import audit_log, conversations

# The audit-log field of a match that was refused (see bot/identity.py).
REFUSED_LINK = "link_refused"


class IdentityInUseError(StoreError):
    """The Teams account is linked to another person on the roster; the message is their email."""


@dataclass(frozen=True, slots=True)
class RefusedLink:
    """A Teams account that matched a roster row by address but was not linked to it."""

    at: datetime
    display_name: str
    aad_object_id: str | None
    reason: str


def normalise_email(email: str) -> str:
    """Emails are compared trimmed and lower-cased everywhere."""
    return email.strip().lower()


async def find_by_aad_object_id(session: AsyncSession, aad_object_id: str) -> Staff | None:
    """The person whose Teams identity was matched before, if any."""
    result = await session.execute(select(Staff).where(Staff.aad_object_id == aad_object_id))
    return result.scalar_one_or_none()


async def find_by_emails(session: AsyncSession, emails: Iterable[str]) -> Staff | None:
    """The first person whose email is one of `emails` (tried in order), if any."""
    for email in dict.fromkeys(normalise_email(e) for e in emails if e and e.strip()):
        result = await session.execute(select(Staff).where(func.lower(Staff.email) == email))
        staff = result.scalar_one_or_none()
        if staff is not None:
            return staff
    return None


async def list_by_role(session: AsyncSession, role: StaffRole) -> list[Staff]:
    """Everyone with `role`, by name."""
    result = await session.execute(select(Staff).where(Staff.role == role).order_by(Staff.name))
    return list(result.scalars())


async def count_staff(session: AsyncSession) -> int:
    """How many people are on the roster."""
    return (await session.execute(select(func.count()).select_from(Staff))).scalar_one()


async def list_all(session: AsyncSession) -> list[Staff]:
    """Everyone on the roster, by name."""
    return list((await session.execute(select(Staff).order_by(Staff.name))).scalars())


async def link_identity(session: AsyncSession, staff: Staff, aad_object_id: str) -> bool:
    """Links an unlinked roster row to a Teams account, in the audit log; False if it lost.

    Only a row that is still unlinked is linked (another turn may have linked it a moment
    ago), and only to an object id no other row has (the column is unique).
    """
    try:
        async with session.begin_nested():
            result = await session.execute(
                update(Staff)
                .where(Staff.id == staff.id, Staff.aad_object_id.is_(None))
                .values(aad_object_id=aad_object_id)
                .execution_options(synchronize_session=False)
            )
    except IntegrityError:
        return False
    if int(getattr(result, "rowcount", 0)) != 1:
        return False
    staff.aad_object_id = aad_object_id
    audit_log.record_change(
        session,
        actor=staff.email,
        entity="staff",
        key=staff.email,
        field="aad_object_id",
        old=None,
        new=aad_object_id,
    )
    await conversations.assign_personal_chats(session, aad_object_id, staff.id)
    return True


async def linked_to(session: AsyncSession, staff_id: int) -> str | None:
    """The Teams account a roster row is linked to now, as committed (not as cached)."""
    result = await session.execute(select(Staff.aad_object_id).where(Staff.id == staff_id))
    return result.scalar_one_or_none()


async def relink(
    session: AsyncSession, staff: Staff, aad_object_id: str | None, *, actor: str
) -> None:
    """Links a roster row to a Teams account (or unlinks it), as a coordinator decided.

    The personal chats of the account it was linked to stop belonging to this person
    (their proactive messages go to the new account), and the new account's chats start.

    Raises:
        IdentityInUseError: another roster row is linked to that account.
    """
    if aad_object_id is not None:
        holder = await find_by_aad_object_id(session, aad_object_id)
        if holder is not None and holder.id != staff.id:
            raise IdentityInUseError(holder.email)
    old = staff.aad_object_id
    if old == aad_object_id:
        return
    staff.aad_object_id = aad_object_id
    audit_log.record_change(
        session,
        actor=actor,
        entity="staff",
        key=staff.email,
        field="aad_object_id",
        old=old,
        new=aad_object_id,
    )
    await session.flush()
    await conversations.release_personal_chats(session, staff.id, keep=aad_object_id)
    if aad_object_id is not None:
        await conversations.assign_personal_chats(session, aad_object_id, staff.id)


async def record_refused_link(
    session: AsyncSession,
    staff: Staff,
    aad_object_id: str | None,
    display_name: str | None,
    reason: str,
) -> None:
    """Writes a refused match to the audit log, once a day per account and roster row.

    The entry's old value is the reason and its new value the account's object id, so a
    coordinator can link that account if it is the person's own (see `refused_links`).
    """
    since = utc_now() - timedelta(days=1)
    repeated = await session.execute(
        select(AuditLogEntry.id).where(
            AuditLogEntry.entity == "staff",
            AuditLogEntry.entity_key == staff.email,
            AuditLogEntry.field == REFUSED_LINK,
            AuditLogEntry.new_value == (aad_object_id or ""),
            AuditLogEntry.occurred_at >= since,
        )
    )
    if repeated.first() is not None:
        return
    audit_log.record_change(
        session,
        actor=f"Teams account {(display_name or 'without a name')[:200]}",
        entity="staff",
        key=staff.email,
        field=REFUSED_LINK,
        old=reason,
        new=aad_object_id or "",
    )


async def refused_links(session: AsyncSession, staff: Staff, limit: int = 5) -> list[RefusedLink]:
    """The most recent refused matches to this roster row, newest first."""
    result = await session.execute(
        select(AuditLogEntry)
        .where(
            AuditLogEntry.entity == "staff",
            AuditLogEntry.entity_key == staff.email,
            AuditLogEntry.field == REFUSED_LINK,
        )
        .order_by(AuditLogEntry.id.desc())
        .limit(limit)
    )
    return [
        RefusedLink(
            entry.occurred_at,
            entry.actor.removeprefix("Teams account "),
            entry.new_value or None,
            entry.old_value or "",
        )
        for entry in result.scalars()
    ]


async def find_by_email(session: AsyncSession, email: str) -> Staff | None:
    """The person with this email (any case), if they are on the roster."""
    return await find_by_emails(session, [email])


async def by_ids(session: AsyncSession, ids: Iterable[int]) -> list[Staff]:
    """The people with these ids (those that exist)."""
    result = await session.execute(select(Staff).where(Staff.id.in_(list(ids))))
    return list(result.scalars())
