"""This module records single changes made through the bot in the audit log."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import AuditLogEntry, ChangeSource


def record_change(
    session: AsyncSession,
    *,
    actor: str,
    entity: str,
    key: str,
    field: str,
    old: str | None,
    new: str | None,
) -> None:
    """Adds one entry for a field a person changed through the bot."""
    session.add(
        AuditLogEntry(
            source=ChangeSource.BOT,
            actor=actor,
            entity=entity,
            entity_key=key,
            field=field,
            old_value=old,
            new_value=new,
        )
    )


async def history(session: AsyncSession, entity: str, key: str) -> list[AuditLogEntry]:
    """Every logged change to one record, oldest first."""
    result = await session.execute(
        select(AuditLogEntry)
        .where(AuditLogEntry.entity == entity, AuditLogEntry.entity_key == key)
        .order_by(AuditLogEntry.id)
    )
    return list(result.scalars())


async def latest_by_key(
    session: AsyncSession, entity: str, field: str
) -> dict[str, AuditLogEntry]:
    """The newest logged value of one field for every record of `entity`, by record key."""
    newest = (
        select(func.max(AuditLogEntry.id))
        .where(AuditLogEntry.entity == entity, AuditLogEntry.field == field)
        .group_by(AuditLogEntry.entity_key)
    )
    result = await session.execute(select(AuditLogEntry).where(AuditLogEntry.id.in_(newest)))
    return {entry.entity_key: entry for entry in result.scalars()}
