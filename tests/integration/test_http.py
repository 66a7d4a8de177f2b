"""The HTTP edge: bad requests, authentication, health and readiness."""

from __future__ import annotations

import base64
import gc
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.settings import MAX_REQUEST_BYTES, Settings
from store.db import Database
from store.repositories import conversations
from teams.factory import Sdk
from tests import fakes
from tests.conftest import sqlite_url
from tests.fakes import FakeConnector

StartClient = Callable[[Settings], Awaitable[TestClient]]

AUTHENTICATED = {
    "MicrosoftAppId": "11111111-2222-3333-4444-555555555555",
    "MicrosoftAppPassword": "s3cret",
    "INSPECTION_READY_ALLOWED_TENANTS": fakes.TENANT_ID,
}


def unsigned_jwt(claims: dict[str, object]) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


@pytest.fixture
async def open_client(sqlite_database: Database, make_client: StartClient) -> TestClient:
    return await make_client(Settings(dev_no_auth=True, database_url=sqlite_database.url))


@pytest.fixture
async def locked_client(sqlite_database: Database, make_client: StartClient) -> TestClient:
    settings = Settings.from_env({"DATABASE_URL": sqlite_database.url, **AUTHENTICATED})
    return await make_client(settings)


async def test_malformed_json_is_400(open_client: TestClient) -> None:
    response = await open_client.post(
        "/api/messages", data=b'{"type": "message",', headers={"Content-Type": "application/json"}
    )

    assert response.status == 400
    assert (await response.json())["error"] == "malformed_json"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda a: [a], "the body must be a JSON object"),
        (lambda a: "message", "the body must be a JSON object"),
        (lambda a: {**a, "type": ""}, "type is missing"),
        (lambda a: {k: v for k, v in a.items() if k != "type"}, "type is missing"),
        (lambda a: {**a, "serviceUrl": None}, "serviceUrl is missing"),
        (lambda a: {**a, "conversation": "a:chat"}, "conversation.id is missing"),
        (lambda a: {**a, "from": {}}, "from.id is missing"),
        (lambda a: {**a, "timestamp": "yesterday"}, "a field has the wrong type"),
        (lambda a: {**a, "entities": 5}, "entities must be a list of objects"),
    ],
)
async def test_json_that_is_not_an_activity_is_400_and_changes_nothing(
    open_client: TestClient,
    connector: FakeConnector,
    sqlite_database: Database,
    change: Callable[[dict[str, Any]], object],
    reason: str,
) -> None:
    body = change(fakes.installation(connector.url))

    response = await open_client.post("/api/messages", json=body)

    assert response.status == 400
    answer = await response.json()
    assert answer["error"] == "not_an_activity"
    assert reason in answer["message"]
    assert connector.sent == []
    async with sqlite_database.sessions() as session:
        assert await conversations.list_active_personal(session) == []


async def test_wrong_content_type_is_415(open_client: TestClient) -> None:
    response = await open_client.post("/api/messages", data=b"type=message")

    assert response.status == 415


async def test_oversized_body_is_413(open_client: TestClient) -> None:
    body = {"type": "message", "text": "x" * MAX_REQUEST_BYTES}

    response = await open_client.post("/api/messages", json=body)

    assert response.status == 413
    assert (await response.json())["error"] == "payload_too_large"


async def test_oversized_body_without_length_is_413(open_client: TestClient) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        yield b'{"type": "message", "text": "'
        for _ in range(MAX_REQUEST_BYTES // 1024 + 1):
            yield b"x" * 1024
        yield b'"}'

    response = await open_client.post(
        "/api/messages", data=chunks(), headers={"Content-Type": "application/json"}
    )

    assert response.status == 413


async def test_unknown_route_and_method_answer_json(open_client: TestClient) -> None:
    missing = await open_client.get("/nothing-here")
    wrong_method = await open_client.get("/api/messages")

    assert missing.status == 404
    assert (await missing.json())["error"] == "not_found"
    assert wrong_method.status == 405


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer garbage",
        "Bearer " + unsigned_jwt({"iss": "https://attacker.example", "aud": "x"}),
        "Basic dXNlcjpwYXNz",
    ],
    ids=["no-token", "garbage", "foreign-issuer", "wrong-scheme"],
)
async def test_authentication_on_refuses_bad_tokens_before_the_bot(
    locked_client: TestClient,
    connector: FakeConnector,
    sqlite_database: Database,
    authorization: str | None,
) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    response = await locked_client.post(
        "/api/messages", json=fakes.installation(connector.url), headers=headers
    )

    assert response.status == 401
    assert (await response.json())["error"] == "unauthorized"
    assert connector.sent == []
    async with sqlite_database.sessions() as session:
        assert await conversations.list_active_personal(session) == []


async def test_authentication_off_accepts_unsigned_local_traffic(
    open_client: TestClient, connector: FakeConnector
) -> None:
    response = await open_client.post("/api/messages", json=fakes.message(connector.url, "help"))

    assert response.status == 201
    assert len(connector.sent) == 1


async def test_health_and_readiness(open_client: TestClient, sdk: Sdk) -> None:
    health = await open_client.get("/healthz")
    ready = await open_client.get("/readyz")

    assert (health.status, await health.json()) == (200, {"status": "ok"})
    assert (ready.status, await ready.json()) == (
        200,
        {
            "status": "ready",
            "database": "ok",
            "scheduler": "running",
            "authentication": "off",
            "sdk": sdk.value,
        },
    )


async def test_not_ready_when_the_database_is_unreachable(make_client: StartClient) -> None:
    client = await make_client(
        Settings(dev_no_auth=True, database_url="postgresql+asyncpg://nobody@127.0.0.1:9/nothing")
    )

    response = await client.get("/readyz")

    assert response.status == 503
    assert (await response.json())["database"] == "unreachable"
    assert (await client.get("/healthz")).status == 200


async def test_turn_error_apologises_with_a_reference_and_logs_it(
    tmp_path: Path,
    connector: FakeConnector,
    make_client: StartClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A database with no tables makes every turn fail inside the bot.
    client = await make_client(Settings(dev_no_auth=True, database_url=sqlite_url(tmp_path)))

    response = await client.post(
        "/api/messages", json=fakes.message(connector.url, "help for case ZX-991")
    )

    assert response.status == 201
    [apology] = connector.sent
    assert apology["text"].startswith("Sorry, something went wrong on my side")
    reference = apology["text"].rsplit("reference: ", 1)[1].rstrip(".")
    [record] = [r for r in caplog.records if r.name == "bot.teams_bot"]
    assert reference in record.getMessage()
    # The failure is described by its types and stack, never by messages that may quote input.
    assert "OperationalError at " in record.getMessage()
    assert record.exc_info is None
    assert "ZX-991" not in caplog.text


async def test_every_answer_names_no_server_version_and_allows_no_framing(
    open_client: TestClient,
) -> None:
    for response in (await open_client.get("/healthz"), await open_client.get("/nothing")):
        assert response.headers["Server"] == "Inspection Ready"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


async def test_a_head_request_cannot_use_up_an_export_link(open_client: TestClient) -> None:
    response = await open_client.head("/exports/any-token")

    assert response.status == 405


async def test_what_start_up_built_is_kept_out_of_the_collectors_way_until_cleanup(
    sqlite_database: Database,
) -> None:
    # A full collection no longer walks the knowledge index and the rest, every second.
    gc.unfreeze()
    app = create_app(Settings(dev_no_auth=True, database_url=sqlite_database.url))
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        assert gc.get_freeze_count() > 10_000
    finally:
        await runner.cleanup()
    assert gc.get_freeze_count() == 0
