"""This module keeps the single-use download links for audit reports (hashed)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, update

from store.models import ReportExport

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


async def save(
    session: AsyncSession,
    token_hash: str,
    *,
    month: str | None,
    call_id: int | None,
    file_format: str,
    staff_id: int,
    now: datetime,
    expires_at: datetime,
) -> None:
    """Keeps a link's token (hashed) until it expires; expired ones are forgotten."""
    await session.execute(delete(ReportExport).where(ReportExport.expires_at <= now))
    session.add(
        ReportExport(
            token_hash=token_hash,
            month=month,
            call_id=call_id,
            file_format=file_format,
            staff_id=staff_id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def claim(
    session: AsyncSession, token_hash: str, now: datetime, address: str
) -> ReportExport | None:
    """Uses up a link, once, while it has not expired; None for any later use."""
    claimed = await session.execute(
        update(ReportExport)
        .where(
            ReportExport.token_hash == token_hash,
            ReportExport.used_at.is_(None),
            ReportExport.expires_at > now,
        )
        .values(used_at=now, used_from=address[:200])
    )
    if int(getattr(claimed, "rowcount", 0)) != 1:
        return None
    return await session.get(ReportExport, token_hash, populate_existing=True)
