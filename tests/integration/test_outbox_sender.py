"""The outbox sender through the real CloudAdapter to a fake Teams connector."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.settings import parse_sdk
from knowledge.working_days import WorkingDays
from notifications.conversation_limits import ConversationLimits
from notifications.limiter import RateLimiter
from notifications.quiet_hours import QuietHours, WorkingHours
from notifications.sender import STALE_CLAIM, OutboxSender
from store.db import Database
from store.models import OutboxMessage, OutboxStatus, Staff
from store.repositories import conversations, outbox
from store.repositories.conversations import ConversationRecord
from teams.factory import create_edge
from teams.types import ConversationKind, Credentials, Edge, StoredReference
from tests import fakes
from tests.clocks import Clock
from tests.conftest import SDK_ENV
from tests.fakes import FakeConnector
from tests.importing import STAFF_HEADER, run, write_csv
from tests.waiting import until

LONDON = ZoneInfo("Europe/London")
QUIET = QuietHours(LONDON, WorkingHours(time(8), time(18)), WorkingDays())


@pytest.fixture
async def people(database: Database, tmp_path: Path, connector: FakeConnector) -> dict[str, int]:
    roster = f"""{STAFF_HEADER}
a@example.com,A,practitioner,,,
b@example.com,B,practitioner,,,
c@example.com,C,practitioner,,,
"""
    await run(database, "staff", write_csv(tmp_path / "staff.csv", roster))
    async with database.sessions() as session, session.begin():
        staff = {s.email[0]: s.id for s in (await session.execute(select(Staff))).scalars()}
        for letter in ("a", "b"):  # c never installed the app
            activity = fakes.activity("message", connector.url, conversation_id=f"a:{letter}")
            await conversations.save_installation(
                session,
                ConversationRecord(
                    conversation_id=f"a:{letter}",
                    conversation_type="personal",
                    service_url=connector.url,
                    channel_id="msteams",
                    reference=StoredReference(
                        service_url=connector.url,
                        conversation_id=f"a:{letter}",
                        conversation_kind=ConversationKind.PERSONAL,
                        user_id=activity["from"]["id"],
                        bot_id=activity["recipient"]["id"],
                    ).to_dict(),
                    staff_id=staff[letter],
                ),
            )
    return staff


# Edges made by `sender`, closed when each test ends.
EDGES: list[Edge] = []


@pytest.fixture(autouse=True)
async def close_edges() -> AsyncIterator[None]:
    yield
    while EDGES:
        await EDGES.pop().close()


def sender(
    database: Database, clock: Callable[[], datetime], worker: str = "w1", **options: Any
) -> OutboxSender:
    """A sender through the real edge on this run's SDK (INSPECTION_READY_SDK)."""
    edge = create_edge(parse_sdk(os.environ.get(SDK_ENV, "")), Credentials())
    EDGES.append(edge)
    return OutboxSender(
        database,
        edge.delivery,
        QUIET,
        worker=worker,
        clock=clock,
        limiter=RateLimiter(rate=1000),
        jitter=lambda: 0.0,
        **options,
    )


async def queue(
    database: Database,
    clock: Clock,
    recipients: list[int],
    *,
    urgent: bool = False,
    prefix: str = "k",
) -> int:
    rows = [
        {
            "dedupe_key": f"{prefix}:{i}:{r}",
            "recipient_id": r,
            "kind": "test",
            "urgent": urgent,
            "payload": {"text": f"message {i}"},
            "next_attempt_at": clock.now,
            "attempts": 0,
            "attempt_log": [],
            "status": OutboxStatus.PENDING,
        }
        for i, r in enumerate(recipients)
    ]
    async with database.sessions() as session, session.begin():
        return await outbox.queue(session, rows)


