"""This module contains the queries that keep where the bot can reach people proactively."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import ConversationReference, utc_now


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    """A conversation the bot was installed into, as plain data."""

    conversation_id: str
    conversation_type: str
    service_url: str
    channel_id: str
    reference: dict[str, Any]
    user_id: str | None = None
    user_aad_object_id: str | None = None
    tenant_id: str | None = None
    staff_id: int | None = None


async def save_installation(session: AsyncSession, record: ConversationRecord) -> bool:
    """Stores or refreshes a conversation reference and marks it active.

    Teams announces one install with two activities that may be handled at once, so the
    database, not the caller, decides which of them activated the reference.

    Returns:
        True only for the call that activated it (a new install or a re-install).
    """
    values = {
        "conversation_type": record.conversation_type,
        "service_url": record.service_url,
        "channel_id": record.channel_id,
        "reference": record.reference,
        "user_id": record.user_id,
        "user_aad_object_id": record.user_aad_object_id,
        "tenant_id": record.tenant_id,
        "staff_id": record.staff_id,
    }
    model = ConversationReference
    reactivated = await session.execute(
        update(model)
        .where(model.conversation_id == record.conversation_id, model.active.is_(False))
        .values(**values, active=True, installed_at=utc_now(), uninstalled_at=None)
    )
    if _rowcount(reactivated) == 1:
        return True
    inserted = await session.execute(
        _insert(session)(model)
        .values(**values, conversation_id=record.conversation_id, active=True)
        .on_conflict_do_nothing(index_elements=[model.conversation_id])
    )
    if _rowcount(inserted) == 1:
        return True
    # Already installed and active: keep the freshest service URL and reference.
    await session.execute(
        update(model).where(model.conversation_id == record.conversation_id).values(**values)
    )
    return False


async def mark_uninstalled(session: AsyncSession, conversation_id: str) -> bool:
    """Marks a conversation inactive; returns whether it was active."""
    model = ConversationReference
    result = await session.execute(
        update(model)
        .where(model.conversation_id == conversation_id, model.active.is_(True))
        .values(active=False, uninstalled_at=utc_now())
    )
    return _rowcount(result) == 1


async def find_by_conversation_id(
    session: AsyncSession, conversation_id: str
) -> ConversationReference | None:
    """The stored reference for one conversation, active or not."""
    result = await session.execute(
        select(ConversationReference).where(
            ConversationReference.conversation_id == conversation_id
        )
    )
    return result.scalar_one_or_none()


async def list_active_personal(session: AsyncSession) -> list[ConversationReference]:
    """Every personal chat the bot can currently reach."""
    result = await session.execute(
        select(ConversationReference)
        .where(
            ConversationReference.active.is_(True),
            ConversationReference.conversation_type == "personal",
        )
        .order_by(ConversationReference.id)
    )
    return list(result.scalars())


def _insert(session: AsyncSession) -> Any:
    # ON CONFLICT DO NOTHING lives in each dialect's own insert(); both have it.
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def _rowcount(result: Any) -> int:
    return int(result.rowcount)


async def active_personal_for_staff(
    session: AsyncSession, staff_id: int
) -> ConversationReference | None:
    """Where to reach one person proactively, if they have installed the app."""
    result = await session.execute(
        select(ConversationReference)
        .where(
            ConversationReference.staff_id == staff_id,
            ConversationReference.active.is_(True),
            ConversationReference.conversation_type == "personal",
        )
        .order_by(ConversationReference.updated_at.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def assign_personal_chats(session: AsyncSession, aad_object_id: str, staff_id: int) -> None:
    """The personal chats of this Teams account belong to this person from now on."""
    model = ConversationReference
    await session.execute(
        update(model)
        .where(
            model.user_aad_object_id == aad_object_id,
            model.conversation_type == "personal",
        )
        .values(staff_id=staff_id)
        .execution_options(synchronize_session=False)
    )


async def release_personal_chats(
    session: AsyncSession, staff_id: int, *, keep: str | None
) -> None:
    """Personal chats of this person's other Teams accounts stop being theirs.

    Proactive messages (reminders, the inspection call) then cannot reach an account the
    person was unlinked from.
    """
    model = ConversationReference
    other_account = model.user_aad_object_id.is_(None) | (model.user_aad_object_id != keep)
    await session.execute(
        update(model)
        .where(model.staff_id == staff_id, model.conversation_type == "personal", other_account)
        .values(staff_id=None)
        .execution_options(synchronize_session=False)
    )


async def latest_active(session: AsyncSession) -> ConversationReference | None:
    """The most recently refreshed conversation the bot can reach, of any kind.

    A conversation built from a Graph chat id borrows its service URL and the bot's
    account from it: Teams gives them only in activities, and they are the same for every
    conversation in a tenant's region.
    """
    result = await session.execute(
        select(ConversationReference)
        .where(ConversationReference.active.is_(True))
        .order_by(ConversationReference.updated_at.desc(), ConversationReference.id.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()
