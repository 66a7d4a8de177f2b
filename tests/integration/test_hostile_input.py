"""Hostile requests and messages: each gets a clear status and answer, and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.keys import KNOWLEDGE
from bot.settings import MAX_REQUEST_BYTES
from store.db import Database
from store.models import Base, SendBudget
from tests import fakes
from tests.chat import as_, demo_client
from tests.fakes import FakeConnector

StartClient = Callable[..., Awaitable[TestClient]]
Body = bytes | dict[str, Any]


@dataclass(frozen=True)
class Case:
    """A request to send, and what must come back."""

    name: str
    body: Callable[[str], Body]
    status: int
    # Text that must be in the JSON error, the invoke answer or the reply sent to Teams.
    answer: str


def message(url: str, text: str, **fields: Any) -> dict[str, Any]:
    return fakes.message(url, text, **as_("adelev"), **fields)


def press(url: str, data: Any) -> dict[str, Any]:
    return fakes.activity("message", url, value=data, **as_("adelev"))


def execute(url: str, action: Any) -> dict[str, Any]:
    return fakes.activity(
        "invoke", url, name="adaptiveCard/action", value={"action": action}, **as_("adelev")
    )


def update(url: str, **fields: Any) -> dict[str, Any]:
    return fakes.activity("conversationUpdate", url, **as_("adelev"), **fields)


def nested(depth: int) -> bytes:
    return b'{"type": "message", "value": ' + b"[" * depth + b"]" * depth + b"}"


def raw(url: str, replace: tuple[str, str], bad: bytes = b"") -> bytes:
    """The JSON text of a message with one piece of it replaced (by bytes, after `_BAD_`)."""
    return json.dumps(message(url, "help")).replace(*replace).encode().replace(b"_BAD_", bad)


def open_item(item_id: object) -> dict[str, Any]:
    return {"action": "open_item", "kind": "action", "id": item_id}


NOT_A_BUTTON = "the button does not say which item it is for"
LIST = {"action": "show_list", "intent": "my_actions"}
ACK = {"action": "call_acknowledge", "for": 1}
EXECUTE = {"type": "Action.Execute", "verb": "open_item", "data": {"kind": "action", "id": "x"}}
ODD_MENTION = {"type": "mention", "mentioned": "x", "text": "@x"}
CHANNEL_TEXT = {"tenant": {"id": fakes.TENANT_ID}, "eventType": "channelCreated", "channel": "x"}
NUMBER_MENTION = {"type": "mention", "mentioned": {"id": "28:x"}, "text": 5}
CASES = [
    Case("nesting-50000", lambda u: nested(50_000), 400, "nested too deeply"),
    Case("nesting-40", lambda u: nested(40), 400, "nested too deeply"),
    Case("nan", lambda u: raw(u, ('"help"', "NaN")), 400, "NaN is not a JSON number"),
    Case("infinity", lambda u: raw(u, ('"help"', "-Infinity")), 400, "not a JSON number"),
    Case("huge-integer", lambda u: raw(u, ('"help"', "9" * 5000)), 400, "not valid JSON"),
    Case("bad-utf8", lambda u: raw(u, ("help", "h_BAD_p"), b"\xff"), 400, "not valid JSON"),
    Case("lone-surrogate", lambda u: raw(u, ("help", "\\ud800")), 400, "unpaired surrogate"),
    Case("nul", lambda u: raw(u, ("help", "he\\u0000lp")), 400, "NUL character"),
    Case("array", lambda u: b"[]", 400, "the body must be a JSON object"),
    Case("from-is-text", lambda u: {**message(u, "help"), "from": "me"}, 400, "from.id"),
    Case("recipient-number", lambda u: message(u, "help", recipient=5), 400, "recipient.id"),
    Case("channel-data-list", lambda u: message(u, "help", channelData=[]), 400, "channelData"),
    Case("text-object", lambda u: {**message(u, "help"), "text": {"a": 1}}, 400, "text must be"),
    Case("text-number", lambda u: {**message(u, "help"), "text": 12}, 400, "text must be"),
    Case(
        "tenant-number",
        lambda u: message(u, "help", conversation={"id": "a:x", "tenantId": 5}),
        400,
        "conversation.tenantId must be a string",
    ),  # fmt: skip
    Case(
        "sender-name-list",
        lambda u: {**message(u, "help"), "from": {"id": "29:x", "name": [1]}},
        400,
        "from.name must be a string",
    ),  # fmt: skip
    Case("entities-number", lambda u: message(u, "help", entities=5), 400, "entities must be"),
    Case("mention-odd", lambda u: message(u, "help", entities=[ODD_MENTION]), 400, "a mention"),
    Case("mention-text", lambda u: message(u, "help", entities=[NUMBER_MENTION]), 400, "mention"),
    Case("too-large", lambda u: message(u, "x" * MAX_REQUEST_BYTES), 413, "larger than 262144"),
    Case("long-word", lambda u: message(u, "a" * 3000), 201, "3,000 characters long; I can"),
    Case("long-paste", lambda u: message(u, "why " * 600), 201, "2,399 characters long; I can"),
    Case("id-arabic-digit", lambda u: press(u, open_item("\u0663")), 201, NOT_A_BUTTON),
    Case("id-huge", lambda u: press(u, open_item(10**30)), 201, NOT_A_BUTTON),
    Case("id-past-int32", lambda u: press(u, open_item(2**31)), 201, NOT_A_BUTTON),
    Case("id-float", lambda u: press(u, open_item(3.0)), 201, NOT_A_BUTTON),
    Case("id-bool", lambda u: press(u, open_item(True)), 201, NOT_A_BUTTON),
    Case("id-list", lambda u: press(u, open_item([1])), 201, NOT_A_BUTTON),
    Case("id-signed", lambda u: press(u, open_item("-1")), 201, NOT_A_BUTTON),
    Case("id-spaced", lambda u: press(u, open_item(" 3")), 201, NOT_A_BUTTON),
    Case("id-exponent", lambda u: press(u, open_item("1e3")), 201, NOT_A_BUTTON),
    Case("offset-huge", lambda u: press(u, LIST | {"offset": 10**20}), 201, "that list is not"),
    Case("offset-negative", lambda u: press(u, LIST | {"offset": -10}), 201, "that list is not"),
    Case("unknown-verb", lambda u: press(u, {"action": "drop_tables"}), 201, "not one I know"),
    Case("verb-not-text", lambda u: press(u, {"action": ["open_item"]}), 201, "not one I know"),
    Case("call-id-huge", lambda u: press(u, ACK | {"call": 10**40}), 201, "not one I know"),
    Case("call-id-digit", lambda u: press(u, ACK | {"call": "\u0661"}), 201, "not one I know"),
    Case("execute-not-object", lambda u: execute(u, "open_item"), 400, "value.action must"),
    Case("execute-verb-list", lambda u: execute(u, EXECUTE | {"verb": [1]}), 400, "verb must be"),
    Case("execute-unknown", lambda u: execute(u, EXECUTE | {"verb": "x"}), 200, "not one I know"),
    Case("execute-data-list", lambda u: execute(u, EXECUTE | {"data": [1]}), 200, NOT_A_BUTTON),
    Case(
        "execute-no-type",
        lambda u: execute(u, {"verb": "open_item", "data": [1]}),
        400,
        "value.action.type must be Action.Execute",
    ),  # fmt: skip
    Case("recipient-null", lambda u: message(u, "help", recipient=None), 400, "recipient.id"),
    Case(
        "mode-object",
        lambda u: press(u, {"action": "reminder_settings", "mode": {"a": 1}}),
        201,
        "that is not a reminder setting",
    ),  # fmt: skip
    Case(
        "members-added-number",
        lambda u: update(u, membersAdded=[{"id": 5}]),
        400,
        "membersAdded must be a list of accounts",
    ),  # fmt: skip
    Case(
        "members-added-text",
        lambda u: update(u, membersAdded="x"),
        400,
        "membersAdded must be a list of accounts",
    ),  # fmt: skip
    Case(
        "channel-text",
        lambda u: update(u, channelData=CHANNEL_TEXT),
        400,
        "channelData.channel must be",
    ),  # fmt: skip
    Case(
        "tenant-text",
        lambda u: message(u, "help", channelData={"tenant": fakes.TENANT_ID}),
        400,
        "channelData.tenant must be an object",
    ),  # fmt: skip
]


# The shared sending schedule moves on with every reply sent, refusals included: it is
# when the next message may go, not anything a person did.
NOT_DATA = {SendBudget.__tablename__}


async def everything(database: Database) -> dict[str, list[str]]:
    """Every row of every table, as text: "unchanged" means exactly that."""
    async with database.sessions() as session:
        return {
            table.name: sorted(repr(tuple(row)) for row in await session.execute(select(table)))
            for table in Base.metadata.sorted_tables
            if table.name not in NOT_DATA
        }


def answer_of(status: int, body: str, sent: list[dict[str, Any]]) -> str:
    if status == 201:
        return json.dumps(sent)
    return body


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    # Saying hello first links each account: a change of its own, made before the test.
    return await demo_client(database, connector, make_client, greet=True)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_hostile_input_is_answered_clearly_and_changes_nothing(
    client: TestClient, connector: FakeConnector, database: Database, case: Case
) -> None:
    before = await everything(database)
    body = case.body(connector.url)
    if isinstance(body, bytes):
        response = await client.post(
            "/api/messages", data=body, headers={"Content-Type": "application/json"}
        )
    else:
        response = await client.post("/api/messages", json=body)

    assert response.status == case.status
    answer = answer_of(response.status, await response.text(), connector.sent)
    assert case.answer in answer
    assert "Traceback" not in answer
    assert "went wrong on my side" not in answer
    assert await everything(database) == before


async def test_a_long_word_costs_no_typo_correction(
    client: TestClient, connector: FakeConnector
) -> None:
    index = client.app[KNOWLEDGE]._index
    before = index.variants_generated  # the index is built once and shared

    # At the message limit, in words no typo correction considers (over 30 letters).
    words = " ".join(["q" * 31] * 62)
    await client.post("/api/messages", json=message(connector.url, words))
    # Thirty-letter words are corrected, each at a bounded cost.
    await client.post(
        "/api/messages", json=message(connector.url, "abcdefghijklmnopqrstuvwxyzabcd")
    )

    assert len(words) <= 2000
    # Every one- and two-letter deletion of one 30-letter word: 1 + 30 + 435.
    assert index.variants_generated - before <= 1 + 30 + 435
    assert len(connector.sent) == 2
