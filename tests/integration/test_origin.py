"""Activities from another channel or tenant are refused with 403 before the bot runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.settings import Settings
from store.db import Database
from store.models import AuditLogEntry, ConversationReference, Staff
from tests import fakes
from tests.fakes import FakeConnector

StartClient = Callable[[Settings], Awaitable[TestClient]]
OTHER_TENANT = "tenant-9999"


def with_tenant(
    body: dict[str, Any], conversation: object, channel_data: object
) -> dict[str, Any]:
    changed = {**body, "conversation": {**body["conversation"]}}
    if conversation is None:
        changed["conversation"].pop("tenantId")
    else:
        changed["conversation"]["tenantId"] = conversation
    changed["channelData"] = {} if channel_data is None else {"tenant": {"id": channel_data}}
    return changed


async def stored(database: Database) -> tuple[int, int, int]:
    async with database.sessions() as session:
        return tuple(  # type: ignore[return-value]
            [
                (await session.execute(select(func.count()).select_from(model))).scalar_one()
                for model in (ConversationReference, AuditLogEntry, Staff)
            ]
        )


@pytest.fixture
async def tenant_client(database: Database, make_client: StartClient) -> TestClient:
    # MicrosoftAppTenantId with the developer flag: the tenant check, without tokens.
    return await make_client(
        Settings(dev_no_auth=True, database_url=database.url, app_tenant_id=fakes.TENANT_ID)
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda a: {**a, "channelId": "emulator"}, "the channel is not msteams"),
        (lambda a: {k: v for k, v in a.items() if k != "channelId"}, "the channel is not msteams"),
        (lambda a: {**a, "channelId": "MSTEAMS "}, "the channel is not msteams"),
        (lambda a: with_tenant(a, OTHER_TENANT, OTHER_TENANT), "not one this bot serves"),
        (lambda a: with_tenant(a, OTHER_TENANT, None), "not one this bot serves"),
        (lambda a: with_tenant(a, None, OTHER_TENANT), "not one this bot serves"),
        (lambda a: with_tenant(a, None, None), "does not name its tenant"),
        (lambda a: with_tenant(a, fakes.TENANT_ID, OTHER_TENANT), "disagree"),
        (lambda a: with_tenant(a, OTHER_TENANT, fakes.TENANT_ID), "disagree"),
        (lambda a: with_tenant(a, "", fakes.TENANT_ID), "not as text"),
    ],
    ids=[
        "other-channel",
        "no-channel",
        "channel-spelt-otherwise",
        "other-tenant-both",
        "other-tenant-conversation",
        "other-tenant-channel-data",
        "no-tenant",
        "disagree-channel-data",
        "disagree-conversation",
        "tenant-blank",
    ],
)
@pytest.mark.parametrize("kind", ["installation", "message", "invoke"])
async def test_foreign_activities_are_refused_before_the_bot_and_change_nothing(
    tenant_client: TestClient,
    connector: FakeConnector,
    database: Database,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    reason: str,
    kind: str,
) -> None:
    body = {
        "installation": fakes.installation(connector.url),
        "message": fakes.message(connector.url, "my actions"),
        "invoke": fakes.activity(
            "invoke",
            connector.url,
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "verb": "show_list", "data": {}}},
        ),
    }[kind]
    before = await stored(database)

    response = await tenant_client.post("/api/messages", json=change(body))

    assert response.status == 403
    answer = await response.json()
    assert answer["error"] == "forbidden"
    assert reason in answer["message"]
    assert connector.sent == []
    assert connector.member_lookups == []
    assert await stored(database) == before


async def test_the_configured_tenant_is_let_in_in_any_case(
    tenant_client: TestClient, connector: FakeConnector
) -> None:
    body = with_tenant(
        fakes.message(connector.url, "help"), fakes.TENANT_ID.upper(), fakes.TENANT_ID
    )

    response = await tenant_client.post("/api/messages", json=body)

    assert response.status == 201
    assert len(connector.sent) == 1


async def test_a_tenant_list_lets_in_each_tenant_on_it(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> None:
    client = await make_client(
        Settings(
            dev_no_auth=True,
            database_url=database.url,
            allowed_tenants=frozenset({fakes.TENANT_ID, OTHER_TENANT}),
        )
    )
    third = with_tenant(fakes.message(connector.url, "help"), "tenant-third", "tenant-third")

    ours = await client.post("/api/messages", json=fakes.message(connector.url, "help"))
    theirs = await client.post(
        "/api/messages",
        json=with_tenant(fakes.message(connector.url, "help"), OTHER_TENANT, OTHER_TENANT),
    )
    refused = await client.post("/api/messages", json=third)

    assert (ours.status, theirs.status, refused.status) == (201, 201, 403)


async def test_without_a_tenant_configured_only_the_channel_is_checked(
    sqlite_database: Database, connector: FakeConnector, make_client: StartClient
) -> None:
    client = await make_client(Settings(dev_no_auth=True, database_url=sqlite_database.url))
    elsewhere = with_tenant(fakes.message(connector.url, "help"), OTHER_TENANT, OTHER_TENANT)

    allowed = await client.post("/api/messages", json=elsewhere)
    refused = await client.post("/api/messages", json={**elsewhere, "channelId": "webchat"})

    assert (allowed.status, refused.status) == (201, 403)
