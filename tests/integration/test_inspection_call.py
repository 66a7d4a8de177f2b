"""The inspection call in chat: trigger, preview, confirm, alerts, acks, status, export."""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.keys import NOTIFICATIONS
from bot.settings import Settings
from demo.loader import DEMO_ANCHOR, load_demo
from store.db import Database
from store.models import (
    AuditLogEntry,
    CallRecipient,
    CallStatus,
    InspectionCall,
    OutboxMessage,
    Staff,
)
from store.repositories import audit_log
from tests import fakes
from tests.cards import buttons, words
from tests.chat import PEOPLE, as_, card, installed_client
from tests.chat import press_in_chat as press
from tests.clocks import Clock
from tests.fakes import FakeConnector

StartClient = Callable[..., Awaitable[TestClient]]
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday 25 November 2026
ROSTER = 30  # demo/staff.csv; the coordinator who calls is not alerted
FORM = {"action": "call_preview", "inspection_type": "ilacs_short", "on_site": "2026-11-30"}


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient, clock: Clock
) -> TestClient:
    return await installed_client(
        database, connector, make_client, clock, public_url="https://ir.example.gov.uk"
    )


async def say(client: TestClient, connector: FakeConnector, who: str, text: str) -> list[Any]:
    before = len(connector.sent)
    response = await client.post(
        "/api/messages", json=fakes.message(connector.url, text, **as_(who))
    )
    assert response.status == 201
    return mine(connector.sent[before:], who)


def mine(activities: list[dict[str, Any]], who: str) -> list[dict[str, Any]]:
    # Alerts go out while the turn runs; keep to the conversation the turn was in.
    return [a for a in activities if a["_conversation_id"] == f"a:personal-{who}"]


