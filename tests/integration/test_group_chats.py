"""In group chats and channels only help, the calendar and framework questions are answered."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from dialogs.policy import ASK_IN_PERSONAL, VERBS, Verb
from store.db import Database
from tests import fakes
from tests.cards import card_texts
from tests.chat import as_, card, demo_client
from tests.fakes import FakeConnector
from tests.integration.test_hostile_input import everything

StartClient = Callable[..., Awaitable[TestClient]]
CASE_REF = re.compile(r"CR-\d{6}")
MENTION = {
    "type": "mention",
    "text": "<at>Inspection Ready</at>",
    "mentioned": {"id": fakes.BOT_ID, "name": "Inspection Ready"},
}
GROUPS = {"group-chat": "groupChat", "channel": "channel", "unnamed": None}


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    return await demo_client(database, connector, make_client, greet=True)


def in_group(
    url: str, who: str, kind: str | None, *, text: str | None = None, value: Any = None
) -> dict[str, Any]:
    fields: dict[str, Any] = {**as_(who), "conversation_id": "19:team-thread@thread.tacv2"}
    activity = fakes.activity("message", url, conversation_type=kind or "", **fields)
    if kind is None:
        del activity["conversation"]["conversationType"]
    if text is not None:
        activity.update(text=f"<at>Inspection Ready</at> {text}", entities=[MENTION])
    if value is not None:
        activity["value"] = value
    return activity


@pytest.mark.parametrize("kind", list(GROUPS.values()), ids=list(GROUPS))
@pytest.mark.parametrize(
    "command",
    [
        "my actions",
        "what's overdue",
        "what's due this week",
        "my audits",
        "audits due",
        "my team",
        "overdue in care leavers",
        "reminders",
        "unreachable",
        "relink adelev@example.com",
        "inspection call",
        "draw audits for next month",
    ],
)
async def test_personal_commands_are_refused_in_groups_and_change_nothing(
    client: TestClient,
    connector: FakeConnector,
    database: Database,
    kind: str | None,
    command: str,
) -> None:
    before = await everything(database)

    # As the coordinator, who may see and do everything in a 1:1 chat.
    response = await client.post(
        "/api/messages", json=in_group(connector.url, "alexw", kind, text=command)
    )

    assert response.status == 201
    [reply] = connector.sent
    assert reply["text"] == ASK_IN_PERSONAL
    assert "attachments" not in reply or not reply["attachments"]
    assert reply["_conversation_id"] == "19:team-thread@thread.tacv2"
    assert await everything(database) == before


@pytest.mark.parametrize(
    "verb",
    [verb for verb in Verb if not VERBS[verb].access.in_groups],
    ids=lambda verb: verb.value,
)
async def test_every_personal_button_is_refused_in_a_group(
    client: TestClient, connector: FakeConnector, database: Database, verb: Verb
) -> None:
    before = await everything(database)
    data = {"action": verb.value, "id": 1, "kind": "action", "call": 1, "staff": 1}

    await client.post(
        "/api/messages", json=in_group(connector.url, "alexw", "channel", value=data)
    )

    [reply] = connector.sent
    assert reply["text"] == ASK_IN_PERSONAL
    assert await everything(database) == before


async def test_the_same_button_by_action_execute_is_refused_in_the_invoke(
    client: TestClient, connector: FakeConnector
) -> None:
    invoke = in_group(connector.url, "alexw", "groupChat")
    invoke.update(
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "call_export", "data": {"call": 1}}},
    )

    response = await client.post("/api/messages", json=invoke)

    assert response.status == 200
    assert (await response.json())["value"] == ASK_IN_PERSONAL
    assert connector.sent == []


async def test_help_in_a_group_offers_only_what_works_there(
    client: TestClient, connector: FakeConnector
) -> None:
    await client.post(
        "/api/messages", json=in_group(connector.url, "alexw", "channel", text="help")
    )

    [reply] = connector.sent
    texts = card_texts(card(reply))
    assert texts[0].startswith("Here is what I can do in this conversation.")
    offered = {t.split(":")[0] for t in texts[2:]}
    assert offered == {"Framework questions", "Calendar", "Help"}
    assert "coordinator" not in " ".join(texts)


async def test_the_calendar_in_a_group_shows_only_dates_meant_for_everyone(
    client: TestClient, connector: FakeConnector
) -> None:
    await client.post(
        "/api/messages", json=fakes.message(connector.url, "calendar", **as_("alexw"))
    )
    personal = json.dumps(connector.sent[-1])
    await client.post(
        "/api/messages", json=in_group(connector.url, "alexw", "channel", text="calendar")
    )
    group = json.dumps(connector.sent[-1])

    assert connector.sent[-1]["_conversation_id"] == "19:team-thread@thread.tacv2"
    assert "Coming up" in group
    # The coordinator sees the managers' and coordinators' dates in their own chat only.
    assert len(group) < len(personal)
    assert not CASE_REF.search(group)


async def test_a_framework_question_is_answered_in_a_group(
    client: TestClient, connector: FakeConnector
) -> None:
    await client.post(
        "/api/messages",
        json=in_group(connector.url, "adelev", "groupChat", text="ICPC timescale"),
    )

    [reply] = connector.sent
    assert "15 working days" in json.dumps(reply)


@pytest.mark.parametrize(
    ("conversation", "channel_data", "personal"),
    [
        ({"id": "a:1:1-chat"}, {}, True),  # how the Agents Playground sends a 1:1 chat
        ({"id": "a:1:1-chat", "isGroup": True}, {}, False),
        ({"id": "a:chat"}, {"team": {"id": "19:team@thread.skype"}}, False),
        ({"id": "a:chat"}, {"channel": {"id": "19:general@thread.skype"}}, False),
        ({"id": "19:meeting@thread.v2"}, {}, False),
        ({"id": "a:chat", "conversationType": "groupChat"}, {}, False),
        ({"id": "19:x@thread.v2", "conversationType": "personal"}, {}, True),
    ],
)
async def test_a_chat_that_does_not_say_what_it_is_counts_as_a_group_if_anything_says_so(
    client: TestClient,
    connector: FakeConnector,
    conversation: dict[str, Any],
    channel_data: dict[str, Any],
    personal: bool,
) -> None:
    activity = fakes.message(connector.url, "my actions", **as_("adelev"))
    activity["conversation"] = {**conversation, "tenantId": fakes.TENANT_ID}
    activity["channelData"] = {**channel_data, "tenant": {"id": fakes.TENANT_ID}}

    await client.post("/api/messages", json=activity)

    [reply] = connector.sent
    assert (reply.get("text") != ASK_IN_PERSONAL) is personal
