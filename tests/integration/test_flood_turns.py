"""A flood of turns gets N answers a minute, one 'slow down', and no work for the rest."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.flood import SLOW_DOWN
from bot.settings import Settings
from store.db import Database
from store.models import UnansweredQuestion
from tests import fakes
from tests.chat import NOW, PEOPLE, as_
from tests.fakes import FakeConnector

StartClient = Callable[..., Awaitable[TestClient]]
LIMIT = 30  # INSPECTION_READY_TURNS_PER_MINUTE's default
SLOWED = SLOW_DOWN.format(limit=LIMIT)


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    for member in PEOPLE.values():
        connector.add_member(member)
    return await make_client(
        Settings.from_env({"DATABASE_URL": database.url, "INSPECTION_READY_DEV_NO_AUTH": "1"}),
        clock=lambda: NOW,
    )


def to(connector: FakeConnector, who: str) -> list[dict[str, Any]]:
    return [a for a in connector.sent if a["_conversation_id"] == f"a:personal-{who}"]


async def questions_kept(database: Database) -> int:
    async with database.sessions() as session:
        query = select(func.count()).select_from(UnansweredQuestion)
        return (await session.execute(query)).scalar_one()


async def test_sixty_messages_at_once_get_thirty_answers_and_one_slow_down(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    flood = [
        fakes.message(connector.url, f"what is question number {n} about", **as_("adelev"))
        for n in range(60)
    ]

    statuses = await asyncio.gather(*(client.post("/api/messages", json=a) for a in flood))

    replies = to(connector, "adelev")
    assert sorted(r.status for r in statuses) == [201] * LIMIT + [202] * (60 - LIMIT)
    assert len(replies) == LIMIT + 1
    assert [r.get("text") for r in replies].count(SLOWED) == 1
    # Only the admitted turns did any work: each kept its unanswered question.
    assert await questions_kept(database) == LIMIT


async def test_card_presses_count_and_are_answered_in_the_invoke(
    client: TestClient, connector: FakeConnector
) -> None:
    for _ in range(LIMIT):
        await client.post(
            "/api/messages", json=fakes.message(connector.url, "help", **as_("adelev"))
        )
    sent = len(connector.sent)
    press = fakes.activity(
        "invoke",
        connector.url,
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "show_list", "data": {}}},
        **as_("adelev"),
    )

    answers = [await client.post("/api/messages", json=press) for _ in range(3)]

    for answer in answers:
        assert answer.status == 200
        assert await answer.json() == {
            "statusCode": 200,
            "type": "application/vnd.microsoft.activity.message",
            "value": SLOWED,
        }
    assert len(connector.sent) == sent


async def test_someone_else_is_answered_while_one_person_floods(
    client: TestClient, connector: FakeConnector
) -> None:
    flood = [fakes.message(connector.url, "help", **as_("adelev")) for _ in range(LIMIT + 10)]
    await asyncio.gather(*(client.post("/api/messages", json=a) for a in flood))

    response = await client.post(
        "/api/messages", json=fakes.message(connector.url, "help", **as_("meganb"))
    )

    assert response.status == 201
    assert len(to(connector, "meganb")) == 1