async def execute(
    client: TestClient, connector: FakeConnector, who: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Action.Execute: the invoke's answer."""
    invoke = fakes.activity(
        "invoke",
        connector.url,
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": data["action"], "data": data}},
        **as_(who),
    )
    response = await client.post("/api/messages", json=invoke)
    assert response.status == 200
    body: dict[str, Any] = await response.json()
    return body


def texts(activity: dict[str, Any]) -> str:
    return " | ".join(words(card(activity)))


async def start_call(client: TestClient, connector: FakeConnector, drill: bool = False) -> Any:
    [preview] = await press(client, connector, "alexw", {**FORM, "drill": str(drill).lower()})
    confirm = buttons(card(preview))
    [send] = [data for title, data in confirm.items() if title.startswith("Send")]
    return await press(client, connector, "alexw", send)


async def count(database: Database, model: Any, *where: Any) -> int:
    async with database.sessions() as session:
        query = select(func.count()).select_from(model).where(*where)
        return (await session.execute(query)).scalar_one()


async def refusals(database: Database) -> list[AuditLogEntry]:
    async with database.sessions() as session:
        result = await session.execute(
            select(AuditLogEntry).where(AuditLogEntry.field == "refused")
        )
        return list(result.scalars())


async def test_an_inspection_role_named_in_the_setting_may_start_it(
    database: Database, connector: FakeConnector, make_client: StartClient, clock: Clock
) -> None:
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
    for member in PEOPLE.values():
        connector.add_member(member)
    environ = {
        "INSPECTION_READY_DEV_NO_AUTH": "1",
        "DATABASE_URL": database.url,
        # Patti's inspection role in the demo roster, in another case.
        "INSPECTION_READY_CALL_STARTERS": "DCS, NOMINATED senior manager",
    }
    client = await make_client(Settings.from_env(environ), clock=clock)
    for name in ("pattif", "adelev"):
        await client.post("/api/messages", json=fakes.installation(connector.url, **as_(name)))

    [refused] = await say(client, connector, "adelev", "inspection call")
    [help_card] = await say(client, connector, "pattif", "help")
    [form] = await say(client, connector, "pattif", "inspection call")
    chosen = {**FORM, "drill": "false"}
    [preview] = await press(client, connector, "pattif", chosen)
    started, *_ = await press(client, connector, "pattif", {**chosen, "action": "call_confirm"})

    assert any(w.startswith("Inspection call: ") for w in words(card(help_card)))
    assert buttons(card(form))["Preview who will receive it"]["action"] == "call_preview"
    assert "Check before sending: ILACS short inspection" in texts(preview)
    assert "Sent at 09:00. The live status card follows." in texts(started)
    assert await count(database, InspectionCall) == 1
    assert "only inspection coordinators can open the inspection-call alert" in refused["text"]


async def test_only_a_coordinator_may_start_it_and_refusals_are_logged(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    [reply] = await say(client, connector, "meganb", "inspection call")
    [pressed] = await press(client, connector, "adelev", {**FORM, "action": "call_confirm"})

    assert "only inspection coordinators can open the inspection-call alert" in reply["text"]
    assert "Alex Wilber" in reply["text"]
    assert "Sorry, that did not work: only inspection coordinators" in pressed["text"]
    assert await count(database, InspectionCall) == 0
    assert await count(database, OutboxMessage) == 0
    assert [(r.actor, r.new_value) for r in await refusals(database)] == [
        ("meganb@example.com", "open the inspection-call alert"),
        ("adelev@example.com", "start the inspection-call alert"),
    ]


@pytest.mark.parametrize(
    ("kind", "shown"),
    [
        ("ilacs_short", "Inspectors on site: Monday 30 November 2026"),
        ("jtai", "Inspectors on site: Wednesday 9 December 2026"),
        ("monitoring_visit", "Give the first on-site date: a monitoring visit has no usual date"),
    ],
)
async def test_a_blank_on_site_date_follows_the_type(
    client: TestClient, connector: FakeConnector, kind: str, shown: str
) -> None:
    chosen = {"action": "call_preview", "inspection_type": kind, "on_site": "", "drill": "true"}

    [reply] = await press(client, connector, "alexw", chosen)

    assert shown in texts(reply)


async def test_the_form_then_a_preview_by_role_and_nothing_sent_until_confirmed(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    [form] = await say(client, connector, "alexw", "inspection call")
    inputs = {e["id"]: e for e in card(form)["body"] if "id" in e}
    [preview] = await press(client, connector, "alexw", {**FORM, "drill": "false"})
    shown = texts(preview)

    assert set(inputs) == {"inspection_type", "on_site", "drill"}
    assert len(inputs["inspection_type"]["choices"]) == 6
    # Left blank, the date follows the type; the form says each type's usual day.
    assert inputs["on_site"]["value"] == ""
    assert "ILACS short inspection: Monday 30 November 2026" in " ".join(words(card(form)))
    assert "Check before sending: ILACS short inspection" in shown
    assert card(preview)["body"][1]["facts"][1]["value"].startswith(f"{ROSTER - 1} people")
    facts = {f["title"]: f["value"] for e in card(preview)["body"] for f in e.get("facts", [])}
    assert facts["Annex A lead"] == "1"
    assert facts["Will get it in Teams"] == f"4 of {ROSTER - 1}"
    unreached = ROSTER - 5
    assert f"Will not get it: {unreached} cannot be reached in Teams" in shown
    assert "Send the alert to 4 people in Teams" in buttons(card(preview))
    assert await count(database, OutboxMessage) == 0


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"inspection_type": "fire_drill"}, "Choose the type of inspection."),
        ({"on_site": "30/11/2026"}, "Give the first on-site date"),
        ({"on_site": "2026-11-24"}, "The first on-site date is in the past"),
        ({"on_site": "2027-06-01"}, "more than 60 days away"),
        ({"drill": "maybe"}, "Say whether this is a drill."),
    ],
)
async def test_a_bad_form_is_shown_again_with_the_problem(
    client: TestClient,
    connector: FakeConnector,
    database: Database,
    change: dict[str, str],
    problem: str,
) -> None:
    [form] = await press(client, connector, "alexw", {**FORM, "drill": "false", **change})

    assert problem in texts(form)
    assert await count(database, InspectionCall) == 0


