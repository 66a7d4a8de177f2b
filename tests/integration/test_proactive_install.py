"""Installing the app through Graph while the inspection call's alerts go out, against
fakes of Graph and the identity platform: the preview, the installs, and no alert lost."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.keys import BROADCAST, CALL_INSTALLS, NOTIFICATIONS
from bot.settings import Settings
from demo.loader import DEMO_ANCHOR, load_demo
from notifications.gov_notify import NotifyConfig
from notifications.installation import ENTITY, Installer
from store.db import Database
from store.models import AuditLogEntry, ConversationReference, OutboxMessage, Staff
from store.repositories import calls
from store.repositories.staff import find_by_email
from tests import fakes
from tests.cards import buttons, words
from tests.chat import MEMBERS, PEOPLE, as_, card
from tests.chat import press_in_chat as press
from tests.clocks import Clock
from tests.fake_microsoft import (
    CLIENT_ID,
    CLIENT_SECRET,
    FakeMicrosoft,
    GraphUser,
    running_microsoft,
)
from tests.fake_notify import EMAIL_TEMPLATE, FakeNotify
from tests.fakes import FakeConnector
from tests.waiting import until

StartClient = Callable[..., Awaitable[TestClient]]
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
ROSTER = 30
FORM = {"action": "call_preview", "inspection_type": "ilacs_short", "on_site": "2026-11-30"}
RACHEL = "5a1b2c3d-0000-4000-8000-000000000101"
TOM = "5a1b2c3d-0000-4000-8000-000000000102"
SUNITA = "5a1b2c3d-0000-4000-8000-000000000103"
LYNNE = MEMBERS["lynner"].aad_object_id


@pytest.fixture
async def microsoft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FakeMicrosoft]:
    async with running_microsoft(tmp_path, monkeypatch) as fakes_:
        graph = fakes_.graph
        # Rachel is installed for at once; Tom has the app already (409); Sunita's install is
        # refused by policy (403); Lynne's installation is not listed yet, so only Teams'
        # installation activity says where her chat is. Nobody else is in the directory.
        graph.add_user(GraphUser(RACHEL, "rachelo@example.com"))
        graph.add_user(GraphUser(TOM, "tomw@example.com", installed=True))
        graph.add_user(GraphUser(SUNITA, "sunitap@example.com", refuse=403))
        graph.add_user(GraphUser(LYNNE, "lynner@example.com", visible=False))
        yield fakes_


async def start(
    database: Database,
    connector: FakeConnector,
    make_client: StartClient,
    settings: Settings,
) -> TestClient:
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
    for member in MEMBERS.values():
        connector.add_member(member)
    client = await make_client(settings, clock=Clock(NOW))
    for name in PEOPLE:
        response = await client.post(
            "/api/messages", json=fakes.installation(connector.url, **as_(name))
        )
        assert response.status == 201
    connector.sent.clear()
    return client


@pytest.fixture
async def client(
    database: Database,
    connector: FakeConnector,
    make_client: StartClient,
    microsoft: FakeMicrosoft,
) -> TestClient:
    settings = Settings(dev_no_auth=True, database_url=database.url, graph=microsoft.config())
    return await start(database, connector, make_client, settings)


def texts(activity: dict[str, Any]) -> str:
    return " | ".join(words(card(activity)))


def facts(activity: dict[str, Any]) -> dict[str, str]:
    return {f["title"]: f["value"] for e in card(activity)["body"] for f in e.get("facts", [])}


async def alerts(database: Database) -> dict[str, OutboxMessage]:
    async with database.sessions() as session:
        rows = await session.execute(
            select(Staff.email, OutboxMessage)
            .join(Staff, Staff.id == OutboxMessage.recipient_id)
            .where(OutboxMessage.kind == "call_alert")
        )
        return {email: message for email, message in rows}


def delivered_to(connector: FakeConnector) -> list[str]:
    return [a["_conversation_id"] for a in connector.sent if a.get("importance") == "high"]


async def test_the_preview_says_who_will_be_installed_and_nothing_is_installed_yet(
    client: TestClient, connector: FakeConnector, microsoft: FakeMicrosoft
) -> None:
    [preview] = await press(client, connector, "alexw", {**FORM, "drill": "false"})
    shown = texts(preview)

    assert facts(preview)["Will get it in Teams"] == (
        f"4 of {ROSTER - 1} now, and 25 once the app is installed for them"
    )
    assert (
        "25 will be installed now: they have no chat with the app yet. Confirming sends "
        "everyone else's alert at once and installs the app for them alongside; each of their "
        "alerts follows as soon as it is installed for them." in shown
    )
    assert "Send the alert to 29 people in Teams (25 once the app is installed)" in buttons(
        card(preview)
    )
    assert "Will not get it" not in shown
    # A preview asks Graph nothing and changes nothing.
    assert microsoft.graph.seen == []
    assert microsoft.identity.seen == []


async def confirm(client: TestClient, connector: FakeConnector) -> list[dict[str, Any]]:
    """Previews and sends the alert as Alex; the sent card and the status card."""
    [preview] = await press(client, connector, "alexw", {**FORM, "drill": "false"})
    [send] = [d for t, d in buttons(card(preview)).items() if t.startswith("Send")]
    return await press(client, connector, "alexw", send)


async def test_confirming_alerts_everyone_with_a_chat_and_installs_for_the_rest_alongside(
    client: TestClient, connector: FakeConnector, database: Database, microsoft: FakeMicrosoft
) -> None:
    sent_card, status = await confirm(client, connector)
    # When the call is confirmed, all 25 alerts wait for the installations.
    assert facts(status)["Waiting for the app to be installed"] == "25"
    await client.app[CALL_INSTALLS].wait()
    await client.app[NOTIFICATIONS].drain()
    queued = await alerts(database)

    outcome = texts(sent_card)
    assert (
        "Sent at 09:00. The live status card follows. The app is being installed for 25 "
        "people with no chat with it yet; the status card shows how that goes." in outcome
    )
    assert "25 more will get it as soon as the app is installed for them." in outcome
    assert facts(sent_card)["Will get it in Teams"] == (
        f"4 of {ROSTER - 1} now, and 25 once the app is installed for them"
    )
    # Installed for through Graph: Rachel (new) and Tom (already), by the chat Graph gave.
    chat = f"19:{{}}_{CLIENT_ID}@unq.gbl.spaces"
    assert sorted(delivered_to(connector)) == sorted(
        [f"a:personal-{name}" for name in PEOPLE if name != "alexw"]
        + [chat.format(RACHEL), chat.format(TOM)]
    )
    assert str(queued["rachelo@example.com"].status) == "sent"
    assert str(queued["tomw@example.com"].status) == "sent"
    # Lynne's alert waits for her chat instead of being marked unreachable.
    lynne = queued["lynner@example.com"]
    assert str(lynne.status) == "pending"
    assert lynne.next_attempt_at == NOW + timedelta(minutes=2)
    # Those it could not be installed for are let go at once: unreachable in Teams.
    assert str(queued["sunitap@example.com"].status) == "unreachable"
    assert str(queued["aishar@example.com"].status) == "unreachable"
    unreachable = [e for e, m in queued.items() if str(m.status) == "unreachable"]
    assert len(unreachable) == 22
    # The installs were asked for by object id; those without one were looked up first.
    assert sorted(microsoft.graph.installs()) == sorted([RACHEL, TOM, SUNITA, LYNNE])
    # The status card, as it is refreshed: Lynne is the one still waiting.
    async with database.sessions() as session:
        call = await calls.active_call(session)
        assert call is not None
        shown = await client.app[BROADCAST].status(session, call)
    assert shown["context"]["installing"] == 1
    assert shown["context"]["unreachable"] == 22


async def test_the_alerts_of_those_with_a_chat_do_not_wait_for_the_installations(
    client: TestClient, connector: FakeConnector, database: Database, microsoft: FakeMicrosoft
) -> None:
    graph_answers = asyncio.Event()

    async def slow_graph() -> None:
        await graph_answers.wait()

    microsoft.graph.users[RACHEL].on_install = slow_graph
    await confirm(client, connector)
    # Tom's app was installed already: his chat is found while Rachel's installation waits,
    # and his alert is let go when it is (in the background, so it is waited for).
    await until(lambda: chat_of(TOM) in delivered_to(connector))
    await client.app[NOTIFICATIONS].drain()

    # Rachel's installation has not finished, and everyone with a chat has the alert.
    assert chat_of(RACHEL) not in delivered_to(connector)
    assert sorted(delivered_to(connector)) == sorted(
        [f"a:personal-{name}" for name in PEOPLE if name != "alexw"] + [chat_of(TOM)]
    )
    graph_answers.set()
    await client.app[CALL_INSTALLS].wait()
    await client.app[NOTIFICATIONS].drain()
    assert delivered_to(connector).count(chat_of(RACHEL)) == 1
    assert str((await alerts(database))["rachelo@example.com"].status) == "sent"


def chat_of(object_id: str) -> str:
    """The chat the fake Graph gives for a user's installation."""
    return f"19:{object_id}_{CLIENT_ID}@unq.gbl.spaces"


