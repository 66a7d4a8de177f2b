"""This module contains the queries that find and update people on the roster."""

from __future__ import annotations

from collections.abc import Iterable

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


async def list_all(session: AsyncSession) -> list[Staff]:
    """Everyone on the roster, by name."""
    return list((await session.execute(select(Staff).order_by(Staff.name))).scalars())
