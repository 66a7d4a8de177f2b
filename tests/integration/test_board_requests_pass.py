"""The daily pass asks owners for their board updates: once, in working hours, chased once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from demo.loader import DEMO_ANCHOR, load_demo
from knowledge.working_days import WorkingDays
from notifications.board_requests import ask_now
from notifications.quiet_hours import QuietHours, WorkingHours
from notifications.reminder_pass import ReminderPass
from notifications.rules import ReminderRules
from store.db import Database
from store.models import (
    Action,
    ActionStatus,
    BoardUpdate,
    CalendarEvent,
    EventKind,
    Impact,
    OutboxMessage,
    Rag,
    Staff,
)

LONDON = ZoneInfo("Europe/London")
QUIET = QuietHours(LONDON, WorkingHours(time(8), time(18)), WorkingDays())
# The demo's board meets on Thursday 17 December 2026: five working days before is the 10th.
BOARD = date(2026, 12, 17)


@pytest.fixture
async def demo(database: Database) -> Database:
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
    return database


def at_seven(day: date) -> datetime:
    return datetime.combine(day, time(7, 0), tzinfo=UTC)


async def run(database: Database, day: date, lead_days: int = 5) -> list[str]:
    report = await ReminderPass(
        database, ReminderRules(), WorkingDays(), QUIET, board_update_days=lead_days
    ).run(at_seven(day), day)
    return sorted(ask.dedupe_key for ask in report.board_asks)


async def board_rows(database: Database) -> list[OutboxMessage]:
    async with database.sessions() as session:
        return list(
            (
                await session.execute(
                    select(OutboxMessage)
                    .where(OutboxMessage.kind.in_(("board_ask", "board_chase")))
                    .order_by(OutboxMessage.id)
                )
            ).scalars()
        )


async def open_owners(database: Database) -> set[int]:
    async with database.sessions() as session:
        rows = await session.execute(
            select(Action.owner_id).where(Action.status != ActionStatus.COMPLETE)
        )
        return set(rows.scalars())


async def test_every_owner_of_an_open_action_is_asked_once_in_working_hours(
    demo: Database,
) -> None:
    assert await run(demo, date(2026, 12, 9)) == []  # six working days before: not yet

    first = await run(demo, date(2026, 12, 10))
    again = await run(demo, date(2026, 12, 10))
    next_day = await run(demo, date(2026, 12, 11))

    rows = await board_rows(demo)
    assert {r.recipient_id for r in rows} == await open_owners(demo)
    assert len(first) == len(rows)
    assert again == []
    assert next_day == []
    assert all(r.kind == "board_ask" and not r.urgent for r in rows)
    # Queued at 7 in the morning, held until working hours begin at 8 in London.
    assert {r.next_attempt_at.astimezone(LONDON).time() for r in rows} == {time(8, 0)}
    assert rows[0].payload["template"] == "board_ask"


async def test_those_who_have_not_updated_are_chased_once_two_working_days_before(
    demo: Database,
) -> None:
    await run(demo, date(2026, 12, 10))
    async with demo.sessions() as session, session.begin():
        adele = (
            await session.execute(select(Staff).where(Staff.email == "adelev@example.com"))
        ).scalar_one()
        meeting = (
            await session.execute(select(CalendarEvent).where(CalendarEvent.date == BOARD))
        ).scalar_one()
        mine = (
            await session.execute(
                select(Action).where(
                    Action.owner_id == adele.id, Action.status != ActionStatus.COMPLETE
                )
            )
        ).scalars()
        for action in mine:
            session.add(
                BoardUpdate(
                    action_id=action.id,
                    meeting_id=meeting.id,
                    author_id=adele.id,
                    rag=Rag.ON_TRACK,
                    note="On track",
                    impact=Impact.EMERGING,
                )
            )

    assert await run(demo, date(2026, 12, 14)) == []  # three working days before
    chased = await run(demo, date(2026, 12, 15))
    assert await run(demo, date(2026, 12, 15)) == []
    assert await run(demo, date(2026, 12, 16)) == []

    chase_rows = [r for r in await board_rows(demo) if r.kind == "board_chase"]
    assert len(chased) == len(chase_rows) == len(await open_owners(demo)) - 1
    assert adele.id not in {r.recipient_id for r in chase_rows}


async def test_a_meeting_added_late_is_asked_for_at_once_and_chased_the_next_day(
    demo: Database,
) -> None:
    async with demo.sessions() as session, session.begin():
        session.add(
            CalendarEvent(
                title="Extra board",
                date=date(2026, 12, 2),
                kind=EventKind.IMPROVEMENT_BOARD,
                audience="managers",
            )
        )

    asked = await run(demo, date(2026, 11, 30))  # two working days before, added today
    chased = await run(demo, date(2026, 12, 1))

    assert asked
    assert all(key.startswith("board_ask:") for key in asked)
    assert len(chased) == len(asked)
    assert all(key.startswith("board_chase:") for key in chased)


async def test_nothing_on_a_weekend_or_a_bank_holiday(demo: Database) -> None:
    assert await run(demo, date(2026, 12, 12)) == []  # Saturday
    assert await run(demo, date(2026, 12, 25), lead_days=30) == []  # Christmas Day
    assert await board_rows(demo) == []


async def test_an_events_import_asks_at_once_on_a_working_day_only(demo: Database) -> None:
    thursday = datetime(2026, 12, 10, 10, 30, tzinfo=UTC)
    saturday = datetime(2026, 12, 12, 10, 30, tzinfo=UTC)

    weekend = await ask_now(demo, saturday, WorkingDays(), QUIET, lead_days=5)
    asked = await ask_now(demo, thursday, WorkingDays(), QUIET, lead_days=5)
    again = await ask_now(demo, thursday, WorkingDays(), QUIET, lead_days=5)
    pass_later = await run(demo, date(2026, 12, 11))

    assert weekend == []
    assert {a.owner_id for a in asked} == await open_owners(demo)
    assert again == []
    assert pass_later == []
    rows = await board_rows(demo)
    assert len(rows) == len(asked)
    # Inside working hours already: they go now.
    assert {r.next_attempt_at for r in rows} == {thursday}
