"""Chasing the silent after an inspection call, on a fake clock, and standing it down."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from demo.loader import DEMO_ANCHOR, load_demo
from knowledge.working_days import WorkingDays
from notifications.broadcast import Broadcast, CallRequest
from notifications.call_chasing import ChasePolicy
from notifications.call_watch import CallWatch
from notifications.playbook import Playbook
from store.db import Database
from store.models import InspectionCall, OutboxMessage, OutboxStatus, Staff
from store.repositories import calls
from teams.types import DeliveryResult, OutboundMessage, Outcome, StoredReference
from tests.clocks import Clock

CALLED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
RECIPIENTS = 29  # the demo roster but the coordinator who calls


class NoCards:
    """A Delivery for tests that count outbox rows, not what Teams received."""

    async def send(
        self, to: StoredReference, message: OutboundMessage, *, reply_to: str | None = None
    ) -> DeliveryResult:
        return DeliveryResult(Outcome.SENT, 200)

    async def update(
        self, to: StoredReference, activity_id: str, message: OutboundMessage
    ) -> DeliveryResult:
        return DeliveryResult(Outcome.SENT, 200)


@pytest.fixture
def broadcast() -> Broadcast:
    return Broadcast(Playbook.load(), WorkingDays(), ZoneInfo("Europe/London"), ChasePolicy())


async def start(database: Database, broadcast: Broadcast) -> InspectionCall:
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
        caller = (
            await session.execute(select(Staff).where(Staff.email == "alexw@example.com"))
        ).scalar_one()
        request = CallRequest("jtai", date(2026, 12, 9), drill=False)
        call = await broadcast.start(session, request, caller, CALLED)
    assert call is not None
    return call


async def kinds(database: Database) -> dict[str, int]:
    async with database.sessions() as session:
        rows = (await session.execute(select(OutboxMessage.kind))).scalars()
        found: dict[str, int] = {}
        for kind in rows:
            found[kind] = found.get(kind, 0) + 1
        return found


async def test_reminders_then_managers_on_the_clock_and_no_more_than_the_rounds(
    database: Database, broadcast: Broadcast
) -> None:
    call = await start(database, broadcast)
    clock = Clock(CALLED)
    watch = CallWatch(database, broadcast, NoCards(), clock)

    async def chase_at(minutes: int) -> int:
        clock.now = CALLED + timedelta(minutes=minutes)
        return await watch.chase()

    assert await chase_at(14) == 0
    assert await chase_at(15) == RECIPIENTS
    assert await chase_at(16) == 0  # same round: nothing new
    async with database.sessions() as session, session.begin():
        adele = (
            await session.execute(select(Staff).where(Staff.email == "adelev@example.com"))
        ).scalar_one()
        assert await calls.acknowledge(session, call.id, adele.id, CALLED + timedelta(minutes=20))
    assert await chase_at(29) == 0
    at_30 = await chase_at(30)
    reminders_2 = RECIPIENTS - 1
    assert at_30 > reminders_2  # round 2 reminders plus one message per line manager
    async with database.sessions() as session:
        escalations = (
            (
                await session.execute(
                    select(OutboxMessage).where(OutboxMessage.kind == "call_escalation")
                )
            )
            .scalars()
            .all()
        )
        megan = (
            await session.execute(select(Staff).where(Staff.email == "meganb@example.com"))
        ).scalar_one()
    assert len(escalations) == at_30 - reminders_2
    to_megan = next(e for e in escalations if e.recipient_id == megan.id)
    assert "Isaiah Langer" in to_megan.payload["context"]["names"]
    assert "Adele Vance" not in to_megan.payload["context"]["names"]  # she acknowledged
    assert to_megan.urgent
    assert to_megan.payload["important"]
    # Reminder round 3 and escalation round 2 both fall at 45 minutes.
    assert await chase_at(45) == reminders_2 + len(escalations)
    assert await chase_at(46) == 0
    assert await chase_at(60) == len(escalations)  # escalation round 3
    assert await chase_at(600) == 0  # three rounds each, then silence
    assert (await kinds(database))["call_reminder"] == RECIPIENTS + 2 * reminders_2


async def test_standing_down_withdraws_unsent_alerts_and_tells_only_those_alerted(
    database: Database, broadcast: Broadcast
) -> None:
    call = await start(database, broadcast)
    async with database.sessions() as session, session.begin():
        first_three = (
            (await session.execute(select(OutboxMessage.id).order_by(OutboxMessage.id).limit(3)))
            .scalars()
            .all()
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(first_three))
            .values(status=OutboxStatus.SENT, sent_at=CALLED)
        )
        live = await session.get(InspectionCall, call.id)
        assert live is not None
        by = await session.get(Staff, live.called_by_id)
        assert by is not None
        withdrawn, told = await broadcast.stand_down(
            session, live, by, CALLED + timedelta(minutes=5)
        )

    assert (withdrawn, told) == (RECIPIENTS - 3, 3)
    assert await kinds(database) == {"call_alert": 3, "call_stand_down": 3}
    watch = CallWatch(database, broadcast, NoCards(), Clock(CALLED + timedelta(hours=1)))
    assert await watch.chase() == 0  # a stood-down call is not chased
    async with database.sessions() as session:
        assert await calls.active_call(session) is None


async def test_only_one_call_can_be_active_at_a_time(
    database: Database, broadcast: Broadcast
) -> None:
    await start(database, broadcast)
    async with database.sessions() as session, session.begin():
        caller = (
            await session.execute(select(Staff).where(Staff.email == "alexw@example.com"))
        ).scalar_one()
        request = CallRequest("ilacs_short", date(2026, 11, 30), drill=True)
        second = await broadcast.start(session, request, caller, CALLED)

    assert second is None
    assert (await kinds(database)) == {"call_alert": RECIPIENTS}


async def test_two_calls_started_at_once_start_one(
    database: Database, broadcast: Broadcast
) -> None:
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)

    async def call_as(email: str, inspection_type: str) -> InspectionCall | None:
        async with database.sessions() as session, session.begin():
            caller = (
                await session.execute(select(Staff).where(Staff.email == email))
            ).scalar_one()
            request = CallRequest(inspection_type, date(2026, 12, 9), drill=False)
            return await broadcast.start(session, request, caller, CALLED)

    outcomes = await asyncio.gather(
        call_as("alexw@example.com", "jtai"),
        call_as("lynner@example.com", "ilacs_short"),
        return_exceptions=True,
    )

    started = [o for o in outcomes if isinstance(o, InspectionCall)]
    assert len(started) == 1, outcomes
    # The other is told no (None) or fails on the one-active-call rule; nothing of it stays.
    assert all(o is None or isinstance(o, Exception) for o in outcomes if o not in started)
    assert sum((await kinds(database)).values()) == RECIPIENTS
