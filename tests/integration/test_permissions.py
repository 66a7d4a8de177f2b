"""The one permission policy in chat: admins read-only, nobody decides their own extension."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from store.db import Database
from store.models import ActionStatus, ExtensionRequest, ExtensionStatus, Staff
from store.repositories import staff as staff_repository
from tests import fakes
from tests.cards import buttons, card_texts
from tests.chat import MEMBERS, action, card, demo_client, press, say
from tests.fakes import FakeConnector, TeamsMember
from tests.integration.test_hostile_input import everything

StartClient = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    return await demo_client(database, connector, make_client)


async def open_action(
    client: TestClient, connector: FakeConnector, database: Database, who: str, ref: str
) -> dict[str, Any]:
    item = await action(database, ref)
    opened = await press(
        client, connector, who, {"action": "open_item", "kind": "action", "id": item.id}
    )
    return card(opened)


async def test_an_admin_sees_other_peoples_items_but_cannot_change_them(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    adeles = await open_action(client, connector, database, "adelev", "PA2.3")
    complete = {**buttons(adeles)["Save as complete"], "evidence_note": "done"}

    seen = await open_action(client, connector, database, "lynner", "PA2.3")
    before = await everything(database)
    refused = await press(client, connector, "lynner", complete)

    assert card_texts(seen)[0] == "Action PA2.3"
    assert "Save as complete" not in buttons(seen)
    assert refused["text"] == (
        "Sorry, that did not work: you cannot change action PA2.3. Please ask again."
    )
    assert await everything(database) == before
    assert (await action(database, "PA2.3")).status is not ActionStatus.COMPLETE


async def test_an_admin_is_not_offered_nor_given_the_inspection_call(
    client: TestClient, connector: FakeConnector
) -> None:
    helped = card_texts(card(await say(client, connector, "lynner", "help")))
    refused = await say(client, connector, "lynner", "inspection call")

    assert not any(t.startswith("Inspection call") for t in helped)
    assert any(t.startswith("Who cannot be reached") for t in helped)
    assert "only inspection coordinators can open the inspection-call alert" in refused["text"]


async def request_extension(
    client: TestClient, connector: FakeConnector, database: Database, who: str, ref: str
) -> ExtensionRequest:
    opened = await open_action(client, connector, database, who, ref)
    ask = next(data for title, data in buttons(opened).items() if title.startswith("Send to"))
    await press(client, connector, who, {**ask, "new_due_date": "2026-12-18", "reason": "Data"})
    async with database.sessions() as session:
        return (await session.execute(select(ExtensionRequest))).scalars().one()


@pytest.mark.parametrize("decider", ["lynner", "adelev", "isaiahl"])
async def test_admins_and_practitioners_decide_no_extension(
    client: TestClient, connector: FakeConnector, database: Database, decider: str
) -> None:
    request = await request_extension(client, connector, database, "adelev", "PA2.3")
    decide = {"action": "decide_extension", "request": request.id, "decision": "approve"}

    refused = await press(client, connector, decider, decide)

    assert refused["text"].startswith("Sorry, that did not work: ")
    async with database.sessions() as session:
        stored = await session.get(ExtensionRequest, request.id)
    assert stored is not None
    assert stored.status is ExtensionStatus.PENDING


async def test_a_manager_cannot_decide_an_extension_they_asked_for(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    # Megan may change her report Adele's action, so she may ask for more time on it...
    request = await request_extension(client, connector, database, "meganb", "PA2.3")
    decide = {"action": "decide_extension", "request": request.id, "decision": "approve"}

    refused = await press(client, connector, "meganb", decide)
    decided = await press(client, connector, "pattif", decide, reply_to="")

    # ...but the decision is someone else's: here Patti, above both of them.
    assert refused["text"] == (
        "Sorry, that did not work: you cannot decide an extension you asked for. Please ask again."
    )
    to_patti = [a for a in connector.sent if a["_conversation_id"] == "a:personal-pattif"]
    assert decided in to_patti
    assert any("Approved by Patti Fernandez" in str(reply) for reply in to_patti)
    async with database.sessions() as session:
        stored = await session.get(ExtensionRequest, request.id)
    assert stored is not None
    assert (stored.status, stored.decided_by_id is not None) == (ExtensionStatus.APPROVED, True)


async def test_a_coordinator_relinks_an_account_in_chat_and_a_practitioner_cannot(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    # Adele's entry is linked to her account; a second account with her address is refused.
    await say(client, connector, "adelev", "hi")
    impostor = TeamsMember(
        "29:second", "Adele V", "0000000a-0000-0000-0000-00000000000a", "adelev@example.com"
    )
    connector.add_member(impostor)
    second = {
        "user_id": impostor.user_id,
        "aad_object_id": impostor.aad_object_id,
        "user_name": impostor.name,
        "conversation_id": "a:personal-second",
    }
    await client.post("/api/messages", json=fakes.message(connector.url, "my actions", **second))
    told = connector.sent[-1]["text"]

    refused = await say(client, connector, "isaiahl", "relink adelev@example.com")
    shown = card(await say(client, connector, "alexw", "relink adelev@example.com"))
    link = buttons(shown)["Link to this account"]
    # Sent as a new message (no card to update in place), so the reply can be read.
    linked = card(await press(client, connector, "alexw", link, reply_to=""))
    await client.post("/api/messages", json=fakes.message(connector.url, "my actions", **second))

    assert told.startswith("I could not link your Teams account to the inspection-readiness")
    assert "Alex Wilber" in told
    assert refused["text"] == (
        "Only coordinators and admins can link Teams accounts to the roster."
    )
    assert "Adele V, " in json.dumps(shown)
    assert card_texts(linked)[2].startswith("Linked Adele Vance to that Teams account.")
    # The linked account now sees Adele's work.
    assert card_texts(card(connector.sent[-1]))[0] == "Your actions"
    async with database.sessions() as session:
        adele = await staff_repository.find_by_email(session, "adelev@example.com")
    assert adele is not None
    assert adele.aad_object_id == impostor.aad_object_id


async def test_a_replayed_relink_button_changes_nothing(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    await say(client, connector, "adelev", "hi")
    async with database.sessions() as session:
        adele = await staff_repository.find_by_email(session, "adelev@example.com")
    assert adele is not None
    stale = {
        "action": "relink",
        "staff": adele.id,
        "account": "0000000b-0000-0000-0000-00000000000b",
        "version": "2020-01-01T00:00:00+00:00",
    }

    refused = await press(client, connector, "alexw", stale)

    assert "the card was out of date" in refused["text"]
    async with database.sessions() as session:
        unchanged = await session.get(Staff, adele.id)
    assert unchanged is not None
    assert unchanged.aad_object_id == MEMBERS["adelev"].aad_object_id


async def refuse_an_impostor(
    client: TestClient, connector: FakeConnector, target: str, account: str
) -> None:
    """A second Teams account with `target`'s address tries to sign in and is refused."""
    await say(client, connector, target, "hi")
    impostor = TeamsMember("29:second", "Second Account", account, f"{target}@example.com")
    connector.add_member(impostor)
    second = {
        "user_id": impostor.user_id,
        "aad_object_id": impostor.aad_object_id,
        "user_name": impostor.name,
        "conversation_id": "a:personal-second",
    }
    await client.post("/api/messages", json=fakes.message(connector.url, "hi", **second))


