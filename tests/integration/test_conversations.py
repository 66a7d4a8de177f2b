"""Conversation references: stored on install, once, and marked inactive on uninstall."""

from __future__ import annotations

import asyncio
import dataclasses

from store.db import Database
from store.models import ConversationReference
from store.repositories import conversations
from store.repositories.conversations import ConversationRecord

RECORD = ConversationRecord(
    conversation_id="a:personal-1",
    conversation_type="personal",
    service_url="https://smba.example/uk/",
    channel_id="msteams",
    reference={"conversation": {"id": "a:personal-1"}},
    user_id="29:user-1",
    user_aad_object_id="aad-1",
    tenant_id="tenant-1",
)


async def save(database: Database, record: ConversationRecord = RECORD) -> bool:
    async with database.sessions() as session, session.begin():
        return await conversations.save_installation(session, record)


async def uninstall(database: Database) -> bool:
    async with database.sessions() as session, session.begin():
        return await conversations.mark_uninstalled(session, RECORD.conversation_id)


async def stored(database: Database) -> ConversationReference:
    async with database.sessions() as session:
        reference = await conversations.find_by_conversation_id(session, RECORD.conversation_id)
    assert reference is not None
    return reference


async def test_first_install_activates_and_repeats_do_not(database: Database) -> None:
    assert await save(database) is True
    assert await save(database) is False

    reference = await stored(database)
    assert reference.active is True
    assert reference.reference == {"conversation": {"id": "a:personal-1"}}
    assert reference.user_aad_object_id == "aad-1"


async def test_a_repeat_keeps_the_newest_service_url(database: Database) -> None:
    await save(database)
    moved = dataclasses.replace(RECORD, service_url="https://smba.example/emea/")

    assert await save(database, moved) is False
    assert (await stored(database)).service_url == "https://smba.example/emea/"


async def test_uninstall_marks_inactive_once(database: Database) -> None:
    await save(database)

    assert await uninstall(database) is True
    assert await uninstall(database) is False
    reference = await stored(database)
    assert reference.active is False
    assert reference.uninstalled_at is not None


async def test_reinstall_activates_again(database: Database) -> None:
    await save(database)
    await uninstall(database)

    assert await save(database) is True
    reference = await stored(database)
    assert reference.active is True
    assert reference.uninstalled_at is None


async def test_two_simultaneous_install_events_activate_once(database: Database) -> None:
    results = await asyncio.gather(*(save(database) for _ in range(4)))

    assert sorted(results) == [False, False, False, True]
    async with database.sessions() as session:
        assert len(await conversations.list_active_personal(session)) == 1


async def test_unknown_conversation_uninstall_changes_nothing(database: Database) -> None:
    assert await uninstall(database) is False
    async with database.sessions() as session:
        assert await conversations.list_active_personal(session) == []
