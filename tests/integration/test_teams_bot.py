"""Turns through the real app and CloudAdapter: install, welcome, help, identity, uninstall."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.settings import Settings
from demo.loader import DEMO_ANCHOR, load_demo
from store.db import Database
from store.repositories import conversations
from store.repositories import staff as staff_repository
from tests import fakes
from tests.cards import card_texts
from tests.fakes import FakeConnector, TeamsMember

StartClient = Callable[[Settings], Awaitable[TestClient]]

ALEX = TeamsMember(
    "29:user-alex", "Alex Wilber", "aad-alex", "alexw@example.com", "alexw@example.com"
)
ISAIAH = TeamsMember(
    "29:user-isaiah", "Isaiah Langer", "aad-isaiah", "nobody@example.com", "isaiahl@example.com"
)
STRANGER = TeamsMember(
    "29:user-guest", "Guest Person", "aad-guest", "guest@elsewhere.example", None
)


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
    for member in (ALEX, ISAIAH, STRANGER):
        connector.add_member(member)
    return await make_client(Settings(dev_no_auth=True, database_url=database.url))


async def post(client: TestClient, activity: dict[str, Any]) -> int:
    response = await client.post("/api/messages", json=activity)
    return response.status


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card: dict[str, Any] = attachment["content"]
    return card


async def test_install_stores_the_reference_and_welcomes_by_name(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    assert await post(client, fakes.installation(connector.url)) == 201

    [welcome] = connector.sent
    # The card alone, so the greeting is not said twice; its summary is what Teams shows
    # in the notification and the chat list.
    assert "text" not in welcome
    assert welcome["summary"].startswith("Hello Alex, I'm Inspection Ready.")
    texts = card_texts(card_of(welcome))
    assert texts[0] == "Hello Alex, I'm Inspection Ready."
    assert "You are on the roster as a coordinator in Quality assurance" in texts[1]
    assert "Help: This list, whenever you need it. Type: help" in texts
    assert any(t.startswith("Inspection call: ") for t in texts)
    async with database.sessions() as session:
        reference = await conversations.find_by_conversation_id(session, "a:personal-alex")
        alex = await staff_repository.find_by_aad_object_id(session, "aad-alex")
    assert reference is not None
    assert reference.active is True
    assert reference.service_url == connector.url
    assert reference.reference["conversation_id"] == "a:personal-alex"
    assert alex is not None
    assert reference.staff_id == alex.id


async def test_install_events_arriving_together_welcome_once(
    client: TestClient, connector: FakeConnector
) -> None:
    await asyncio.gather(
        post(client, fakes.installation(connector.url)),
        post(client, fakes.bot_added(connector.url)),
    )

    assert len(connector.sent) == 1


async def test_conversation_update_alone_also_installs(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    await post(client, fakes.bot_added(connector.url))

    assert len(connector.sent) == 1
    async with database.sessions() as session:
        assert len(await conversations.list_active_personal(session)) == 1


async def test_uninstall_marks_inactive_and_reinstall_welcomes_again(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    await post(client, fakes.installation(connector.url))
    await post(client, fakes.installation(connector.url, action="remove"))
    await post(client, fakes.bot_removed(connector.url))

    async with database.sessions() as session:
        assert await conversations.list_active_personal(session) == []
    assert len(connector.sent) == 1

    await post(client, fakes.installation(connector.url))
    assert len(connector.sent) == 2


async def test_help_lists_capabilities_for_the_role(
    client: TestClient, connector: FakeConnector
) -> None:
    await post(
        client,
        fakes.message(
            connector.url,
            "help",
            user_id=ISAIAH.user_id,
            aad_object_id=ISAIAH.aad_object_id,
            user_name=ISAIAH.name,
            conversation_id="a:personal-isaiah",
        ),
    )

    [reply] = connector.sent
    texts = card_texts(card_of(reply))
    assert texts[0] == "Here is what I can do for you, Isaiah."
    assert "practitioner" in texts[1]
    assert "your inspection role is Annex A lead" in texts[1]
    assert not any(t.startswith(("Inspection call", "My team")) for t in texts)
    assert reply["_conversation_id"] == "a:personal-isaiah"


async def test_identity_is_matched_by_upn_and_remembered(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    isaiah = {
        "user_id": ISAIAH.user_id,
        "aad_object_id": ISAIAH.aad_object_id,
        "user_name": ISAIAH.name,
    }
    await post(client, fakes.message(connector.url, "help", **isaiah))
    await post(client, fakes.message(connector.url, "help", **isaiah))

    # The roster API is asked once; the second turn finds Isaiah by AAD object id.
    assert connector.member_lookups == [ISAIAH.user_id]
    async with database.sessions() as session:
        staff = await staff_repository.find_by_aad_object_id(session, "aad-isaiah")
    assert staff is not None
    assert staff.email == "isaiahl@example.com"


async def test_someone_not_on_the_roster_is_told_who_to_ask(
    client: TestClient, connector: FakeConnector
) -> None:
    await post(
        client,
        fakes.message(
            connector.url,
            "hello",
            user_id=STRANGER.user_id,
            aad_object_id=STRANGER.aad_object_id,
            user_name=STRANGER.name,
        ),
    )

    texts = card_texts(card_of(connector.sent[0]))
    assert texts[0] == "Here is what I can do for you, Guest."
    assert "not on this council's inspection-readiness roster" in texts[1]
    assert "Alex Wilber: alexw@example.com" in texts
    assert not any(t.startswith("My actions") for t in texts)


async def test_anything_that_is_not_a_command_is_a_framework_question(
    client: TestClient, connector: FakeConnector
) -> None:
    await post(client, fakes.message(connector.url, "zxqv blorp"))

    texts = card_texts(card_of(connector.sent[0]))
    assert texts[0] == "I'm not sure I have the right answer to that."


async def test_group_chat_mention_gets_the_help_meant_for_groups(
    client: TestClient, connector: FakeConnector
) -> None:
    mention = {
        "type": "mention",
        "text": "<at>Inspection Ready</at>",
        "mentioned": {"id": fakes.BOT_ID, "name": "Inspection Ready"},
    }
    await post(
        client,
        fakes.message(
            connector.url,
            "<at>Inspection Ready</at> help",
            conversation_id="19:group-chat",
            conversation_type="groupChat",
            entities=[mention],
        ),
    )

    [reply] = connector.sent
    texts = card_texts(card_of(reply))
    assert texts[0].startswith("Here is what I can do in this conversation.")
    assert not any(t.startswith(("My actions", "Inspection call")) for t in texts)
    assert any(t.startswith("Framework questions") for t in texts)
    assert reply["_conversation_id"] == "19:group-chat"


async def test_team_install_says_hello_without_storing_a_personal_reference(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    await post(
        client,
        fakes.bot_added(
            connector.url, conversation_id="19:channel@thread", conversation_type="channel"
        ),
    )

    [hello] = connector.sent
    assert hello["text"].startswith("Hello, I'm Inspection Ready.")
    async with database.sessions() as session:
        assert await conversations.list_active_personal(session) == []


async def test_a_group_install_is_greeted_once_for_its_two_activities(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    group = {"conversation_id": "19:group-chat", "conversation_type": "groupChat"}

    await post(client, fakes.installation(connector.url, **group))
    await post(client, fakes.bot_added(connector.url, **group))

    [hello] = connector.sent
    assert hello["text"].startswith("Hello, I'm Inspection Ready.")
    async with database.sessions() as session:
        assert await conversations.list_active_personal(session) == []


async def test_message_text_is_not_logged_at_info(
    client: TestClient, connector: FakeConnector, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    await post(client, fakes.message(connector.url, "case ABC-123 strategy meeting"))

    assert len(connector.sent) == 1
    assert "ABC-123" not in caplog.text