async def messages(database: Database) -> list[OutboxMessage]:
    async with database.sessions() as session:
        return list(
            (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        )


MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


async def test_sends_each_message_once_and_marks_the_unreachable(
    database: Database, connector: FakeConnector, people: dict[str, int]
) -> None:
    clock = Clock(MONDAY_10AM)
    assert await queue(database, clock, [people["a"], people["b"], people["c"]]) == 3
    assert await queue(database, clock, [people["a"], people["b"], people["c"]]) == 0

    report = await sender(database, clock).drain()
    again = await sender(database, clock).drain()

    assert (report.sent, report.unreachable, again.sent) == (2, 1, 0)
    assert sorted(a["_conversation_id"] for a in connector.sent) == ["a:a", "a:b"]
    stored = await messages(database)
    assert [m.status for m in stored] == [
        OutboxStatus.SENT,
        OutboxStatus.SENT,
        OutboxStatus.UNREACHABLE,
    ]
    assert [log["code"] for log in stored[0].attempt_log] == [201]
    assert stored[2].last_error == "no personal chat with the bot (not installed)"


async def test_the_status_teams_really_answered_is_recorded(
    database: Database, connector: FakeConnector, people: dict[str, int]
) -> None:
    clock = Clock(MONDAY_10AM)
    await queue(database, clock, [people["a"], people["b"]])
    # Teams may accept a message with 200, 201 or 202: the attempt log keeps which.
    connector.script = [(202, {}), (200, {})]

    report = await sender(database, clock).drain()

    assert report.sent == 2
    codes = sorted(log["code"] for m in await messages(database) for log in m.attempt_log)
    assert codes == [200, 202]


async def test_429_waits_for_retry_after_then_sends(
    database: Database, connector: FakeConnector, people: dict[str, int]
) -> None:
    clock = Clock(MONDAY_10AM)
    await queue(database, clock, [people["a"]])
    connector.script = [(429, {"Retry-After": "7"})]

    first = await sender(database, clock).drain()
    [waiting] = await messages(database)
    clock.now += timedelta(seconds=6)
    early = await sender(database, clock).drain()
    clock.now += timedelta(seconds=2)
    late = await sender(database, clock).drain()

    assert (first.retried, early.sent, late.sent) == (1, 0, 1)
    assert waiting.next_attempt_at == MONDAY_10AM + timedelta(seconds=7)
    [done] = await messages(database)
    assert [a["code"] for a in done.attempt_log] == [429, 201]
    assert len(connector.sent) == 1


async def test_a_drain_stays_to_retry_urgent_messages_as_they_fall_due(
    database: Database, connector: FakeConnector, people: dict[str, int]
) -> None:
    clock = Clock(datetime.now(UTC))
    await queue(database, clock, [people["a"]], urgent=True)
    connector.script = [(429, {"Retry-After": "0.3"})]

    def real_time() -> datetime:
        return datetime.now(UTC)

    report = await sender(database, real_time, linger=10).drain()

    assert (report.retried, report.sent) == (1, 1)
    [done] = await messages(database)
    assert [a["code"] for a in done.attempt_log] == [429, 201]


async def test_a_nudge_sends_new_messages_while_a_drain_waits_for_retries(
    database: Database, connector: FakeConnector, people: dict[str, int]
) -> None:
    # The clock stands still, so the 429's retry never falls due: only a nudge, or the
    # stop, can end the wait.
    clock = Clock(MONDAY_10AM)
    await queue(database, clock, [people["a"]], urgent=True, prefix="first")
    connector.script = [(429, {"Retry-After": "20"})]
    waiting = sender(database, clock, linger=30)
    drain = asyncio.create_task(waiting.drain())
    await until(lambda: connector.attempts == 1)

    await queue(database, clock, [people["b"]], urgent=True, prefix="second")
    waiting.nudge()
    await until(lambda: len(connector.sent) == 1)
    waiting.stop()
    report = await asyncio.wait_for(drain, 10)

    assert connector.sent[0]["text"] == "message 0"
    assert connector.sent[0]["_conversation_id"] == "a:b"
    assert (report.retried, report.sent) == (1, 1)


async def test_server_errors_back_off_and_give_up_after_the_limit(
    database: Database, connector: FakeConnector, people: dict[str, int]
) -> None:
    clock = Clock(MONDAY_10AM)
    await queue(database, clock, [people["a"]])
    connector.script = [(500, {}), (503, {}), (412, {})]
    delays = []

    for _ in range(3):
        await sender(database, clock, max_attempts=3).drain()
        [message] = await messages(database)
        delays.append((message.next_attempt_at - clock.now).total_seconds())
        clock.now = message.next_attempt_at

    [message] = await messages(database)
    assert message.status is OutboxStatus.FAILED
    assert [a["code"] for a in message.attempt_log] == [500, 503, 412]
    assert delays[:2] == [1.0, 2.0]  # 2 s then 4 s, halved by the (zero) jitter
    assert connector.sent == []


async def test_a_hanging_send_is_abandoned_and_retried(
    database: Database, connector: FakeConnector, people: dict[str, int]
) -> None:
    clock = Clock(MONDAY_10AM)
    await queue(database, clock, [people["a"]])
    connector.script = ["hang"]

    report = await sender(database, clock, send_timeout=0.2).drain()

    [message] = await messages(database)
    assert report.retried == 1
    assert message.attempt_log[0]["error"] == "timed out"


async def test_a_retry_falling_after_hours_waits_for_the_next_working_morning(
    database: Database, connector: FakeConnector, people: dict[str, int]
) -> None:
    friday_evening = datetime(2026, 11, 27, 17, 59, 59, tzinfo=UTC)
    clock = Clock(friday_evening)
    await queue(database, clock, [people["a"]])
    await queue(database, clock, [people["b"]], urgent=True, prefix="urgent")
    connector.script = [(500, {}), (500, {})]

    await sender(database, clock).drain()

    normal, urgent = await messages(database)
    assert normal.next_attempt_at == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 08:00
    assert urgent.next_attempt_at < datetime(2026, 11, 27, 18, 1, tzinfo=UTC)


async def test_a_sender_that_died_mid_send_leaves_nothing_lost(
    database: Database, connector: FakeConnector, people: dict[str, int]
) -> None:
    clock = Clock(MONDAY_10AM)
    await queue(database, clock, [people["a"], people["b"]])
    async with database.sessions() as session, session.begin():
        claimed = await outbox.claim(session, "dead-worker", clock.now, 10)
    assert len(claimed) == 2

    assert (await sender(database, clock).drain()).sent == 0  # still held by the dead worker
    clock.now += STALE_CLAIM + timedelta(seconds=1)
    report = await sender(database, clock).drain()

    assert report.sent == 2
    assert len(connector.sent) == 2


async def test_two_replicas_send_each_message_exactly_once(
    database: Database, connector: FakeConnector, people: dict[str, int]
) -> None:
    clock = Clock(MONDAY_10AM)
    recipients = [people["a"], people["b"]] * 60
    await queue(database, clock, recipients)

    # Sixty a conversation is over Teams' limits; this test is about replicas, not those.
    roomy = ((1.0, 1000),)
    reports = await asyncio.gather(
        sender(
            database, clock, worker="replica-1", conversation_limits=ConversationLimits(roomy)
        ).drain(),
        sender(
            database, clock, worker="replica-2", conversation_limits=ConversationLimits(roomy)
        ).drain(),
    )

    assert sum(r.sent for r in reports) == 120
    texts = [a["text"] for a in connector.sent]
    assert len(texts) == len(set(texts)) == 120
    assert all(m.status is OutboxStatus.SENT for m in await messages(database))


async def test_no_conversation_gets_more_than_teams_allows_and_held_messages_go_later(
    database: Database, connector: FakeConnector, people: dict[str, int]
) -> None:
    clock = Clock(MONDAY_10AM)
    ticks = [500.0]
    limits = ConversationLimits(clock=lambda: ticks[0])
    await queue(database, clock, [people["a"]] * 10 + [people["b"]] * 2, urgent=True)

    first = await sender(database, clock, conversation_limits=limits).drain()

    # Seven a second to one conversation; the other's messages are not held back.
    to = [a["_conversation_id"] for a in connector.sent]
    assert (to.count("a:a"), to.count("a:b")) == (7, 2)
    assert (first.sent, first.held) == (9, 3)
    held = [m for m in await messages(database) if m.status is OutboxStatus.PENDING]
    assert len(held) == 3
    # Held is not an attempt: nothing is used up of the message's retries.
    assert all(m.attempts == 0 and m.attempt_log == [] for m in held)
    assert [m.next_attempt_at for m in held] == [MONDAY_10AM + timedelta(seconds=1)] * 3

    # A second later the window has room for one more (eight in two seconds), then two.
    clock.now, ticks[0] = MONDAY_10AM + timedelta(seconds=1), 501.0
    second = await sender(database, clock, conversation_limits=limits).drain()
    assert (second.sent, second.held) == (1, 2)
    clock.now, ticks[0] = MONDAY_10AM + timedelta(seconds=2), 502.0
    third = await sender(database, clock, conversation_limits=limits).drain()
    assert third.sent == 2
    assert [a["_conversation_id"] for a in connector.sent].count("a:a") == 10