async def test_confirming_queues_one_urgent_alert_each_and_a_tracked_status_card(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    replies = await start_call(client, connector)
    await client.app[NOTIFICATIONS].drain()

    [updated_preview, status] = replies[:2]
    assert "Sent at 09:00" in texts(updated_preview)
    assert "Inspection call status: ILACS short inspection" in texts(status)
    async with database.sessions() as session:
        call = (await session.execute(select(InspectionCall))).scalar_one()
        alerts = (await session.execute(select(OutboxMessage))).scalars().all()
    assert call.status is CallStatus.ACTIVE
    assert not call.drill
    assert call.status_card is not None
    assert call.status_card["activity_id"] == status["_sent_id"]
    assert call.status_card["reference"]["conversation_id"] == "a:personal-alexw"
    assert len(alerts) == ROSTER - 1
    assert all(a.urgent and a.kind == "call_alert" and a.payload["important"] for a in alerts)
    assert sorted(str(a.status) for a in alerts).count("sent") == 4  # the four installed
    delivered = [a for a in connector.sent if a["_conversation_id"] != "a:personal-alexw"]
    assert len(delivered) == 4
    assert all(a["importance"] == "high" for a in delivered)
    assert all(a["channelData"]["notification"]["alert"] is True for a in delivered)


async def test_a_second_trigger_is_refused_not_doubled(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    await start_call(client, connector)
    again = await start_call(client, connector)
    [typed, *_] = await say(client, connector, "alexw", "inspection call")

    assert "already in progress, so nothing new was sent" in again[0]["text"]
    assert "already in progress" in typed["text"]
    assert await count(database, InspectionCall) == 1
    assert await count(database, OutboxMessage) == ROSTER - 1
    assert [r.new_value for r in await refusals(database)] == [
        "second trigger while a call is active"
    ]


async def test_a_drill_is_marked_drill_in_every_message(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    replies = await start_call(client, connector, drill=True)
    await client.app[NOTIFICATIONS].drain()
    alerts = [a for a in connector.sent if a["_conversation_id"] != "a:personal-alexw"]

    assert "DRILL: this is a practice" in texts(replies[0])
    assert "DRILL: Inspection call status" in texts(replies[1])
    assert len(alerts) == 4
    for alert in alerts:
        assert "text" not in alert  # a card alone, the words as its summary
        assert alert["summary"].startswith("DRILL: Inspection call: ILACS short inspection")
        assert texts(alert).startswith("DRILL: this is a practice, not a real inspection")


async def test_each_alert_shows_the_persons_own_tasks_with_working_day_dates(
    client: TestClient, connector: FakeConnector
) -> None:
    await start_call(client, connector)
    await client.app[NOTIFICATIONS].drain()
    by_person = {a["_conversation_id"]: texts(a) for a in connector.sent}

    annex_a = by_person["a:personal-isaiahl"]
    assert "Your role: Annex A lead" in annex_a
    assert "By Thursday 26 November 2026 | Refresh the Annex A data lists" in annex_a
    assert "By Friday 27 November 2026 | Send the Annex A lists" in annex_a
    no_role = by_person["a:personal-adelev"]
    assert "Your role: No named role in the plan" in no_role
    assert "What everyone should do" in no_role
    assert "By Thursday 26 November 2026 | Bring your case recording up to date" in no_role


async def test_acknowledge_records_the_first_time_for_the_presser_only(
    client: TestClient, connector: FakeConnector, database: Database, clock: Clock
) -> None:
    await start_call(client, connector)
    await client.app[NOTIFICATIONS].drain()
    [alert] = [a for a in connector.sent if a["_conversation_id"] == "a:personal-adelev"]
    acknowledge = buttons(card(alert))["Acknowledge"]
    async with database.sessions() as session:
        isaiah = (
            await session.execute(select(Staff).where(Staff.email.like("isaiahl%")))
        ).scalar_one()

    clock.now = NOW + timedelta(minutes=3)
    first = await execute(client, connector, "adelev", acknowledge)
    clock.now = NOW + timedelta(minutes=9)
    replayed = await execute(client, connector, "adelev", acknowledge)
    forged = await execute(client, connector, "adelev", {**acknowledge, "for": isaiah.id})
    someone_else = await execute(client, connector, "isaiahl", acknowledge)

    assert "Acknowledged at 09:03. Thank you." in words(first["value"])
    assert "Acknowledge" not in buttons(first["value"])
    assert "You acknowledged this at 09:03; that time stands." in words(replayed["value"])
    assert "not sent to you" in forged["value"]
    assert "not sent to you" in someone_else["value"]
    async with database.sessions() as session:
        acks = dict(
            (
                await session.execute(
                    select(CallRecipient.staff_id, CallRecipient.acknowledged_at)
                )
            ).all()
        )
    assert acks[int(acknowledge["for"])] == NOW + timedelta(minutes=3)
    assert acks[isaiah.id] is None
    assert sum(1 for moment in acks.values() if moment is not None) == 1
    assert len(await refusals(database)) == 2


async def test_the_status_card_is_refreshed_in_place_when_things_change(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    replies = await start_call(client, connector)
    status_id = replies[1]["_sent_id"]
    notifications = client.app[NOTIFICATIONS]
    await notifications.drain()
    await notifications.watch_calls()
    [alert] = [a for a in connector.sent if a["_conversation_id"] == "a:personal-adelev"]
    await execute(client, connector, "adelev", buttons(card(alert))["Acknowledge"])
    connector.updated.clear()

    await notifications.watch_calls()
    await notifications.watch_calls()  # nothing changed since: no second update

    [update] = connector.updated
    assert update["_updated_id"] == status_id
    shown = texts(update)
    assert f"Acknowledged: 1 of {ROSTER - 1}" in shown
    assert "Delivered: 4" in shown
    assert f"Cannot be reached: {ROSTER - 5}" in shown
    assert "Adele Vance" not in shown  # she is no longer waiting
    # Those Teams cannot reach come first, to be phoned: 24, so the 20 names are theirs.
    assert shown.count(": cannot be reached in Teams") == 20
    assert "Isaiah Langer" not in shown
    # As soon as anyone has acknowledged, how quickly (the clock stands still here).
    assert "Time to acknowledge: median under 1 min, 90% within 1 min (1 acknowledged)" in shown


async def test_an_update_goes_to_everyone_once_and_a_replayed_button_is_refused(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    replies = await start_call(client, connector)
    send_update = buttons(card(replies[1]))["Send update"]
    message = "Inspectors arrive 9am Monday; meet in room 2."

    [updated] = await press(client, connector, "alexw", {**send_update, "update_message": message})
    [replayed] = await press(
        client, connector, "alexw", {**send_update, "update_message": message}
    )
    await client.app[NOTIFICATIONS].drain()

    assert (
        f"Update 1 is going to the 4 of {ROSTER - 1} people who can be reached in Teams; "
        f"{ROSTER - 5} cannot be."
    ) in texts(updated)
    assert "status card was out of date" in replayed["text"]
    assert await count(database, OutboxMessage, OutboxMessage.kind == "call_update") == ROSTER - 1
    adele = [a for a in connector.sent if a["_conversation_id"] == "a:personal-adelev"]
    assert adele[-1]["summary"] == f"Inspection call update 1 from Alex Wilber: {message}"


async def test_updates_have_a_cool_down_that_leaves_the_card_usable(
    client: TestClient, connector: FakeConnector, database: Database, clock: Clock
) -> None:
    replies = await start_call(client, connector)
    send_update = buttons(card(replies[1]))["Send update"]
    [first] = await press(client, connector, "alexw", {**send_update, "update_message": "One"})
    fresh = buttons(card(first))["Send update"]

    clock.now = NOW + timedelta(seconds=30)
    [early] = await press(client, connector, "alexw", {**fresh, "update_message": "Two"})
    clock.now = NOW + timedelta(seconds=61)
    [later] = await press(client, connector, "alexw", {**fresh, "update_message": "Two"})

    assert "an update went out 30 seconds ago; wait 31 seconds" in early["text"]
    assert "Update 2 is going to the 4 of" in texts(later)
    assert await count(database, OutboxMessage, OutboxMessage.kind == "call_update") == 2 * (
        ROSTER - 1
    )


async def test_standing_down_ends_the_call_tells_those_alerted_and_allows_a_new_one(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    replies = await start_call(client, connector, drill=True)
    await client.app[NOTIFICATIONS].drain()
    stand_down = buttons(card(replies[1]))["Yes, stand the alert down"]

    [ended] = await press(client, connector, "meganb", stand_down)
    assert "only inspection coordinators can stand the inspection call down" in ended["text"]
    [ended] = await press(client, connector, "alexw", stand_down)
    await client.app[NOTIFICATIONS].drain()
    [alert] = [a for a in connector.sent if a["_conversation_id"] == "a:personal-adelev"][:1]
    late_ack = await execute(client, connector, "adelev", buttons(card(alert))["Acknowledge"])

    assert "Stood down at 09:00 by Alex Wilber" in texts(ended)
    assert "Stood down. The 4 people who received the alert are being told." in texts(ended)
    assert "Send an update" not in str(card(ended)["actions"])
    told = [a for a in connector.sent if "stood down" in (a.get("summary") or "")]
    assert len(told) == 4
    assert all(a["summary"].startswith("DRILL: Inspection call stood down") for a in told)
    assert "This alert has been stood down" in words(late_ack["value"])[-1]
    assert await count(database, CallRecipient, CallRecipient.acknowledged_at.is_not(None)) == 0
    again = await start_call(client, connector)
    assert "Sent at" in texts(again[0])
    assert await count(database, InspectionCall) == 2


async def test_export_gives_a_short_lived_link_to_the_acknowledgement_csv(
    client: TestClient, connector: FakeConnector, database: Database, clock: Clock
) -> None:
    replies = await start_call(client, connector)
    await client.app[NOTIFICATIONS].drain()
    [alert] = [a for a in connector.sent if a["_conversation_id"] == "a:personal-isaiahl"]
    clock.now = NOW + timedelta(minutes=2)
    await execute(client, connector, "isaiahl", buttons(card(alert))["Acknowledge"])
    export = buttons(card(replies[1]))["Export acknowledgements (CSV)"]

    refused = await press(client, connector, "meganb", export)
    [said, link_card] = await press(client, connector, "alexw", export)
    url = card(link_card)["actions"][0]["url"]
    response = await client.get(url.removeprefix("https://ir.example.gov.uk"))
    body = await response.text()
    rows = list(csv.DictReader(io.StringIO(body)))

    assert "only inspection coordinators can export" in refused[0]["text"]
    assert said["text"] == "I have sent you a download link for the acknowledgement list."
    assert url.startswith("https://ir.example.gov.uk/exports/")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response.headers["Content-Disposition"]
    assert len(rows) == ROSTER - 1
    isaiah = next(r for r in rows if r["email"] == "isaiahl@example.com")
    assert isaiah["inspection_role"] == "Annex A lead"
    assert isaiah["alert_status"] == "sent"
    assert isaiah["acknowledged_at"] == "2026-11-25 09:02:00"
    assert isaiah["minutes_to_acknowledge"] == "2.0"
    assert isaiah["line_manager"] == "Megan Bowen"
    assert next(r for r in rows if r["email"] == "adelev@example.com")["acknowledged_at"] == ""
    assert (await client.get("/exports/not-a-token")).status == 404


async def test_an_export_link_works_once_within_five_minutes_and_is_audited(
    client: TestClient,
    connector: FakeConnector,
    database: Database,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    replies = await start_call(client, connector)
    export = buttons(card(replies[1]))["Export acknowledgements (CSV)"]

    async def link() -> str:
        [_, link_card] = await press(client, connector, "alexw", export)
        url: str = card(link_card)["actions"][0]["url"]
        return url.removeprefix("https://ir.example.gov.uk")

    first = await link()
    # A link scanner's HEAD must not use the link up.
    scanned = await client.head(first)
    used = await client.get(first, headers={"X-Forwarded-For": "203.0.113.9, <script>"})
    again = await client.get(first)
    late = await link()
    clock.now = NOW + timedelta(minutes=5)
    expired = await client.get(late)
    just_in_time = await link()
    clock.now = NOW + timedelta(minutes=9, seconds=59)
    in_time = await client.get(just_in_time)

    assert (scanned.status, used.status) == (405, 200)
    assert used.headers["Referrer-Policy"] == "no-referrer"
    assert used.headers["X-Content-Type-Options"] == "nosniff"
    assert used.headers["Cache-Control"] == "no-store"
    assert (again.status, expired.status, in_time.status) == (404, 404, 200)
    assert "used already or has expired" in (await again.json())["message"]
    async with database.sessions() as session:
        entries = await audit_log.history(session, "inspection_call", "1")
    downloads = [e for e in entries if e.field == "export_downloaded"]
    assert len(downloads) == 2
    assert downloads[0].actor == "alexw@example.com"
    assert downloads[0].new_value is not None
    assert downloads[0].new_value.startswith("link made by alexw@example.com at 2026-11-25T09:00")
    assert "downloaded at 2026-11-25T09:00:00+00:00 from 127.0.0.1" in downloads[0].new_value
    assert downloads[0].new_value.endswith("from 127.0.0.1 (forwarded for 203.0.113.9)")
    # No token in any log line at any level (the access log: tests/integration/test_logs.py).
    tokens = [path.rsplit("/", 1)[1] for path in (first, late, just_in_time)]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "downloaded (link by staff" in logged
    assert not any(token in logged for token in tokens)


async def test_the_alert_goes_out_in_full_while_someone_floods_the_bot(
    client: TestClient, connector: FakeConnector, database: Database, clock: Clock
) -> None:
    await start_call(client, connector, drill=True)
    flood = [fakes.message(connector.url, "help", **as_("adelev")) for _ in range(200)]
    # If her replies fill her chat's windows (Teams: 8 in 2 s) before her alert goes, the
    # alert waits for room: in real time, so the clock runs as it would in production.
    clock.run()

    await asyncio.gather(
        client.app[NOTIFICATIONS].drain(),
        *(client.post("/api/messages", json=a) for a in flood),
    )
    await client.app[NOTIFICATIONS].drain()

    alerts = OutboxMessage.kind == "call_alert"
    reachable = len(PEOPLE) - 1  # everyone installed but the caller
    assert await count(database, OutboxMessage, alerts, OutboxMessage.status == "sent") == (
        reachable
    )
    assert len([a for a in connector.sent if "DRILL" in (a.get("summary") or "")]) >= reachable
    to_adele = [a for a in connector.sent if a["_conversation_id"] == "a:personal-adelev"]
    # Her alert, her allowed turns and one "slow down": the other 170 did nothing.
    assert len(to_adele) <= 1 + 30 + 1