async def test_an_alert_held_for_an_installation_goes_when_teams_announces_it(
    client: TestClient, connector: FakeConnector, database: Database, microsoft: FakeMicrosoft
) -> None:
    await confirm(client, connector)
    await client.app[CALL_INSTALLS].wait()
    await client.app[NOTIFICATIONS].drain()
    assert "a:personal-lynner" not in delivered_to(connector)

    # Teams tells the bot of the installation Graph made, as it does for any install.
    for activity in (fakes.installation, fakes.bot_added):
        response = await client.post(
            "/api/messages", json=activity(connector.url, **as_("lynner"))
        )
        assert response.status == 201
    await client.app[NOTIFICATIONS].drain()
    queued = await alerts(database)

    assert delivered_to(connector).count("a:personal-lynner") == 1
    assert str(queued["lynner@example.com"].status) == "sent"
    # She is greeted too, once, as anyone who installs the app is.
    greetings = [
        a
        for a in connector.sent
        if a["_conversation_id"] == "a:personal-lynner" and a.get("importance") != "high"
    ]
    assert len(greetings) == 1


async def test_an_installation_announced_while_others_install_is_not_held(
    client: TestClient, connector: FakeConnector, database: Database, microsoft: FakeMicrosoft
) -> None:
    lynne = microsoft.graph.users[LYNNE]

    async def teams_announces_it() -> None:
        # Teams posts the installation activity before Graph has answered the install.
        response = await client.post(
            "/api/messages", json=fakes.installation(connector.url, **as_("lynner"))
        )
        assert response.status == 201

    lynne.on_install = teams_announces_it
    await confirm(client, connector)
    await client.app[CALL_INSTALLS].wait()
    await client.app[NOTIFICATIONS].drain()
    queued = await alerts(database)

    # Let go when Teams announced it, not two minutes after the call.
    assert queued["lynner@example.com"].next_attempt_at == NOW
    assert str(queued["lynner@example.com"].status) == "sent"
    assert delivered_to(connector).count("a:personal-lynner") == 1