async def test_an_admin_cannot_relink_a_coordinator_to_their_own_account(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    account = "0000000c-0000-0000-0000-00000000000c"
    await refuse_an_impostor(client, connector, "alexw", account)
    shown = card(await say(client, connector, "lynner", "relink alexw@example.com"))
    async with database.sessions() as session:
        alex = await staff_repository.find_by_email(session, "alexw@example.com")
    assert alex is not None
    forged = {
        "action": "relink",
        "staff": alex.id,
        "account": account,
        "version": alex.updated_at.isoformat(),
    }
    before = await everything(database)

    refused = await press(client, connector, "lynner", forged, reply_to="")

    assert "Link to this account" not in buttons(shown)
    assert "Only coordinators can change the Teams account of a coordinator." in json.dumps(shown)
    assert refused["text"] == (
        "Sorry, that did not work: only coordinators can relink a coordinator's account. "
        "Please ask again."
    )
    assert await everything(database) == before


async def test_only_an_account_that_tried_to_sign_in_can_be_linked_from_a_card(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    await refuse_an_impostor(client, connector, "adelev", "0000000d-0000-0000-0000-00000000000d")
    async with database.sessions() as session:
        adele = await staff_repository.find_by_email(session, "adelev@example.com")
    assert adele is not None
    elsewhere = {
        "action": "relink",
        "staff": adele.id,
        "account": "0000000e-0000-0000-0000-00000000000e",
        "version": adele.updated_at.isoformat(),
    }
    await say(client, connector, "alexw", "hi")  # links Alex's own account first
    before = await everything(database)

    refused = await press(client, connector, "alexw", elsewhere, reply_to="")

    assert "has not tried to sign in as this person" in refused["text"]
    assert await everything(database) == before


async def test_a_managers_request_for_a_report_goes_up_the_line_and_names_her(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    opened = await open_action(client, connector, database, "meganb", "PA2.3")
    ask = next(data for title, data in buttons(opened).items() if title.startswith("Send to"))

    await press(
        client,
        connector,
        "meganb",
        {**ask, "new_due_date": "2026-12-18", "reason": "Data"},
        reply_to="",
    )

    said = json.dumps(connector.sent[-2:])
    # Megan's own manager decides, not Megan (Adele's manager) herself.
    assert "Extension requested; Patti Fernandez will decide." in said
    async with database.sessions() as session:
        [request] = (await session.execute(select(ExtensionRequest))).scalars().all()
    shown = card(
        await press(
            client,
            connector,
            "pattif",
            {"action": "open_extension", "request": request.id},
            reply_to="",
        )
    )
    facts = {t.split(": ", 1)[0]: t.split(": ", 1)[1] for t in card_texts(shown) if ": " in t}
    assert (facts["Requested by"], facts["Action owner"]) == ("Megan Bowen", "Adele Vance")


async def test_a_completed_action_cannot_be_reopened_or_extended_by_a_forged_press(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    opened = await open_action(client, connector, database, "adelev", "PA2.3")
    complete = {**buttons(opened)["Save as complete"], "evidence_note": "done"}
    await press(client, connector, "adelev", complete, reply_to="")
    done = await action(database, "PA2.3")
    version = {"kind": "action", "id": done.id, "version": done.updated_at.isoformat()}
    before = await everything(database)

    reopened = await press(
        client,
        connector,
        "adelev",
        {"action": "set_action_status", "status": "not started", **version},
        reply_to="",
    )
    extended = await press(
        client,
        connector,
        "adelev",
        {"action": "request_extension", "new_due_date": "2027-01-08", "reason": "x", **version},
        reply_to="",
    )

    assert "this action is complete; ask a coordinator to reopen it" in reopened["text"]
    assert "this action is complete, so it needs no more time" in extended["text"]
    assert await everything(database) == before


async def test_an_extension_reaches_no_further_than_a_year(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    opened = await open_action(client, connector, database, "adelev", "PA2.3")
    ask = buttons(opened)["Send to my manager"]
    before = await everything(database)

    refused = await press(
        client,
        connector,
        "adelev",
        {**ask, "new_due_date": "9999-12-31", "reason": "later"},
        reply_to="",
    )

    assert "the new date must be within a year" in refused["text"]
    assert await everything(database) == before
