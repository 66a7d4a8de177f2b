"""The inspection call by SMS and email, end to end: Teams, a fake GOV.UK Notify, the link.

Those the alert cannot reach in Teams (no chat with the bot, or they blocked it) get an SMS
and an email with a personal link; opening the link changes nothing, pressing its button
acknowledges once, and standing the call down withdraws what has not gone yet.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select, update

from bot.keys import NOTIFICATIONS
from bot.settings import Settings
from demo.loader import DEMO_ANCHOR, load_demo
from notifications.gov_notify import NotifyConfig
from store.db import Database
from store.models import (
    AuditLogEntry,
    CallAckLink,
    CallRecipient,
    OutboxChannel,
    OutboxMessage,
    OutboxStatus,
    Staff,
)
from tests import fakes
from tests.cards import buttons, facts, words
from tests.chat import PEOPLE, as_, card
from tests.chat import press_in_chat as press
from tests.clocks import Clock
from tests.fake_notify import EMAIL_TEMPLATE, SMS_TEMPLATE, FakeNotify
from tests.fakes import FakeConnector

StartClient = Callable[..., Awaitable[TestClient]]
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday 25 November 2026
FORM = {"action": "call_preview", "inspection_type": "ilacs_short", "on_site": "2026-11-30"}
PUBLIC = "https://ir.example.gov.uk"
RECIPIENTS = 29  # the demo roster but the coordinator who calls
IN_TEAMS = 4  # the playground people with the app, but the caller
# Two people without the app have a mobile on the roster as well as their email address.
MOBILES = {"lynner@example.com": "+447700900123", "joannef@example.com": "+447700900456"}


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def client(
    database: Database,
    connector: FakeConnector,
    notify: FakeNotify,
    make_client: StartClient,
    clock: Clock,
) -> TestClient:
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
        for email, mobile in MOBILES.items():
            await session.execute(update(Staff).where(Staff.email == email).values(mobile=mobile))
    for member in PEOPLE.values():
        connector.add_member(member)
    started = await make_client(
        Settings(
            dev_no_auth=True,
            database_url=database.url,
            public_url=PUBLIC,
            notify=NotifyConfig(
                api_key=notify.api_key,
                base_url=notify.url,
                sms_template=SMS_TEMPLATE,
                email_template=EMAIL_TEMPLATE,
            ),
        ),
        clock=clock,
    )
    for name in PEOPLE:
        response = await started.post(
            "/api/messages", json=fakes.installation(connector.url, **as_(name))
        )
        assert response.status == 201
    connector.sent.clear()
    return started


async def start_call(client: TestClient, connector: FakeConnector, drill: bool) -> list[Any]:
    [preview] = await press(client, connector, "alexw", {**FORM, "drill": str(drill).lower()})
    [send] = [d for title, d in buttons(card(preview)).items() if title.startswith("Send")]
    return await press(client, connector, "alexw", send)


def link_for(notification: dict[str, Any]) -> str:
    link: str = notification["personalisation"]["link"]
    assert link.startswith(f"{PUBLIC}/ack/")
    return link.removeprefix(PUBLIC)


def sent_to(notify: FakeNotify, address: str) -> dict[str, Any]:
    [found] = [
        n for n in notify.sent if address in (n.get("phone_number"), n.get("email_address"))
    ]
    return found


async def acknowledged(database: Database, email: str) -> datetime | None:
    async with database.sessions() as session:
        moment: datetime | None = (
            await session.execute(
                select(CallRecipient.acknowledged_at)
                .join(Staff, Staff.id == CallRecipient.staff_id)
                .where(Staff.email == email)
            )
        ).scalar_one()
        return moment


async def rows(database: Database, *where: Any) -> int:
    async with database.sessions() as session:
        query = select(func.count()).select_from(OutboxMessage).where(*where)
        return int((await session.execute(query)).scalar_one())


def fact_values(activity: dict[str, Any]) -> dict[str, str]:
    return facts(card(activity))


async def test_the_preview_says_who_gets_an_sms_or_email_instead(
    client: TestClient, connector: FakeConnector
) -> None:
    [preview] = await press(client, connector, "alexw", {**FORM, "drill": "true"})
    shown = " | ".join(words(card(preview)))
    told = fact_values(preview)

    assert told["Will get it in Teams"] == f"{IN_TEAMS} of {RECIPIENTS}"
    unreached = RECIPIENTS - IN_TEAMS
    assert told["Will get it by SMS or email instead"] == (
        f"{unreached} of the {unreached} who cannot be reached in Teams"
    )
    assert f"2 by SMS and {unreached} by email, each with a personal link" in shown
    assert "Will not get it" not in shown
    assert (
        f"Send the DRILL alert to {IN_TEAMS} people in Teams and {unreached} by SMS or email"
        in (buttons(card(preview)))
    )


async def test_those_teams_cannot_reach_acknowledge_by_link_once(
    client: TestClient,
    connector: FakeConnector,
    notify: FakeNotify,
    database: Database,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    # Isaiah has the app but has blocked the bot: Teams refuses his alert with a 403.
    connector.blocked.add("a:personal-isaiahl")
    replies = await start_call(client, connector, drill=True)
    status_id = replies[1]["_sent_id"]
    notifications = client.app[NOTIFICATIONS]
    await notifications.drain()
    await notifications.watch_calls()  # sees Isaiah's refused alert: his email is queued
    await notifications.drain()

    unreached = RECIPIENTS - IN_TEAMS
    assert len(notify.of_type("email")) == unreached + 1  # and Isaiah
    assert sorted(n["phone_number"] for n in notify.of_type("sms")) == sorted(MOBILES.values())
    assert sent_to(notify, "isaiahl@example.com")["personalisation"]["message"].startswith(
        "DRILL: Inspection call: ILACS short inspection"
    )
    assert notify.refused == []
    sms = sent_to(notify, MOBILES["lynner@example.com"])
    assert sms["body"].startswith("DRILL: Inspection call: ILACS short inspection")
    assert sms["personalisation"]["drill"] == "yes"
    assert sms["reference"].startswith("inspection-call-1-")
    texted, mailed = link_for(sms), link_for(sent_to(notify, "lynner@example.com"))
    assert texted != mailed

    # Opening the link (a person, a link scanner, a preview) acknowledges nothing.
    clock.now = NOW + timedelta(minutes=4)
    opened = await client.get(texted)
    page = await opened.text()
    assert opened.status == 200
    assert "For Lynne Robbins." in page
    assert '<form method="post"><button type="submit">Acknowledge</button></form>' in page
    assert "DRILL: this is a practice" in page
    assert opened.headers["Referrer-Policy"] == "no-referrer"
    assert opened.headers["X-Content-Type-Options"] == "nosniff"
    assert "form-action 'self'" in opened.headers["Content-Security-Policy"]
    assert opened.headers["Cache-Control"] == "no-store"
    assert (await client.head(texted)).status == 200
    assert await acknowledged(database, "lynner@example.com") is None

    # Pressing its button does, as Acknowledge in Teams does.
    pressed = await client.post(texted)
    assert pressed.status == 200
    assert "Acknowledged at 09:04. Thank you." in await pressed.text()
    assert await acknowledged(database, "lynner@example.com") == NOW + timedelta(minutes=4)
    async with database.sessions() as session:
        entries = (
            (
                await session.execute(
                    select(AuditLogEntry).where(AuditLogEntry.field == "acknowledged")
                )
            )
            .scalars()
            .all()
        )
        used = (
            await session.execute(select(CallAckLink).where(CallAckLink.used_at.is_not(None)))
        ).scalar_one()
    assert [(e.actor, e.entity, e.new_value) for e in entries] == [
        ("lynner@example.com", "inspection_call", (NOW + timedelta(minutes=4)).isoformat())
    ]
    assert used.used_from == "127.0.0.1"

    # The link cannot be used again; her other link shows the time that stands.
    clock.now = NOW + timedelta(minutes=6)
    again, reopened = await client.post(texted), await client.get(texted)
    assert (again.status, reopened.status) == (410, 410)
    assert "This link has been used already" in await again.text()
    assert "You acknowledged this at 09:04; that time stands." in await reopened.text()
    other = await client.post(mailed)
    assert other.status == 200
    assert "You acknowledged this at 09:04; that time stands." in await other.text()
    assert await acknowledged(database, "lynner@example.com") == NOW + timedelta(minutes=4)
    unknown = await client.get("/ack/" + "x" * 43)
    malformed = await client.post("/ack/not a token")
    assert (unknown.status, malformed.status) == (404, 404)
    assert "This link is not recognised" in await unknown.text()

    # The status card shows her acknowledged, and what went by SMS and email.
    connector.updated.clear()
    await notifications.watch_calls()
    [refreshed] = [u for u in connector.updated if u["_updated_id"] == status_id]
    told = fact_values(refreshed)
    assert told["Acknowledged"] == f"1 of {RECIPIENTS}"
    assert told["By SMS"] == "2 sent, 0 failed"
    assert told["By email"] == f"{unreached + 1} sent, 0 failed"
    assert told["Failed"] == "1"  # Isaiah's alert in Teams
    assert "Lynne Robbins" not in " | ".join(words(card(refreshed)))

    # The export says, for each person, what went by SMS and email.
    export = buttons(card(replies[1]))["Export acknowledgements (CSV)"]
    [_, link_card] = await press(client, connector, "alexw", export)
    url = card(link_card)["actions"][0]["url"].removeprefix(PUBLIC)
    exported = {
        r["email"]: r for r in csv.DictReader(io.StringIO(await (await client.get(url)).text()))
    }
    assert (
        exported["lynner@example.com"]["sms_status"],
        exported["lynner@example.com"]["email_status"],
    ) == ("sent", "sent")
    assert exported["isaiahl@example.com"]["alert_status"] == "failed"
    assert (
        exported["isaiahl@example.com"]["sms_status"],
        exported["isaiahl@example.com"]["email_status"],
    ) == ("", "sent")
    assert exported["adelev@example.com"]["email_status"] == ""

    # No link's token is in any log line.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for notification in notify.sent:
        assert notification["personalisation"]["link"].rsplit("/", 1)[1] not in logged
    assert "acknowledged by link" in logged


async def test_the_silent_get_it_after_the_first_reminder_and_stand_down_withdraws_it(
    client: TestClient,
    connector: FakeConnector,
    notify: FakeNotify,
    database: Database,
    clock: Clock,
) -> None:
    replies = await start_call(client, connector, drill=False)
    notifications = client.app[NOTIFICATIONS]
    await notifications.drain()
    [old_link] = [
        link_for(n) for n in notify.sent if n.get("email_address") == "lynner@example.com"
    ]
    emails_before = len(notify.of_type("email"))
    assert notifications.call_watch is not None

    # Before the first reminder round those Teams reached are left to acknowledge there.
    clock.now = NOW + timedelta(minutes=14)
    await notifications.call_watch.chase()
    assert await rows(database, OutboxMessage.status == OutboxStatus.PENDING) == 0
    # From it, everyone still silent gets an email too (queued, not yet sent).
    clock.now = NOW + timedelta(minutes=15)
    await notifications.call_watch.chase()
    pending_fallbacks = (
        OutboxMessage.status == OutboxStatus.PENDING,
        OutboxMessage.channel != OutboxChannel.TEAMS,
    )
    assert await rows(database, *pending_fallbacks) == IN_TEAMS
    async with database.sessions() as session:
        payloads = (
            await session.execute(select(OutboxMessage.payload).where(*pending_fallbacks))
        ).scalars()
        assert all("You have not acknowledged yet" in p["message"] for p in payloads)

    stand_down = buttons(card(replies[1]))["Yes, stand the alert down"]
    [ended] = await press(client, connector, "alexw", stand_down)
    await notifications.drain()

    assert await rows(database, *pending_fallbacks) == 0
    assert await rows(database, OutboxMessage.channel == OutboxChannel.EMAIL) == emails_before
    assert len(notify.of_type("email")) == emails_before
    notice = " | ".join(words(card(ended)))
    assert re.search(r"\d+ messages not yet sent were withdrawn", notice)
    # A link expires with its call.
    opened, pressed = await client.get(old_link), await client.post(old_link)
    assert (opened.status, pressed.status) == (410, 410)
    assert "This alert has been stood down" in await pressed.text()
    assert await acknowledged(database, "lynner@example.com") is None


async def test_without_notify_the_preview_and_status_say_there_is_no_fallback(
    database: Database, connector: FakeConnector, make_client: StartClient, clock: Clock
) -> None:
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
    for member in PEOPLE.values():
        connector.add_member(member)
    client = await make_client(
        Settings(dev_no_auth=True, database_url=database.url, public_url=PUBLIC), clock=clock
    )
    for name in PEOPLE:
        await client.post("/api/messages", json=fakes.installation(connector.url, **as_(name)))

    [preview] = await press(client, connector, "alexw", {**FORM, "drill": "false"})
    [_, status] = (await start_call(client, connector, drill=False))[:2]
    shown = words(card(preview))

    assert "Will get it by SMS or email instead" not in fact_values(preview)
    assert "No SMS or email goes to them instead: GOV.UK Notify is not set up." in shown
    assert f"Send the alert to {IN_TEAMS} people in Teams" in buttons(card(preview))
    assert fact_values(status)["By SMS or email"] == "off: GOV.UK Notify is not set up"
    assert any("There is no SMS or email fallback" in w for w in words(card(status)))
    assert await rows(database, OutboxMessage.channel != OutboxChannel.TEAMS) == 0