async def test_every_outcome_is_in_the_audit_log_and_refusals_are_remembered(
    client: TestClient, connector: FakeConnector, database: Database, microsoft: FakeMicrosoft
) -> None:
    installer = Installer(microsoft.config())
    async with database.sessions() as session, session.begin():
        people = [
            p
            for p in [
                await find_by_email(session, email)
                for email in ("rachelo@example.com", "sunitap@example.com", "kwamem@example.com")
            ]
            if p is not None
        ]
        outcomes = await installer.install(session, people, actor="alexw@example.com")
    async with database.sessions() as session:
        logged = (
            (await session.execute(select(AuditLogEntry).where(AuditLogEntry.entity == ENTITY)))
            .scalars()
            .all()
        )
        stored = (
            await session.execute(
                select(ConversationReference).where(
                    ConversationReference.user_aad_object_id == RACHEL
                )
            )
        ).scalar_one()

    assert [o.result.value for o in outcomes] == [
        "installed",
        "could not be installed",
        "could not be installed",
    ]
    assert sorted((e.entity_key, e.new_value, e.actor) for e in logged) == [
        ("kwamem@example.com", f"could not be installed: {NOT_IN_TENANT}", "alexw@example.com"),
        ("rachelo@example.com", "installed", "alexw@example.com"),
        (
            "sunitap@example.com",
            "could not be installed: not allowed (HTTP 403: Forbidden: App installation is "
            "blocked by policy.)",
            "alexw@example.com",
        ),
    ]
    # The chat Graph gave, as a reference an installation activity would have stored.
    assert stored.conversation_id == f"19:{RACHEL}_{CLIENT_ID}@unq.gbl.spaces"
    assert stored.active
    assert stored.reference["service_url"] == connector.url
    assert stored.reference["conversation_kind"] == "personal"
    assert stored.reference["tenant_id"] == fakes.TENANT_ID
    assert stored.reference["bot_id"] == fakes.BOT_ID

    [preview] = await press(client, connector, "alexw", {**FORM, "drill": "false"})
    shown = texts(preview)
    assert facts(preview)["Will get it in Teams"] == (
        f"5 of {ROSTER - 1} now, and 22 once the app is installed for them"
    )
    assert (
        "2 cannot be installed (1 not allowed, 1 not found in your tenant); "
        "`inspection-ready install-for-roster` tries them again." in shown
    )
    assert "Will not get it: 2 cannot be reached in Teams" in shown

    # A new object id in the roster is worth another try.
    async with database.sessions() as session, session.begin():
        kwame = await find_by_email(session, "kwamem@example.com")
        assert kwame is not None
        kwame.aad_object_id = "5a1b2c3d-0000-4000-8000-000000000104"
    [preview] = await press(client, connector, "alexw", {**FORM, "drill": "false"})
    assert "1 cannot be installed (1 not allowed)" in texts(preview)


