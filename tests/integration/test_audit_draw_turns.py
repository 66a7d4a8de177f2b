"""Drawing the month's audits in chat: coordinators only, a preview that stores nothing,
then Confirm stores exactly what was shown; on both databases."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select, update

from store.db import Database
from store.models import (
    AuditAssignment,
    AuditDraw,
    AuditLogEntry,
    AuditType,
    Case,
    OutboxMessage,
    Staff,
)
from tests import fakes
from tests.cards import buttons, facts, text_blocks, words
from tests.chat import as_, card, demo_client
from tests.fakes import FakeConnector

StartClient = Callable[..., Awaitable[TestClient]]
CONFIRM = "Confirm and tell the auditors"
ASK = "draw audits for January 2027 size 12 enhanced 10%"


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    return await demo_client(database, connector, make_client, greet=True)


async def say(client: TestClient, connector: FakeConnector, who: str, text: str) -> dict[str, Any]:
    before = len(connector.sent)
    response = await client.post(
        "/api/messages", json=fakes.message(connector.url, text, **as_(who))
    )
    assert response.status == 201
    [reply] = connector.sent[before:]
    return reply


async def press(
    client: TestClient, connector: FakeConnector, who: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Action.Submit on a sent card: the card it was refreshed to, or the reply sent."""
    sent, updated = len(connector.sent), len(connector.updated)
    activity = fakes.activity("message", connector.url, value=data, replyToId="card-1", **as_(who))
    assert (await client.post("/api/messages", json=activity)).status == 201
    [reply] = connector.updated[updated:] + connector.sent[sent:]
    return reply


async def stored(database: Database) -> dict[str, int]:
    async with database.sessions() as session:
        return {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0
            for model in (AuditDraw, AuditAssignment, OutboxMessage, AuditLogEntry, Case)
        }


def previewed(reply: dict[str, Any]) -> dict[str, str]:
    """The case references a preview card allocates, with who would audit each."""
    return {title: who for title, who in facts(card(reply)).items() if title.startswith("CR-")}


def left_over(reply: dict[str, Any]) -> list[str]:
    """The case references a preview card could not allocate."""
    return [text.split(":")[0] for text in text_blocks(card(reply)) if text.startswith("CR-")]


async def auditor_names(database: Database, ids: set[int]) -> dict[int, str]:
    async with database.sessions() as session:
        rows = await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids)))
        return {staff_id: name for staff_id, name in rows}


async def test_the_preview_shows_strata_and_allocation_and_stores_nothing(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    before = await stored(database)

    reply = await say(client, connector, "alexw", ASK)

    shown = facts(card(reply))
    assert "Audit draw for January 2027: check before confirming" in words(card(reply))
    assert shown["Drawn"] == "12 of 12 asked, 1 enhanced (10%)"
    assert shown["Due"] == "Friday 29 January 2027"
    assert shown["Open cases"] == "145"
    assert {"early help", "child in need", "child protection", "child in care"} <= set(shown)
    assert len(previewed(reply)) + len(left_over(reply)) == 12
    assert CONFIRM in buttons(card(reply))
    assert "Nothing is stored and nobody is told until you confirm." in words(card(reply))
    assert await stored(database) == before


async def test_confirm_stores_exactly_the_previewed_draw_and_a_second_is_refused(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    preview = await say(client, connector, "alexw", ASK)
    confirm = buttons(card(preview))[CONFIRM]

    done = await press(client, connector, "alexw", confirm)
    after_first = await stored(database)
    again = await press(client, connector, "alexw", confirm)
    retyped = await say(client, connector, "alexw", ASK)

    assert "Audit draw for January 2027: stored" in words(card(done))
    assert buttons(card(done)) == {}
    async with database.sessions() as session:
        draw = (await session.execute(select(AuditDraw))).scalar_one()
        audits = list(
            (
                await session.execute(
                    select(AuditAssignment).where(AuditAssignment.draw_id == draw.id)
                )
            ).scalars()
        )
        logged = await session.scalar(
            select(func.count())
            .select_from(AuditLogEntry)
            .where(AuditLogEntry.actor == "alexw@example.com", AuditLogEntry.entity == "audit")
        )
        told = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "audit_assigned")
        )
    assert (draw.month, draw.seed, draw.drawn_by) == (
        "2027-01",
        confirm["seed"],
        "alexw@example.com",
    )
    assert {a.case_ref for a in audits} == set(previewed(preview))
    auditors = {a.case_ref: a.auditor_id for a in audits}
    names = await auditor_names(database, set(auditors.values()))
    assert {ref: names[i] for ref, i in auditors.items()} == {
        ref: who.split(" (tier")[0] for ref, who in previewed(preview).items()
    }
    assert len(audits) == draw.allocated_count == told == logged
    assert all(a.audit_type in (AuditType.MONTHLY, AuditType.ENHANCED) for a in audits)
    assert "January 2027 is already drawn" in words(card(again))
    assert "January 2027 is already drawn" in words(card(retyped))
    assert await stored(database) == after_first


