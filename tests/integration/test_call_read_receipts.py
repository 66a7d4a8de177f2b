"""Who has read the inspection-call alert: Teams' read receipts, through the service.

Teams sends a bot `application/vnd.microsoft.readReceipt` events in personal chats once
the app has the ChatMessageReadReceipt.Read.Chat permission; `lastReadMessageId` is the
newest message the person has read, and message ids there are epoch milliseconds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select, update

from bot.keys import NOTIFICATIONS
from store.db import Database
from store.models import CallRecipient, OutboxMessage, Staff
from tests import fakes
from tests.cards import buttons, facts, words
from tests.chat import as_, card, installed_client, press_in_chat
from tests.clocks import Clock
from tests.fakes import FakeConnector

StartClient = Callable[..., Awaitable[TestClient]]
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday 25 November 2026
FORM = {"action": "call_preview", "inspection_type": "ilacs_short", "on_site": "2026-11-30"}
PUBLIC = "https://ir.example.gov.uk"
RECIPIENTS = 29  # the demo roster but the coordinator who calls


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient, clock: Clock
) -> TestClient:
    return await installed_client(database, connector, make_client, clock, public_url=PUBLIC)


async def start_call(client: TestClient, connector: FakeConnector) -> list[dict[str, Any]]:
    [preview] = await press_in_chat(client, connector, "alexw", {**FORM, "drill": "false"})
    [send] = [d for title, d in buttons(card(preview)).items() if title.startswith("Send")]
    return await press_in_chat(client, connector, "alexw", send)


def receipt(connector: FakeConnector, who: str, last_read: Any, **fields: Any) -> dict[str, Any]:
    """The event Teams posts when `who` has read up to the message `last_read`."""
    return fakes.activity(
        "event",
        connector.url,
        name="application/vnd.microsoft.readReceipt",
        value={"lastReadMessageId": last_read},
        **{**as_(who), **fields},
    )


def alert_to(connector: FakeConnector, who: str) -> dict[str, Any]:
    [alert] = [a for a in connector.sent if a["_conversation_id"] == f"a:personal-{who}"]
    return alert


async def read_at(database: Database, email: str) -> tuple[str | None, datetime | None]:
    async with database.sessions() as session:
        row = (
            await session.execute(
                select(OutboxMessage.sent_activity_id, OutboxMessage.read_at)
                .join(Staff, Staff.id == OutboxMessage.recipient_id)
                .where(Staff.email == email, OutboxMessage.kind == "call_alert")
            )
        ).one()
    return row[0], row[1]


async def test_a_read_receipt_at_or_after_the_alert_marks_it_read_for_that_person_only(
    client: TestClient, connector: FakeConnector, database: Database, clock: Clock
) -> None:
    replies = await start_call(client, connector)
    status_id = replies[1]["_sent_id"]
    notifications = client.app[NOTIFICATIONS]
    await notifications.drain()
    isaiah_alert = alert_to(connector, "isaiahl")["_sent_id"]
    stored_id, unread = await read_at(database, "isaiahl@example.com")
    assert (stored_id, unread) == (isaiah_alert, None)

    # A receipt for an earlier message says nothing about the alert.
    clock.now = NOW + timedelta(minutes=1)
    earlier = receipt(connector, "isaiahl", str(int(isaiah_alert) - 1))
    assert (await client.post("/api/messages", json=earlier)).status in (200, 201)
    assert (await read_at(database, "isaiahl@example.com"))[1] is None

    # One at (or after) it does, for Isaiah's alert and nobody else's.
    clock.now = NOW + timedelta(minutes=3)
    sent_before = len(connector.sent)
    exactly = receipt(connector, "isaiahl", isaiah_alert)
    assert (await client.post("/api/messages", json=exactly)).status in (200, 201)
    assert (await read_at(database, "isaiahl@example.com"))[1] == NOW + timedelta(minutes=3)
    # A later receipt keeps the first time it was read.
    clock.now = NOW + timedelta(minutes=5)
    later = receipt(connector, "isaiahl", str(int(isaiah_alert) + 50))
    assert (await client.post("/api/messages", json=later)).status in (200, 201)
    assert (await read_at(database, "isaiahl@example.com"))[1] == NOW + timedelta(minutes=3)
    assert (await read_at(database, "meganb@example.com"))[1] is None
    # A receipt is never answered: nothing is said in the chat.
    assert connector.sent[sent_before:] == []

    # The status card counts it and lists him as read but not acknowledged. (It lists
    # first those Teams cannot reach, 24 here, so they are taken to have acknowledged.)
    async with database.sessions() as session, session.begin():
        await session.execute(
            update(CallRecipient)
            .where(
                CallRecipient.staff_id.in_(
                    select(OutboxMessage.recipient_id).where(
                        OutboxMessage.kind == "call_alert", OutboxMessage.status == "unreachable"
                    )
                )
            )
            .values(acknowledged_at=NOW)
        )
    connector.updated.clear()
    await notifications.watch_calls()
    [refreshed] = [u for u in connector.updated if u["_updated_id"] == status_id]
    assert facts(card(refreshed))["Read in Teams"] == "1"
    shown = words(card(refreshed))
    assert any("Isaiah Langer" in w and "read, not acknowledged" in w for w in shown)

    # The export gives the time it was read.
    export = buttons(card(replies[1]))["Export acknowledgements (CSV)"]
    [_, link_card] = await press_in_chat(client, connector, "alexw", export)
    url = card(link_card)["actions"][0]["url"].removeprefix(PUBLIC)
    rows = list(csv.DictReader(io.StringIO(await (await client.get(url)).text())))
    by_email = {r["email"]: r for r in rows}
    assert by_email["isaiahl@example.com"]["alert_read_at"] == "2026-11-25 09:03:00"
    assert by_email["meganb@example.com"]["alert_read_at"] == ""


@pytest.mark.parametrize(
    "last_read", ["", "not-a-number", "١٢٣", "9" * 40, None, 1764579600005, {"id": "1"}]
)
async def test_a_malformed_read_receipt_changes_nothing(
    client: TestClient, connector: FakeConnector, database: Database, last_read: Any
) -> None:
    await start_call(client, connector)
    await client.app[NOTIFICATIONS].drain()
    answer = await client.post("/api/messages", json=receipt(connector, "isaiahl", last_read))
    assert answer.status in (200, 201)
    assert (await read_at(database, "isaiahl@example.com"))[1] is None


async def test_a_receipt_from_a_group_chat_or_an_unknown_chat_marks_nothing(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    await start_call(client, connector)
    await client.app[NOTIFICATIONS].drain()
    isaiah_alert = alert_to(connector, "isaiahl")["_sent_id"]
    group = receipt(
        connector,
        "isaiahl",
        isaiah_alert,
        conversation_id="19:group@thread.v2",
        conversation_type="groupChat",
    )
    stranger = receipt(connector, "isaiahl", isaiah_alert, conversation_id="a:personal-unknown")
    for event in (group, stranger):
        assert (await client.post("/api/messages", json=event)).status in (200, 201)
    assert (await read_at(database, "isaiahl@example.com"))[1] is None
