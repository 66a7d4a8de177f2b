"""This module contains the queries that find and update people on the roster."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Staff, StaffRole


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


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One person as a roster file describes them."""

    email: str
    name: str
    role: StaffRole
    team: str | None = None
    manager_email: str | None = None
    inspection_role: str | None = None


@dataclass(slots=True)
class UpsertCounts:
    """What an upsert did, for the report a person reads."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


async def upsert_roster(session: AsyncSession, entries: list[RosterEntry]) -> UpsertCounts:
    """Adds or updates people by email, then links each to their line manager.

    Managers must be in `entries` or already on the roster; the caller validates that.
    Matched Teams identities (AAD object ids) are never touched.
    """
    existing = {
        s.email: s
        for s in (
            await session.execute(
                select(Staff).where(Staff.email.in_([normalise_email(e.email) for e in entries]))
            )
        ).scalars()
    }
    changed: set[str] = set()
    added: set[str] = set()
    for entry in entries:
        email = normalise_email(entry.email)
        fields = {
            "name": entry.name.strip(),
            "role": entry.role,
            "team": entry.team,
            "inspection_role": entry.inspection_role,
        }
        staff = existing.get(email)
        if staff is None:
            staff = Staff(email=email, **fields)
            session.add(staff)
            existing[email] = staff
            added.add(email)
            continue
        if any(getattr(staff, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(staff, name, value)
            changed.add(email)
    await session.flush()
    managers = {
        normalise_email(e.manager_email) for e in entries if e.manager_email
    } - existing.keys()
    if managers:
        for staff in (
            await session.execute(select(Staff).where(Staff.email.in_(managers)))
        ).scalars():
            existing[staff.email] = staff
    for entry in entries:
        staff = existing[normalise_email(entry.email)]
        manager = existing.get(normalise_email(entry.manager_email or ""))
        manager_id = manager.id if manager is not None else None
        if staff.manager_id != manager_id:
            staff.manager_id = manager_id
            changed.add(staff.email)
    updated = len(changed - added)
    return UpsertCounts(
        new=len(added), updated=updated, unchanged=len(entries) - len(added) - updated
    )
