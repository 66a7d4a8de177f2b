"""Nothing people type, no case reference and no link token reaches a log record, at any level."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from aiohttp.log import access_logger
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from bot.app import create_app
from bot.settings import Settings
from demo.loader import DEMO_ANCHOR, load_demo
from dialogs import ask_dialog
from notifications.gov_notify import GovNotify
from store.db import Database
from teams.botbuilder.edge import SdkConfiguration
from tests import fakes
from tests.cards import buttons
from tests.chat import NOW, PEOPLE, as_, card
from tests.fakes import FakeConnector

SENTINEL = "Zebra-Quokka-7731"
CASE_REF = re.compile(r"CR-\d{6}")


def everything_logged(records: list[logging.LogRecord]) -> str:
    """Every message, traceback and attached value of the records, as one text."""
    formatter = logging.Formatter()
    parts = []
    for record in records:
        parts.append(record.getMessage())
        if record.exc_info:
            parts.append(formatter.formatException(record.exc_info))
        parts.extend(str(value) for value in vars(record).values())
    return "\n".join(parts)


@pytest.fixture
async def logged_client(
    database: Database, connector: FakeConnector, aiohttp_client: Any
) -> TestClient:
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
    for member in PEOPLE.values():
        connector.add_member(member)
    app = create_app(Settings(dev_no_auth=True, database_url=database.url), clock=lambda: NOW)
    # The access log on, as `serve` (web.run_app) has it.
    client: TestClient = await aiohttp_client(TestServer(app, access_log=access_logger))
    return client


async def post(client: TestClient, body: dict[str, Any]) -> int:
    return (await client.post("/api/messages", json=body)).status


async def test_turns_and_failures_leave_no_typed_text_in_any_log_record(
    logged_client: TestClient,
    connector: FakeConnector,
    database: Database,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    client, url = logged_client, connector.url
    adele = as_("adelev")
    # A list of audits, whose cards carry case references; one of them is typed below.
    assert await post(client, fakes.message(url, "my audits", **as_("meganb"))) == 201
    case_ref = CASE_REF.search(json.dumps(connector.sent[-1])).group(0)  # type: ignore[union-attr]
    # A question nobody can answer, so it is stored (and so bound to SQL).
    question = f"is {SENTINEL} allowed for {case_ref}?"
    assert await post(client, fakes.message(url, question, **adele)) == 201
    # A button press with typed evidence, and a forged press whose verb is typed text.
    assert await post(client, fakes.message(url, "my actions", **adele)) == 201
    opened = buttons(card(connector.sent[-1]))["Open"]
    await post(client, fakes.activity("message", url, value=opened, **adele))
    complete = buttons(card(connector.sent[-1]))["Save as complete"]
    note = {"evidence_note": f"seen {SENTINEL} about {case_ref}"}
    for data in ({**complete, **note}, {"action": f"{SENTINEL} {case_ref}", "id": 1}):
        assert await post(client, fakes.activity("message", url, value=data, **adele)) == 201
    completed = connector.sent[-2]
    # A turn that fails deep in the database, with the typed text bound to the statement.
    failing = f"why does {SENTINEL} fail for {case_ref}"

    async def fail(session: Any, _knowledge: Any, asked: str, *_args: Any) -> None:
        # PostgreSQL's own message quotes the value; SQLite's names the statement.
        cast = "CAST(:q AS INTEGER)" if database.url.startswith("postgresql") else ":q + nope"
        await session.execute(text(f"SELECT {cast}"), {"q": asked})

    monkeypatch.setattr(ask_dialog, "ask", fail)
    assert await post(client, fakes.message(url, failing, **adele)) == 201
    apology = connector.sent[-1]["text"]
    # An export link, refused, with a token that must not be kept either.
    missing = await client.get(f"/exports/{SENTINEL}-token")

    assert SENTINEL in json.dumps(completed)
    assert apology.startswith("Sorry, something went wrong on my side")
    assert missing.status == 404
    logged = everything_logged(caplog.records)
    assert "Turn failed" in logged
    assert "/exports/[redacted]" in logged
    assert SENTINEL not in logged
    assert case_ref not in logged


async def test_an_unhandled_error_outside_a_turn_is_logged_without_its_message(
    logged_client: TestClient,
    connector: FakeConnector,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)

    def explode(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError(f"could not handle {SENTINEL}")

    monkeypatch.setattr("bot.routes.refusal", explode)
    response = await logged_client.post(
        "/api/messages", json=fakes.message(connector.url, SENTINEL)
    )

    assert response.status == 500
    assert "correlation_id" in await response.json()
    logged = everything_logged(caplog.records)
    assert "Unhandled error" in logged
    assert "builtins.RuntimeError at " in logged
    assert SENTINEL not in logged


def test_no_secret_is_in_the_reprs_that_tracebacks_and_logs_show() -> None:
    settings = Settings(app_id="app", app_password="hunter2-secret", dev_no_auth=False)
    configuration = SdkConfiguration("app", "hunter2-secret", "SingleTenant", "tenant")

    assert "hunter2-secret" not in repr(settings)
    assert "hunter2-secret" not in repr(configuration)


async def test_the_engines_hide_bound_parameters(database: Database) -> None:
    assert database.engine.sync_engine.hide_parameters is True


async def test_an_acknowledge_link_token_is_never_logged(
    logged_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = f"{SENTINEL}-{'a' * 30}"

    opened = await logged_client.get(f"/ack/{token}")
    pressed = await logged_client.post(f"/ack/{token}")

    assert (opened.status, pressed.status) == (404, 404)
    logged = everything_logged(caplog.records)
    assert "/ack/[redacted]" in logged
    assert SENTINEL not in logged


def test_the_notify_key_is_in_no_repr() -> None:
    secret = "3d844edf-8d35-48ac-975b-e847b4f122b0"
    key = f"live-26785a09-ab16-4eb0-8407-a37497a57506-{secret}"
    settings = Settings.from_env(
        {
            "INSPECTION_READY_NOTIFY_API_KEY": key,
            "INSPECTION_READY_NOTIFY_SMS_TEMPLATE": "f33517ff-2a88-4f6e-b855-c550268ce08a",
            "INSPECTION_READY_PUBLIC_URL": "https://ir.example.gov.uk",
        }
    )

    assert secret not in repr(settings)
    assert secret not in repr(GovNotify(key))
