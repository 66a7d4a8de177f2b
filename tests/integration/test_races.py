"""Two presses of the same card at once: exactly one takes effect, the other is told why."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from store.db import Database
from store.models import ActionStatus, AuditLogEntry, ExtensionRequest, ExtensionStatus
from tests import fakes
from tests.cards import buttons
from tests.chat import action, as_, card, demo_client, press
from tests.fakes import FakeConnector

StartClient = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    return await demo_client(database, connector, make_client, greet=True)


async def at_once(client: TestClient, connector: FakeConnector, presses: list[Any]) -> list[str]:
    """Sends the presses together; the text of each reply, in the order of `presses`."""
    activities = [
        fakes.activity("message", connector.url, value=data, **as_(who)) for who, data in presses
    ]
    for n, activity in enumerate(activities):
        activity["id"] = f"press-{n}"
    await asyncio.gather(*(client.post("/api/messages", json=a) for a in activities))
    replies = {
        a["replyToId"]: a for a in connector.sent if a.get("replyToId", "").startswith("press-")
    }
    return [
        str(replies[f"press-{n}"].get("text") or replies[f"press-{n}"])
        for n in range(len(presses))
    ]


async def audit_entries(database: Database, ref: str, field: str) -> list[AuditLogEntry]:
    async with database.sessions() as session:
        result = await session.execute(
            select(AuditLogEntry).where(
                AuditLogEntry.entity_key == ref, AuditLogEntry.field == field
            )
        )
        return list(result.scalars())


async def test_two_completions_of_one_action_at_once_apply_once(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    pa23 = await action(database, "PA2.3")
    opened = card(
        await press(
            client, connector, "adelev", {"action": "open_item", "kind": "action", "id": pa23.id}
        )
    )
    complete = buttons(opened)["Save as complete"]

    replies = await at_once(
        client,
        connector,
        [
            ("adelev", {**complete, "evidence_note": "first note"}),
            ("meganb", {**complete, "evidence_note": "second note"}),
        ],
    )

    refused = [r for r in replies if "has changed since that card was sent" in r]
    assert len(refused) == 1
    done = await action(database, "PA2.3")
    assert done.status is ActionStatus.COMPLETE
    notes = [e.new_value for e in await audit_entries(database, "PA2.3", "completion_note")]
    assert notes == [done.completion_note]


async def test_approve_and_decline_at_once_record_one_decision(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    pa23 = await action(database, "PA2.3")
    opened = card(
        await press(
            client, connector, "adelev", {"action": "open_item", "kind": "action", "id": pa23.id}
        )
    )
    ask = buttons(opened)["Send to my manager"]
    await press(client, connector, "adelev", {**ask, "new_due_date": "2026-12-18", "reason": "x"})
    async with database.sessions() as session:
        [request] = (await session.execute(select(ExtensionRequest))).scalars().all()
    decide = {"action": "decide_extension", "request": request.id}

    replies = await at_once(
        client,
        connector,
        [
            ("meganb", {**decide, "decision": "approve"}),
            ("pattif", {**decide, "decision": "decline"}),
        ],
    )

    assert sum("decided by someone else" in r or "was already" in r for r in replies) == 1
    async with database.sessions() as session:
        decided = await session.get(ExtensionRequest, request.id)
    assert decided is not None
    moved = (await action(database, "PA2.3")).due_date == decided.requested_due_date
    assert moved is (decided.status is ExtensionStatus.APPROVED)
    assert len(await audit_entries(database, "PA2.3", "extension")) == 1