NOT_IN_TENANT = (
    "not found in your tenant (looked up by their email address: give their object id in "
    "the staff file's aad_object_id column)"
)


async def test_without_a_catalogue_app_id_the_preview_says_installation_is_off(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> None:
    settings = Settings(dev_no_auth=True, database_url=database.url)
    client = await start(database, connector, make_client, settings)

    [preview] = await press(client, connector, "alexw", {**FORM, "drill": "false"})
    shown = texts(preview)

    assert facts(preview)["Will get it in Teams"] == f"4 of {ROSTER - 1}"
    assert (
        "Installing the app through Microsoft Graph is off: INSPECTION_READY_CATALOG_APP_ID "
        "is not set (see docs/deploy.md)." in shown
    )
    assert "will be installed now" not in shown


async def test_throttling_during_the_call_is_waited_out_within_its_time(
    client: TestClient, connector: FakeConnector, database: Database, microsoft: FakeMicrosoft
) -> None:
    microsoft.graph.users[RACHEL].throttle = [(429, "1")]
    await confirm(client, connector)
    await client.app[CALL_INSTALLS].wait()
    await client.app[NOTIFICATIONS].drain()

    assert microsoft.graph.installs().count(RACHEL) == 2
    assert f"19:{RACHEL}_{CLIENT_ID}@unq.gbl.spaces" in delivered_to(connector)


async def test_neither_the_secret_nor_a_token_is_ever_logged(
    client: TestClient,
    connector: FakeConnector,
    database: Database,
    microsoft: FakeMicrosoft,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    microsoft.graph.users[RACHEL].throttle = [(429, "0")]
    await confirm(client, connector)
    await client.app[CALL_INSTALLS].wait()

    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''} {vars(r)}" for r in caplog.records)
    assert microsoft.identity.issued
    assert CLIENT_SECRET not in logged
    assert not [token for token in microsoft.identity.issued if token in logged]


async def test_a_fault_in_installing_never_stops_the_alert(
    client: TestClient,
    connector: FakeConnector,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(self: object, user_id: str) -> bool:
        raise RuntimeError("a bug")

    monkeypatch.setattr("teams.graph.GraphClient.install", broken)
    sent_card, _ = await confirm(client, connector)
    await client.app[CALL_INSTALLS].wait()
    await client.app[NOTIFICATIONS].drain()
    queued = await alerts(database)

    assert "Sent at 09:00. The live status card follows." in texts(sent_card)
    assert len(queued) == ROSTER - 1
    assert len(delivered_to(connector)) == 4
    # Not installed, so let go at once: unreachable in Teams, not held for two minutes.
    assert str(queued["rachelo@example.com"].status) == "unreachable"
    async with database.sessions() as session:
        logged = await session.scalars(
            select(AuditLogEntry.new_value).where(
                AuditLogEntry.entity == ENTITY, AuditLogEntry.entity_key == "rachelo@example.com"
            )
        )
        assert list(logged) == ["not installed yet: an unexpected error (RuntimeError)"]


async def test_someone_the_app_cannot_be_installed_for_gets_email_at_once(
    database: Database,
    connector: FakeConnector,
    make_client: StartClient,
    microsoft: FakeMicrosoft,
    notify: FakeNotify,
) -> None:
    settings = Settings(
        dev_no_auth=True,
        database_url=database.url,
        graph=microsoft.config(),
        public_url="https://ir.example.gov.uk",
        notify=NotifyConfig(
            api_key=notify.api_key, base_url=notify.url, email_template=EMAIL_TEMPLATE
        ),
    )
    client = await start(database, connector, make_client, settings)
    await confirm(client, connector)
    await client.app[CALL_INSTALLS].wait()
    await client.app[NOTIFICATIONS].drain()

    emailed = {n["email_address"] for n in notify.of_type("email")}
    # Refused (Sunita) or not in the tenant (21): by email, with the clock still at the
    # call's minute, not when the two-minute hold would have ended.
    assert "sunitap@example.com" in emailed
    assert "aishar@example.com" in emailed
    assert len(emailed) == 22
    # Installed for, in Teams; Lynne's chat is not known yet, so she still waits for it.
    assert not emailed & {"rachelo@example.com", "tomw@example.com", "lynner@example.com"}


async def test_someone_who_had_the_app_but_no_chat_to_be_found_is_not_held(
    client: TestClient, connector: FakeConnector, database: Database, microsoft: FakeMicrosoft
) -> None:
    # Graph says 409 (installed already) and lists no installation to find the chat by:
    # Teams announces nothing for an app already there, so nothing would let her go.
    microsoft.graph.users[TOM].visible = False
    await confirm(client, connector)
    await client.app[CALL_INSTALLS].wait()
    await client.app[NOTIFICATIONS].drain()
    tom = (await alerts(database))["tomw@example.com"]

    assert str(tom.status) == "unreachable"
    assert tom.next_attempt_at == NOW


async def test_a_failed_write_holds_back_no_one_else(
    client: TestClient,
    connector: FakeConnector,
    database: Database,
    microsoft: FakeMicrosoft,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record = Installer.record
    failed: list[int] = []

    async def once_refused(self: Installer, session: Any, found: list[Any], *, actor: str) -> None:
        if len(found) > 1 or any(a.outcome.email == "sunitap@example.com" for a in found):
            failed.append(len(found))
            raise RuntimeError("the database went away")
        await record(self, session, found, actor=actor)

    # Every write of a group fails, and Sunita's alone fails too: the rest are written.
    monkeypatch.setattr(Installer, "record", once_refused)
    graph_answers = asyncio.Event()

    async def together() -> None:
        await graph_answers.wait()

    for user in (RACHEL, TOM, SUNITA):
        microsoft.graph.users[user].on_install = together
    await confirm(client, connector)
    await asyncio.sleep(0.2)
    graph_answers.set()
    await client.app[CALL_INSTALLS].wait()
    await client.app[NOTIFICATIONS].drain()
    queued = await alerts(database)

    assert any(n > 1 for n in failed)
    assert str(queued["rachelo@example.com"].status) == "sent"
    assert str(queued["tomw@example.com"].status) == "sent"
    # Hers was not written: her alert waits for the hold to end, as it would have anyway.
    assert str(queued["sunitap@example.com"].status) == "pending"


async def test_once_the_hold_ends_nobody_is_counted_as_waiting_for_installation(
    database: Database,
    connector: FakeConnector,
    make_client: StartClient,
    microsoft: FakeMicrosoft,
) -> None:
    clock = Clock(NOW)
    settings = Settings(dev_no_auth=True, database_url=database.url, graph=microsoft.config())
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
    for member in MEMBERS.values():
        connector.add_member(member)
    client = await make_client(settings, clock=clock)
    for name in PEOPLE:
        await client.post("/api/messages", json=fakes.installation(connector.url, **as_(name)))
    await confirm(client, connector)
    await client.app[CALL_INSTALLS].wait()

    async def installing() -> int:
        async with database.sessions() as session:
            call = await calls.active_call(session)
            assert call is not None
            shown = await client.app[BROADCAST].status(session, call)
        return int(shown["context"]["installing"])

    assert await installing() == 1  # Lynne, whose chat is not known yet
    clock.now = NOW + timedelta(minutes=2)
    assert await installing() == 0


async def test_the_status_card_lists_those_teams_did_not_reach_first(
    client: TestClient, connector: FakeConnector, database: Database, microsoft: FakeMicrosoft
) -> None:
    await confirm(client, connector)
    await client.app[CALL_INSTALLS].wait()
    await client.app[NOTIFICATIONS].drain()
    async with database.sessions() as session:
        call = await calls.active_call(session)
        assert call is not None
        waiting = await calls.recipients(session, call.id, waiting_only=True, limit=22)

    # The 22 the app could not be installed for, before anyone Teams reached.
    assert {str(r.alert_status) for r in waiting} == {"unreachable"}
    assert [r.name for r in waiting] == sorted(r.name for r in waiting)
