"""Board updates in chat: the owner updates, the area lead reviews, who sees the status and
the pack, and everyone else is refused without anything changing."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from aiohttp.test_utils import TestClient
from docx import Document
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from demo.loader import DEMO_ANCHOR, load_demo
from store.db import Database
from store.models import (
    AuditLogEntry,
    BoardUpdate,
    CalendarEvent,
    OutboxMessage,
    PriorityArea,
    ReviewStatus,
    Staff,
)
from tests import fakes
from tests.cards import buttons, strings, text_blocks, words
from tests.chat import MEMBERS, NOW, action, as_, card, demo_client, press, say
from tests.fakes import FakeConnector

StartClient = Callable[..., Awaitable[TestClient]]
AREA = "Quality of assessments and plans"
BOARD = date(2026, 12, 17)


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    # Lynne sits on the board as a read-only viewer.
    started = await demo_client(
        database,
        connector,
        make_client,
        viewers=("lynner@example.com",),
        public_url="https://ir.example.gov.uk",
    )
    async with database.sessions() as session, session.begin():
        patti = await staff(session, "pattif@example.com")
        # Patti leads Adele's area here; Megan is Adele's line manager, and no reviewer of it.
        await session.execute(
            update(PriorityArea).where(PriorityArea.name == AREA).values(lead_id=patti.id)
        )
    return started


async def staff(session: AsyncSession, email: str) -> Staff:
    found: Staff = (await session.execute(select(Staff).where(Staff.email == email))).scalar_one()
    return found


async def meeting_id(database: Database) -> int:
    async with database.sessions() as session:
        return (
            await session.execute(select(CalendarEvent.id).where(CalendarEvent.date == BOARD))
        ).scalar_one()


async def form_for(
    client: TestClient, connector: FakeConnector, database: Database
) -> dict[str, Any]:
    pa22 = await action(database, "PA2.2")
    return card(
        await press(
            client,
            connector,
            "adelev",
            {"action": "board_update_form", "id": pa22.id, "meeting": await meeting_id(database)},
        )
    )


GOOD = {
    "rag": "at risk",
    "note": "Twelve of twenty plans redone",
    "evidence_text": "Dip sample by the team manager",
    "evidence_link": "https://sharepoint.example/evidence/pa22",
    "impact": "emerging",
}


async def board_rows(database: Database) -> list[BoardUpdate]:
    async with database.sessions() as session:
        return list((await session.execute(select(BoardUpdate))).scalars())


async def outbox_to(database: Database, email: str) -> list[OutboxMessage]:
    async with database.sessions() as session:
        person = await staff(session, email)
        return list(
            (
                await session.execute(
                    select(OutboxMessage).where(OutboxMessage.recipient_id == person.id)
                )
            ).scalars()
        )


async def audit_count(database: Database) -> int:
    async with database.sessions() as session:
        return int(
            (
                await session.execute(
                    select(func.count()).where(AuditLogEntry.entity == "board_update")
                )
            ).scalar_one()
        )


async def test_the_owner_updates_and_the_area_lead_is_asked_to_review(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    form = await form_for(client, connector, database)
    assert text_blocks(form)[0] == "Board update: action PA2.2"
    submit = buttons(form)["Send update"]

    await press(client, connector, "adelev", {**submit, **GOOD})

    refreshed = card(connector.updated[-1])
    assert "Update sent; Patti Fernandez will review it." in text_blocks(refreshed)
    [stored] = await board_rows(database)
    assert (stored.rag.value, stored.impact.value, stored.review_status) == (
        "at risk",
        "emerging",
        ReviewStatus.PENDING,
    )
    assert stored.evidence_link == "https://sharepoint.example/evidence/pa22"
    [notice] = await outbox_to(database, "pattif@example.com")
    assert (notice.kind, notice.urgent, notice.next_attempt_at) == ("board_review", False, NOW)
    assert "Twelve of twenty plans redone" in strings(notice.payload["card"])
    assert await audit_count(database) == 5  # rag, note, evidence, link, impact


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"evidence_link": "javascript:alert(1)"}, "the evidence link must be a web address"),
        ({"evidence_link": "https://"}, "the evidence link must be a web address"),
        ({"rag": "purple"}, "choose on track, at risk or off track"),
        ({"note": "   "}, "say what progress there has been"),
        ({"impact": ""}, "choose how far the impact is evident"),
        ({"note": "x" * 1001}, "keep each box to 1000 characters"),
    ],
)
async def test_a_bad_update_is_refused_and_changes_nothing(
    client: TestClient,
    connector: FakeConnector,
    database: Database,
    change: dict[str, str],
    said: str,
) -> None:
    submit = buttons(await form_for(client, connector, database))["Send update"]

    reply = await press(client, connector, "adelev", {**submit, **GOOD, **change})

    assert said in reply["text"]
    assert await board_rows(database) == []
    assert await audit_count(database) == 0


async def test_only_the_owner_updates_an_action(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    submit = buttons(await form_for(client, connector, database))["Send update"]

    for outsider in ("isaiahl", "meganb", "alexw"):
        reply = await press(client, connector, outsider, {**submit, **GOOD})
        assert "only the action's owner gives its board update" in reply["text"], outsider
    # A viewer changes nothing at all: the policy refuses before the board dialog runs.
    reply = await press(client, connector, "lynner", {**submit, **GOOD})
    assert "can change work items" in reply["text"]

    assert await board_rows(database) == []


async def test_the_lead_sends_back_the_owner_updates_again_and_the_lead_accepts(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    submit = buttons(await form_for(client, connector, database))["Send update"]
    await press(client, connector, "adelev", {**submit, **GOOD})
    [notice] = await outbox_to(database, "pattif@example.com")
    review = buttons(notice.payload["card"])

    refused = await press(client, connector, "meganb", review["Send back"])
    assert "only the priority area's lead" in refused["text"]
    no_note = await press(client, connector, "pattif", review["Send back"])
    assert "say what the owner should change" in no_note["text"]
    assert (await board_rows(database))[0].review_status is ReviewStatus.PENDING

    await press(
        client, connector, "pattif", {**review["Send back"], "review_note": "Add the dip sample"}
    )

    assert "Sent back by Patti Fernandez: Add the dip sample" in text_blocks(
        card(connector.updated[-1])
    )
    [told] = [
        m for m in await outbox_to(database, "adelev@example.com") if m.kind == "board_sent_back"
    ]
    assert (
        "sent back your board update for action PA2.2: Add the dip sample" in told.payload["text"]
    )
    again = buttons(told.payload["card"])["Send update"]
    await press(client, connector, "adelev", {**again, **GOOD, "note": "All twenty redone"})
    [pending] = await board_rows(database)
    assert (pending.review_status, pending.note) == (ReviewStatus.PENDING, "All twenty redone")

    second = (await outbox_to(database, "pattif@example.com"))[-1]
    await press(client, connector, "pattif", buttons(second.payload["card"])["Accept"])

    [accepted] = await board_rows(database)
    assert accepted.review_status is ReviewStatus.ACCEPTED
    reopened = card(
        await press(
            client,
            connector,
            "adelev",
            buttons(told.payload["card"])["Send update"] | {"action": "board_update_form"},
        )
    )
    assert "Your lead has accepted this update." in text_blocks(reopened)
    assert "Send update" not in buttons(reopened)
    late = await press(client, connector, "pattif", buttons(second.payload["card"])["Accept"])
    assert "this update was already accepted" in late["text"]


async def test_board_updates_shows_who_has_not_updated_to_coordinators_viewers_and_leads(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    submit = buttons(await form_for(client, connector, database))["Send update"]
    await press(client, connector, "adelev", {**submit, **GOOD})

    coordinator = card(await say(client, connector, "alexw", "board updates"))
    viewer = card(await say(client, connector, "lynner", "board updates"))
    lead = card(await say(client, connector, "pattif", "board updates"))
    outsider = await say(client, connector, "isaiahl", "board updates")
    manager = await say(client, connector, "meganb", "board updates")

    assert text_blocks(coordinator)[0] == (
        "Board updates for Improvement Board, Thursday 17 December 2026"
    )
    assert words(coordinator) == words(viewer)
    everyone = [w for w in words(coordinator) if w.startswith("Adele Vance: ")]
    assert everyone == ["Adele Vance: PA2.3, PA2.4, PA2.5, PA2.6"]
    [scope] = [t for t in text_blocks(lead) if t.startswith("Your priority areas only: ")]
    assert AREA in scope
    assert "Front door" not in scope
    assert all("Sunita Patel" not in w for w in words(lead))  # her actions are in another area
    assert "Only managers, coordinators and viewers can see who has updated" in outsider["text"]
    assert "only coordinators, board viewers and priority-area leads" in manager["text"]


async def test_board_updates_is_never_answered_in_a_group(
    client: TestClient, connector: FakeConnector
) -> None:
    activity = fakes.message(
        connector.url,
        "board updates",
        **{**as_("alexw"), "conversation_id": "19:group", "conversation_type": "groupChat"},
    )
    await client.post("/api/messages", json=activity)

    assert "Please ask me that in our 1:1 chat" in connector.sent[-1]["text"]


async def test_board_pack_hands_a_coordinator_single_use_links_to_word_and_excel(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    refused = await say(client, connector, "isaiahl", "board pack")
    manager = await say(client, connector, "meganb", "board pack")
    reply = card(await say(client, connector, "alexw", "board pack"))

    assert "Only coordinators and viewers can have the board pack" in refused["text"]
    assert "Only coordinators and viewers" in manager["text"]
    assert text_blocks(reply)[0] == "Board pack for Improvement Board, Thursday 17 December 2026"
    links = {a["title"]: a["url"] for a in reply["actions"]}
    docx = await client.get(links["Word (.docx)"].removeprefix("https://ir.example.gov.uk"))
    document = Document(io.BytesIO(await docx.read()))
    xlsx = await client.get(links["Excel (.xlsx)"].removeprefix("https://ir.example.gov.uk"))
    workbook = openpyxl.load_workbook(io.BytesIO(await xlsx.read()))
    used = await client.get(links["Word (.docx)"].removeprefix("https://ir.example.gov.uk"))

    assert docx.status == xlsx.status == 200
    assert document.paragraphs[1].text.startswith("Improvement Board, Thursday 17 December 2026;")
    assert AREA in [p.text for p in document.paragraphs]
    assert "Summary" in workbook.sheetnames
    assert used.status == 404
    async with database.sessions() as session:
        fields = (
            await session.execute(
                select(AuditLogEntry.field).where(AuditLogEntry.entity == "board_pack")
            )
        ).scalars()
        assert sorted(str(f) for f in fields) == ["downloaded", "downloaded", "link_made"]


async def test_a_viewer_has_the_board_pack_too(
    client: TestClient, connector: FakeConnector
) -> None:
    reply = card(await say(client, connector, "lynner", "board pack"))

    assert [a["title"] for a in reply["actions"]] == ["Word (.docx)", "Excel (.xlsx)"]


async def test_with_no_one_to_review_the_owner_is_told_and_nobody_is_asked(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    async with database.sessions() as session, session.begin():
        patti = await staff(session, "pattif@example.com")
        # Patti leads her own action's area and has no line manager.
        await session.execute(
            update(PriorityArea)
            .where(PriorityArea.name == "Workforce stability and caseloads")
            .values(lead_id=patti.id)
        )
    pa61 = await action(database, "PA6.1")
    form = card(
        await press(
            client,
            connector,
            "pattif",
            {"action": "board_update_form", "id": pa61.id, "meeting": await meeting_id(database)},
        )
    )

    await press(client, connector, "pattif", {**buttons(form)["Send update"], **GOOD})

    assert any(
        "nobody reviews it: the board pack shows it as not reviewed" in t
        for t in text_blocks(card(connector.updated[-1]))
    )
    async with database.sessions() as session:
        notices = (
            await session.execute(
                select(OutboxMessage).where(OutboxMessage.kind == "board_review")
            )
        ).scalars()
        assert list(notices) == []


async def test_an_update_sent_in_the_evening_reaches_the_lead_next_working_morning(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> None:
    # Friday 27 November 2026, 19:30 in London: after working hours, before a weekend.
    evening = datetime(2026, 11, 27, 19, 30, tzinfo=UTC)
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
    for member in MEMBERS.values():
        connector.add_member(member)
    late = await make_client(
        Settings(dev_no_auth=True, database_url=database.url), clock=lambda: evening
    )
    submit = buttons(await form_for(late, connector, database))["Send update"]

    await press(late, connector, "adelev", {**submit, **GOOD})

    [review] = await outbox_to(database, "meganb@example.com")
    assert review.kind == "board_review"
    assert review.next_attempt_at.astimezone(ZoneInfo("Europe/London")) == datetime(
        2026, 11, 30, 8, 0, tzinfo=ZoneInfo("Europe/London")
    )
