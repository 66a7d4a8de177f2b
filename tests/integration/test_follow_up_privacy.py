"""Audit follow-up actions are about a child's case: the board and viewers never see them.

Their owner, the owner's managers and coordinators work them like any other action.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from knowledge.working_days import WorkingDays
from notifications.quiet_hours import QuietHours, WorkingHours
from notifications.reminder_pass import ReminderPass
from notifications.rules import ReminderRules
from store.db import Database
from store.models import (
    Action,
    ActionStatus,
    AuditAssignment,
    AuditFinding,
    AuditFollowUp,
    CalendarEvent,
    OutboxMessage,
    Staff,
)
from store.repositories import board
from tests.cards import text_blocks
from tests.chat import card, demo_client, press, say
from tests.fakes import FakeConnector

StartClient = Callable[..., Awaitable[TestClient]]
REF = "AUD-FU1"
# What an auditor might type: a case reference and what the child's plan lacks.
ABOUT_THE_CASE = "CR-104233: sibling contact not recorded in the plan"
LONDON_QUIET = QuietHours(
    ZoneInfo("Europe/London"), WorkingHours(time(8), time(18)), WorkingDays()
)


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    return await demo_client(database, connector, make_client, viewers=("lynner@example.com",))


@pytest.fixture
async def follow_up(client: TestClient, database: Database) -> int:
    """An overdue follow-up action for Adele, created from findings on a demo audit."""
    async with database.sessions() as session, session.begin():
        adele = (
            await session.execute(select(Staff).where(Staff.email == "adelev@example.com"))
        ).scalar_one()
        audit = (await session.execute(select(AuditAssignment).limit(1))).scalar_one()
        finding = AuditFinding(
            audit_id=audit.id,
            month="2026-11",
            month_sequence=1,
            grades={},
            overall="requires_improvement",
            strengths="",
            development="",
            child_voice=True,
            equality_diversity=True,
        )
        action = Action(
            ref=REF,
            priority_area="Audit follow-up",
            description=ABOUT_THE_CASE,
            owner_id=adele.id,
            due_date=date(2026, 11, 2),
            status=ActionStatus.IN_PROGRESS,
        )
        session.add_all([finding, action])
        await session.flush()
        session.add(AuditFollowUp(finding_id=finding.id, action_id=action.id))
        return action.id


@pytest.mark.parametrize(
    "asked", ["the plan", "area actions", "overdue in audit follow-up", "board updates"]
)
async def test_a_viewer_sees_no_follow_up(
    client: TestClient, connector: FakeConnector, follow_up: int, asked: str
) -> None:
    reply = await say(client, connector, "lynner", asked)

    assert REF not in str(reply)
    assert "CR-104233" not in str(reply)


async def test_a_viewer_cannot_open_a_follow_up(
    client: TestClient, connector: FakeConnector, follow_up: int
) -> None:
    reply = await press(
        client, connector, "lynner", {"action": "open_item", "kind": "action", "id": follow_up}
    )

    assert f"you cannot see action {REF}" in reply["text"]
    assert "CR-104233" not in str(reply)
    assert "attachments" not in reply or not reply["attachments"]


@pytest.mark.parametrize(("who", "asked"), [("adelev", "my actions"), ("meganb", "my team")])
async def test_the_owner_and_their_manager_still_see_it(
    client: TestClient, connector: FakeConnector, follow_up: int, who: str, asked: str
) -> None:
    reply = card(await say(client, connector, who, asked))

    assert any(REF in t for t in text_blocks(reply))


async def test_the_board_pack_has_no_follow_up(database: Database, follow_up: int) -> None:
    async with database.sessions() as session:
        data = await board.pack_data(session, date(2026, 12, 17))

    assert data.actions
    assert REF not in {a.ref for a in data.actions}
    assert all("CR-104233" not in a.description for a in data.actions)


async def test_nobody_is_asked_for_a_board_update_on_a_follow_up(
    database: Database, follow_up: int
) -> None:
    day = date(2026, 12, 10)  # five working days before the board on the 17th
    report = await ReminderPass(
        database, ReminderRules(), WorkingDays(), LONDON_QUIET, board_update_days=5
    ).run(datetime.combine(day, time(7), tzinfo=UTC), day)

    assert report.board_asks
    async with database.sessions() as session:
        rows = (
            await session.execute(select(OutboxMessage).where(OutboxMessage.kind == "board_ask"))
        ).scalars()
        asked_about = {a["id"] for row in rows for a in row.payload["context"]["actions"]}
    assert asked_about
    assert follow_up not in asked_about


async def test_the_owner_is_not_offered_a_board_update_form_for_a_follow_up(
    client: TestClient, connector: FakeConnector, database: Database, follow_up: int
) -> None:
    async with database.sessions() as session:
        meeting = (
            await session.execute(
                select(CalendarEvent.id).where(CalendarEvent.date == date(2026, 12, 17))
            )
        ).scalar_one()

    reply = await press(
        client,
        connector,
        "adelev",
        {"action": "board_update_form", "id": follow_up, "meeting": meeting},
    )

    assert f"action {REF} follows up a case audit" in reply["text"]
    assert "no update is needed" in reply["text"]
