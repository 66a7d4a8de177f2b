"""People's own work in chat: lists, details, buttons, permissions and extensions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.keys import NOTIFICATIONS
from store.db import Database
from store.models import (
    Action,
    ActionStatus,
    AuditLogEntry,
    ExtensionRequest,
    ExtensionStatus,
    ReminderPreference,
    Snooze,
)
from tests import fakes
from tests.cards import buttons, card_texts, facts, text_blocks
from tests.chat import action, as_, card, demo_client, press, say
from tests.fakes import FakeConnector

StartClient = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    return await demo_client(
        database,
        connector,
        make_client,
        case_url_template="https://records.example/case/{case_ref}",
    )


def item_lines(card_json: dict[str, Any]) -> list[str]:
    return [t for t in text_blocks(card_json) if ": " in t and t[:2] in ("PA", "AU")]


async def test_whats_overdue_lists_exactly_her_overdue_items_most_overdue_first(
    client: TestClient, connector: FakeConnector
) -> None:
    reply = card(await say(client, connector, "adelev", "what's overdue"))

    texts = text_blocks(reply)
    assert texts[:2] == ["Your overdue actions and audits", "4 open, 4 overdue."]
    # Her overdue audit is in the list too, in its place by how overdue it is.
    assert [t.split(":")[0] for t in item_lines(reply)] == [
        "PA2.2",
        "AUD-2026-10-008",
        "PA2.3",
        "PA2.4",
    ]
    assert "Overdue by 18 working days · in progress" in texts
    assert "Overdue by 11 working days · not started" in texts
    assert "Overdue by 5 working days · in progress" in texts


async def test_my_actions_orders_overdue_then_due_soon_then_later(
    client: TestClient, connector: FakeConnector
) -> None:
    reply = card(await say(client, connector, "adelev", "my actoins"))

    assert [t.split(":")[0] for t in item_lines(reply)] == [
        "PA2.2",
        "PA2.3",
        "PA2.4",
        "PA2.5",
        "PA2.6",
    ]
    assert "Due Thu 26 Nov 2026 · not started" in text_blocks(reply)


async def test_my_audits_carry_case_references_only(
    client: TestClient, connector: FakeConnector
) -> None:
    reply = card(await say(client, connector, "adelev", "my audits"))

    assert item_lines(reply)[0].startswith("AUD-2026-10-008: Monthly audit of case CR-111640")


async def test_marking_complete_with_a_note_updates_the_card_and_the_manager_sees_it(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    overdue = card(await say(client, connector, "adelev", "what's overdue"))
    opened = card(await press(client, connector, "adelev", buttons(overdue)["Open"]))
    assert text_blocks(opened)[0] == "Action PA2.2"
    complete = buttons(opened)["Save as complete"]

    await press(
        client, connector, "adelev", {**complete, "evidence_note": "Supervision audit done"}
    )

    refreshed = card(connector.updated[-1])
    assert "Marked complete." in text_blocks(refreshed)
    # Said once, as a fact, and a finished action is no longer "overdue".
    assert str(refreshed).count("Supervision audit done") == 1
    shown = facts(refreshed)
    assert shown["Evidence of completion"] == "Supervision audit done"
    assert "overdue" not in shown["Due"]
    assert "; completed " in shown["Due"]
    assert "Save as complete" not in buttons(refreshed)
    stored = await action(database, "PA2.2")
    assert (stored.status, stored.completion_note) == (
        ActionStatus.COMPLETE,
        "Supervision audit done",
    )
    async with database.sessions() as session:
        log = (
            (
                await session.execute(
                    select(AuditLogEntry).where(
                        AuditLogEntry.entity_key == "PA2.2",
                        AuditLogEntry.actor == "adelev@example.com",
                    )
                )
            )
            .scalars()
            .all()
        )
    assert [(e.field, e.old_value, e.new_value) for e in log] == [
        ("status", "in progress", "complete"),
        ("completion_note", None, "Supervision audit done"),
    ]

    team = card(await say(client, connector, "meganb", "my team"))
    texts = text_blocks(team)
    assert any(t.startswith("PA2.2: Adele") for t in texts)
    assert any(t.startswith("PA2.3:") for t in item_lines(team))
    # PA2.2 appears once: as done, not among the open items.
    assert [t for t in texts if t.startswith("PA2.2:")] == [
        t for t in texts if t.startswith("PA2.2: Adele")
    ]


async def test_replaying_a_used_button_changes_nothing(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    overdue = card(await say(client, connector, "adelev", "what's overdue"))
    opened = card(await press(client, connector, "adelev", buttons(overdue)["Open"]))
    complete = {**buttons(opened)["Save as complete"], "evidence_note": "first"}
    await press(client, connector, "adelev", complete)

    await press(client, connector, "adelev", {**complete, "evidence_note": "second"})

    assert connector.sent[-1]["text"].startswith("Sorry, that did not work: this item has changed")
    assert (await action(database, "PA2.2")).completion_note == "first"


async def test_a_forged_submission_for_someone_elses_item_is_refused_and_logged(
    client: TestClient,
    connector: FakeConnector,
    database: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with database.sessions() as session:
        other = (
            (
                await session.execute(
                    select(Action)
                    .join(Action.owner)
                    .where(Action.owner.has(email="isaiahl@example.com"))
                )
            )
            .scalars()
            .first()
        )
    assert other is not None
    forged = {
        "action": "complete_action",
        "id": other.id,
        "version": other.updated_at.isoformat(),
        "evidence_note": "not mine",
    }

    await press(client, connector, "adelev", forged)
    await press(
        client, connector, "adelev", {"action": "open_item", "kind": "action", "id": other.id}
    )

    assert connector.sent[-2]["text"].startswith(
        f"Sorry, that did not work: you cannot change action {other.ref}"
    )
    assert connector.sent[-1]["text"].startswith(
        f"Sorry, that did not work: you cannot see action {other.ref}"
    )
    assert (await action(database, other.ref)).status is not ActionStatus.COMPLETE
    assert "Refused a card action complete_action" in caplog.text


@pytest.mark.parametrize("who", ["meganb", "pattif", "alexw"])
async def test_managers_up_the_chain_and_coordinators_see_her_items(
    client: TestClient, connector: FakeConnector, database: Database, who: str
) -> None:
    adeles = await action(database, "PA2.3")

    opened = card(
        await press(
            client, connector, who, {"action": "open_item", "kind": "action", "id": adeles.id}
        )
    )

    assert text_blocks(opened)[0] == "Action PA2.3"
    assert "Save as complete" in buttons(opened)


async def test_a_practitioner_cannot_ask_for_a_team_or_area(
    client: TestClient, connector: FakeConnector
) -> None:
    assert (await say(client, connector, "adelev", "my team"))["text"] == (
        "Only managers, coordinators and admins can see a team's work."
    )
    assert (await say(client, connector, "adelev", "overdue in care leavers"))["text"].startswith(
        "Only managers"
    )


async def test_overdue_in_a_priority_area_for_a_coordinator(
    client: TestClient, connector: FakeConnector
) -> None:
    reply = card(await say(client, connector, "alexw", "overdue in quality of assessments"))

    heading, *rest = text_blocks(reply)
    items = [t for t in rest if " · " in t]
    assert heading.startswith("Overdue in ")
    # The demo plan has overdue actions in this area: the card lists them, each overdue.
    assert items
    assert all("Overdue by" in t for t in items)


async def test_an_extension_goes_to_the_line_manager_and_the_outcome_comes_back(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    for who in ("adelev", "meganb"):
        await client.post("/api/messages", json=fakes.installation(connector.url, **as_(who)))
    pa23 = await action(database, "PA2.3")
    opened = card(
        await press(
            client, connector, "adelev", {"action": "open_item", "kind": "action", "id": pa23.id}
        )
    )
    request = {
        **buttons(opened)["Send to my manager"],
        "new_due_date": "2026-12-18",
        "reason": "Waiting for partner data",
    }

    await press(client, connector, "adelev", request)
    # The card for Megan goes through the outbox, at once (an urgent row).
    await client.app[NOTIFICATIONS].drain()

    to_megan = connector.sent[-1]
    assert to_megan["_conversation_id"] == "a:personal-meganb"
    decision = card(to_megan)
    assert text_blocks(decision)[0] == "Extension request: action PA2.3"
    assert "Reason: Waiting for partner data" in card_texts(decision)

    await press(
        client, connector, "meganb", {**buttons(decision)["Approve"], "decision_note": "OK"}
    )
    await client.app[NOTIFICATIONS].drain()

    to_adele = connector.sent[-1]
    assert to_adele["_conversation_id"] == "a:personal-adelev"
    assert to_adele["text"].startswith(
        "Your extension request for action PA2.3 was approved by Megan"
    )
    assert (await action(database, "PA2.3")).due_date == date(2026, 12, 18)
    async with database.sessions() as session:
        [stored] = (await session.execute(select(ExtensionRequest))).scalars().all()
    assert stored.status is ExtensionStatus.APPROVED


async def test_only_the_line_manager_side_may_decide_an_extension(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    pa23 = await action(database, "PA2.3")
    opened = card(
        await press(
            client, connector, "adelev", {"action": "open_item", "kind": "action", "id": pa23.id}
        )
    )
    await press(
        client,
        connector,
        "adelev",
        {**buttons(opened)["Send to my manager"], "new_due_date": "2026-12-18", "reason": "Data"},
    )
    assert connector.sent[-1]["text"].startswith("I could not reach Megan")
    async with database.sessions() as session:
        [request] = (await session.execute(select(ExtensionRequest))).scalars().all()
    approve = {"action": "decide_extension", "request": request.id, "decision": "approve"}

    for who in ("adelev", "isaiahl"):
        await press(client, connector, who, approve)
        assert connector.sent[-1]["text"].startswith(
            "Sorry, that did not work: only managers and coordinators can decide extension"
        )
    assert (await action(database, "PA2.3")).due_date == date(2026, 11, 10)


async def test_audit_buttons_start_complete_and_link_the_case(
    client: TestClient, connector: FakeConnector
) -> None:
    audits = card(await say(client, connector, "adelev", "my audits"))
    opened = card(await press(client, connector, "adelev", buttons(audits)["Open"]))
    links = [a for a in opened["actions"] if a["type"] == "Action.OpenUrl"]
    assert links == [
        {
            "type": "Action.OpenUrl",
            "title": "Open case record",
            "url": "https://records.example/case/CR-111640",
        }
    ]

    await press(client, connector, "adelev", buttons(opened)["Record findings"])

    # Completing an audit records its findings: the form replaces the card.
    form = card(connector.updated[-1])
    assert text_blocks(form)[0] == "Record the findings: audit AUD-2026-10-008"


async def test_the_calendar_names_the_next_monitoring_visit(
    client: TestClient, connector: FakeConnector
) -> None:
    reply = card(await say(client, connector, "meganb", "when is the next monitoring visit"))

    assert text_blocks(reply)[1] == (
        "The next monitoring visit is on Mon 14 Dec 2026 (13 working days away)."
    )


async def test_someone_not_on_the_roster_is_told_who_to_ask(
    client: TestClient, connector: FakeConnector
) -> None:
    guest = fakes.message(
        connector.url,
        "my actions",
        user_id="29:guest",
        aad_object_id="aad-guest",
        user_name="Guest",
    )

    await client.post("/api/messages", json=guest)

    assert connector.sent[-1]["text"].startswith("You are not on this council's")


async def test_snooze_from_a_reminder_is_stored_for_the_owner_only(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    pa23 = await action(database, "PA2.3")
    snooze = {"action": "snooze", "kind": "action", "id": pa23.id, "days": 3}

    await press(client, connector, "meganb", snooze)
    refused = connector.sent[-1]["text"]
    await press(client, connector, "adelev", snooze)

    assert refused.startswith("Sorry, that did not work: only the owner can snooze")
    assert connector.sent[-1]["text"] == (
        "Snoozed: no reminders about PA2.3 until after Monday 30 November."
    )
    async with database.sessions() as session:
        [stored] = (await session.execute(select(Snooze))).scalars().all()
    assert stored.until == date(2026, 11, 30)


async def test_reminder_settings_card_and_choices(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    settings = card(await say(client, connector, "adelev", "reminder settings"))
    assert "You get every reminder." in text_blocks(settings)

    await press(client, connector, "adelev", buttons(settings)["Digest only"])
    await press(client, connector, "adelev", buttons(settings)["Pause 1 week"])

    assert (
        "Paused until Wednesday 2 December: until then only overdue items and escalations "
        "reach you; after that, the weekly digest instead of item-by-item reminders."
    ) in text_blocks(card(connector.updated[-1]))
    async with database.sessions() as session:
        [choice] = (await session.execute(select(ReminderPreference))).scalars().all()
    assert (choice.digest_only, choice.paused_until) == (True, date(2026, 12, 2))


async def test_only_coordinators_see_who_is_unreachable(
    client: TestClient, connector: FakeConnector
) -> None:
    assert (await say(client, connector, "adelev", "unreachable"))["text"].startswith(
        "Only coordinators"
    )
    listing = (await say(client, connector, "alexw", "unreachable"))["text"]
    assert listing.startswith("30 people cannot be reached in Teams:")


async def test_a_detail_card_goes_back_to_the_list_it_was_opened_from(
    client: TestClient, connector: FakeConnector
) -> None:
    overdue = card(await say(client, connector, "adelev", "what's overdue"))
    opened = card(await press(client, connector, "adelev", buttons(overdue)["Open"]))
    back = buttons(opened)["Back to the list"]

    assert back == {"action": "show_list", "intent": "overdue", "offset": 0}
    # After a change the card keeps its way back.
    status = {**buttons(opened)["Save"], "status": "in progress"}
    await press(client, connector, "adelev", status)
    assert buttons(card(connector.updated[-1]))["Back to the list"] == back
    listed = card(await press(client, connector, "adelev", back))
    assert text_blocks(listed)[0] == "Your overdue actions and audits"


async def test_blocked_needs_a_reason_and_the_line_manager_is_told(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    for who in ("adelev", "meganb"):
        await client.post("/api/messages", json=fakes.installation(connector.url, **as_(who)))
    pa23 = await action(database, "PA2.3")
    opened = card(
        await press(
            client, connector, "adelev", {"action": "open_item", "kind": "action", "id": pa23.id}
        )
    )
    save = {**buttons(opened)["Save"], "status": "blocked"}

    refused = await press(client, connector, "adelev", save)
    assert "say what is blocking it" in refused["text"]
    assert (await action(database, "PA2.3")).status is ActionStatus.NOT_STARTED

    await press(client, connector, "adelev", {**save, "status_reason": "No access to the data"})
    await client.app[NOTIFICATIONS].drain()

    updated = card(connector.updated[-1])
    assert facts(updated)["Blocked by"] == "No access to the data"
    assert "Status is now blocked. Megan Bowen has been told." in text_blocks(updated)
    to_megan = connector.sent[-1]
    assert to_megan["_conversation_id"] == "a:personal-meganb"
    assert to_megan["text"] == ("Action PA2.3 (Adele Vance) is blocked: No access to the data")
    stored = await action(database, "PA2.3")
    assert (stored.status, stored.blocked_reason) == (
        ActionStatus.BLOCKED,
        "No access to the data",
    )


async def test_show_more_keeps_the_sections_under_the_list(
    client: TestClient, connector: FakeConnector
) -> None:
    first = card(await say(client, connector, "alexw", "my team"))
    more = card(await press(client, connector, "alexw", buttons(first)["Show more"]))

    assert "Done in the last two weeks" in text_blocks(first)
    assert "Done in the last two weeks" in text_blocks(more)
    assert text_blocks(more)[1].endswith("Showing 11-20.")
