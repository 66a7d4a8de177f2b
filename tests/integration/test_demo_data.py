"""The demo organisation as loaded: finished items carry their own completion times, and the
calendar card shows each event's title and notes without an internal kind."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import delete, select

from bot.cli import main
from demo.loader import DEMO_ANCHOR, DEMO_TIMEZONE, finished_at, load_demo
from knowledge.working_days import WorkingDays
from store.db import Database
from store.models import Action, ActionStatus, AuditAssignment, AuditStatus
from tests.cards import text_blocks
from tests.chat import card, demo_client, say
from tests.conftest import sqlite_url
from tests.fakes import FakeConnector

StartClient = Callable[..., Awaitable[TestClient]]
CALENDAR = WorkingDays()


async def completions(database: Database) -> dict[str, tuple[date, datetime | None]]:
    """Every complete action and audit: its due date and when it was completed."""
    async with database.sessions() as session:
        actions = await session.execute(
            select(Action.ref, Action.due_date, Action.completed_at).where(
                Action.status == ActionStatus.COMPLETE
            )
        )
        audits = await session.execute(
            select(AuditAssignment.ref, AuditAssignment.due_date, AuditAssignment.completed_at)
            .where(AuditAssignment.status == AuditStatus.COMPLETE)
        )  # fmt: skip
        return {ref: (due, done) for ref, due, done in [*actions, *audits]}


async def test_finished_demo_items_were_finished_in_the_past_weeks_not_at_loading(
    database: Database,
) -> None:
    today = date(2026, 12, 1)
    async with database.sessions() as session, session.begin():
        await load_demo(session, today)

    done = await completions(database)

    assert len(done) == 25
    for ref, (due, completed_at) in done.items():
        assert completed_at == finished_at(ref, due, today, CALENDAR), ref
    days = {completed_at.date() for _, completed_at in done.values() if completed_at}
    assert len(days) >= 10
    assert max(days) < today


async def test_a_reload_keeps_completion_times_and_dates_only_what_it_adds(
    database: Database,
) -> None:
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
    marked_in_chat = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
    async with database.sessions() as session, session.begin():
        action = (await session.execute(select(Action).where(Action.ref == "PA1.1"))).scalar_one()
        action.completed_at = marked_in_chat
        await session.execute(
            delete(AuditAssignment).where(AuditAssignment.ref == "AUD-2026-10-001")
        )
    before = await completions(database)
    later = date(2027, 1, 12)

    async with database.sessions() as session, session.begin():
        await load_demo(session, later)

    after = await completions(database)
    assert after["PA1.1"] == (before["PA1.1"][0], marked_in_chat)
    # The audit deleted since comes back, dated for the later load.
    due, completed_at = after.pop("AUD-2026-10-001")
    assert completed_at == finished_at("AUD-2026-10-001", due, later, CALENDAR)
    assert after == before


def test_the_demo_command_dates_completions_before_today(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url(tmp_path))

    assert main(["demo"]) == 0

    async def read() -> dict[str, tuple[date, datetime | None]]:
        database = Database(sqlite_url(tmp_path))
        try:
            return await completions(database)
        finally:
            await database.dispose()

    done = asyncio.run(read())
    # Before today began where the demo's working day is, whatever the hour of the run.
    today_began = datetime.combine(
        datetime.now(DEMO_TIMEZONE).date(), time(0), tzinfo=DEMO_TIMEZONE
    )
    assert all(c is not None and c < today_began for _, c in done.values())


async def test_the_calendar_shows_titles_and_notes_and_no_kind_for_other_events(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> None:
    client = await demo_client(database, connector, make_client)

    texts = text_blocks(card(await say(client, connector, "alexw", "calendar")))

    assert texts[0] == "Coming up"
    assert not [t for t in texts if t.startswith("Other")]
    workshop = texts.index("Thu 26 Nov 2026: Front door threshold workshop")
    assert texts[workshop + 1] == (
        "Practice session on applying the revised threshold guidance to real contacts."
    )
    visit = texts.index("Mon 14 Dec 2026: Ofsted monitoring visit")
    assert texts[visit + 1].startswith("Monitoring visit. Two days on site")