@pytest.mark.parametrize("who", ["adelev", "meganb", "lynner", "pattif"])
async def test_only_coordinators_may_draw_and_a_forged_confirm_changes_nothing(
    client: TestClient, connector: FakeConnector, database: Database, who: str
) -> None:
    preview = await say(client, connector, "alexw", ASK)
    confirm = buttons(card(preview))[CONFIRM]
    before = await stored(database)

    typed = await say(client, connector, who, ASK)
    pressed = await press(client, connector, who, confirm)

    assert typed["text"] == "Only coordinators can draw the month's audits."
    assert (
        "Sorry, that did not work: only coordinators can draw the month's audits"
        in (pressed["text"])
    )
    assert await stored(database) == before


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("draw audits", "Say which month to draw"),
        ("draw audits for Smarch", "I could not read 'smarch' as a month."),
        ("draw audits for 2027-13", "I could not read '2027-13' as a month."),
        ("draw audits for next month size 0", "must be from 1 to 1000"),
        ("draw audits for next month enhanced 150%", "a percentage from 0 to 100"),
        ("draw audits for October 2026", "October 2026 is over; draw this month"),
        ("draw audits for 2028-01", "January 2028 is more than 12 months ahead"),
    ],
)
async def test_a_request_that_cannot_be_read_is_answered_and_changes_nothing(
    client: TestClient, connector: FakeConnector, database: Database, text: str, answer: str
) -> None:
    before = await stored(database)

    reply = await say(client, connector, "alexw", text)

    assert answer in reply["text"]
    assert await stored(database) == before


async def test_a_confirm_after_the_cases_changed_shows_the_new_draw_and_stores_nothing(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    preview = await say(client, connector, "alexw", ASK)
    confirm = buttons(card(preview))[CONFIRM]
    first_case = next(iter(previewed(preview)))
    async with database.sessions() as session, session.begin():
        await session.execute(
            update(Case).where(Case.case_ref == first_case).values(is_open=False)
        )
    before = await stored(database)

    moved = await press(client, connector, "alexw", confirm)

    assert any("changed since that preview" in text for text in words(card(moved)))
    assert first_case not in previewed(moved)
    assert CONFIRM in buttons(card(moved))
    assert await stored(database) == before


@pytest.mark.parametrize(
    "forged",
    [
        {"seed": -1},
        {"seed": "abc"},
        {"month": "2027-1x"},
        {"size": 0},
        {"enhanced": 101},
        {"fingerprint": "not-a-digest"},
    ],
)
async def test_a_garbled_confirm_is_refused(
    client: TestClient, connector: FakeConnector, database: Database, forged: dict[str, Any]
) -> None:
    preview = await say(client, connector, "alexw", ASK)
    confirm = buttons(card(preview))[CONFIRM]
    before = await stored(database)

    reply = await press(client, connector, "alexw", {**confirm, **forged})

    assert reply["text"].startswith("Sorry, that did not work: the button")
    assert await stored(database) == before


async def test_with_no_open_case_the_preview_offers_no_confirm_and_a_forged_one_stores_nothing(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    preview = await say(client, connector, "alexw", ASK)
    confirm = buttons(card(preview))[CONFIRM]
    async with database.sessions() as session, session.begin():
        await session.execute(update(Case).values(is_open=False))
    before = await stored(database)

    empty = await say(client, connector, "alexw", ASK)
    pressed = await press(client, connector, "alexw", confirm)

    assert any("there are no open cases to draw from" in t for t in words(card(empty)))
    assert CONFIRM not in buttons(card(empty))
    assert CONFIRM not in buttons(card(pressed))
    assert await stored(database) == before
