"""The SMS and email go through the outbox like every message: retried, kept, made once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from knowledge.working_days import WorkingDays
from notifications.broadcast import Broadcast, CallRequest
from notifications.call_chasing import ChasePolicy
from notifications.call_fallback import CallFallback
from notifications.call_fallback_sender import CallFallbackSender
from notifications.gov_notify import GovNotify
from notifications.limiter import RateLimiter
from notifications.playbook import Playbook
from notifications.quiet_hours import QuietHours, WorkingHours
from notifications.sender import OutboxSender
from store.db import Database
from store.models import CallAckLink, OutboxChannel, OutboxMessage, OutboxStatus, Staff
from store.repositories import call_ack_links
from teams.types import DeliveryResult, OutboundMessage, StoredReference
from tests.clocks import Clock
from tests.fake_notify import SMS_TEMPLATE, FakeNotify
from tests.importing import run, write_csv

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
ROSTER = """email,name,role,mobile
alexw@example.com,Alex Wilber,coordinator,
lynner@example.com,Lynne Robbins,admin,07700 900123
joannef@example.com,Joanne Fletcher,admin,
"""


class NoTeams:
    """Nobody here has the app: a send to Teams would be a mistake."""

    async def send(
        self, to: StoredReference, message: OutboundMessage, *, reply_to: str | None = None
    ) -> DeliveryResult:
        raise AssertionError("nothing should go to Teams")

    async def update(
        self, to: StoredReference, activity_id: str, message: OutboundMessage
    ) -> DeliveryResult:
        raise AssertionError("nothing should go to Teams")


@pytest.fixture
async def started(database: Database, tmp_path: Path) -> Database:
    """A call to a roster nobody has the app on; SMS is the only fallback set up."""
    await run(database, "staff", write_csv(tmp_path / "staff.csv", ROSTER))
    broadcast = Broadcast(
        Playbook.load(),
        WorkingDays(),
        LONDON,
        ChasePolicy(),
        fallback=CallFallback(frozenset({OutboxChannel.SMS})),
    )
    async with database.sessions() as session, session.begin():
        caller = (
            await session.execute(select(Staff).where(Staff.email == "alexw@example.com"))
        ).scalar_one()
        request = CallRequest("ilacs_short", date(2026, 11, 30), drill=False)
        assert await broadcast.start(session, request, caller, NOW) is not None
    return database


def sender(database: Database, notify: FakeNotify, clock: Clock) -> OutboxSender:
    gov_notify = GovNotify(notify.api_key, notify.url, limiter=RateLimiter(1000), threads=2)
    fallback = CallFallbackSender(
        database, gov_notify, {OutboxChannel.SMS: SMS_TEMPLATE}, "https://ir.example.gov.uk", clock
    )
    return OutboxSender(
        database,
        NoTeams(),
        QuietHours(LONDON, WorkingHours(datetime.min.time(), datetime.max.time()), WorkingDays()),
        worker="w1",
        clock=clock,
        jitter=lambda: 0.0,
        other_channels=fallback,
    )


async def sms_rows(database: Database) -> list[OutboxMessage]:
    async with database.sessions() as session:
        result = await session.execute(
            select(OutboxMessage).where(OutboxMessage.channel == OutboxChannel.SMS)
        )
        return list(result.scalars())


async def test_429_and_server_errors_are_retried_with_backoff_then_sent_once(
    started: Database, notify: FakeNotify
) -> None:
    clock = Clock(NOW)
    notify.script = [
        (429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests"),
        (500, "Exception", "Internal server error"),
    ]
    outbox = sender(started, notify, clock)
    try:
        first = await outbox.drain()
        [waiting] = await sms_rows(started)
        clock.now = waiting.next_attempt_at
        second = await outbox.drain()
        [waiting_again] = await sms_rows(started)
        clock.now = waiting_again.next_attempt_at
        third = await outbox.drain()
        fourth = await outbox.drain()
    finally:
        await outbox.close()

    # Only Lynne has a mobile; Joanne has no fallback here, and nobody has Teams.
    assert (first.unreachable, first.retried, second.retried, third.sent) == (2, 1, 1, 1)
    assert fourth.sent == fourth.retried == 0
    assert waiting.next_attempt_at == NOW + timedelta(seconds=0.5)  # 1 s, halved by jitter 0
    assert waiting_again.next_attempt_at - waiting.next_attempt_at == timedelta(seconds=1)
    [done] = await sms_rows(started)
    assert done.status is OutboxStatus.SENT
    assert [a["code"] for a in done.attempt_log] == [429, 500, 201]
    assert done.attempt_log[0]["error"].startswith("HTTP 429 RateLimitError")
    [sms] = notify.sent
    assert sms["phone_number"] == "+447700900123"
    assert sms["reference"] == f"inspection-call-1-{done.id}"
    # A link was made for each attempt; only the hash of each is kept, and the one sent works.
    token = sms["personalisation"]["link"].rsplit("/", 1)[1]
    async with started.sessions() as session:
        hashes = list((await session.execute(select(CallAckLink.token_hash))).scalars())
        found = await call_ack_links.find(session, token)
    assert len(hashes) == 3
    assert token not in hashes
    assert call_ack_links.hash_token(token) in hashes
    assert found is not None
    assert found.staff.email == "lynner@example.com"
    assert found.usable


async def test_a_refused_message_fails_at_once_and_is_kept_with_its_attempt(
    started: Database, notify: FakeNotify
) -> None:
    clock = Clock(NOW)
    notify.script = [
        (400, "BadRequestError", "Can't send to this recipient using a team-only API key")
    ]
    outbox = sender(started, notify, clock)
    try:
        report = await outbox.drain()
    finally:
        await outbox.close()

    [failed] = await sms_rows(started)
    assert (report.failed, failed.status) == (1, OutboxStatus.FAILED)
    assert failed.last_error == (
        "HTTP 400 BadRequestError: Can't send to this recipient using a team-only API key"
    )
    assert [a["code"] for a in failed.attempt_log] == [400]


async def test_without_notify_a_queued_sms_fails_saying_why(started: Database) -> None:
    clock = Clock(NOW)
    outbox = OutboxSender(
        started,
        NoTeams(),
        QuietHours(LONDON, WorkingHours(datetime.min.time(), datetime.max.time()), WorkingDays()),
        worker="w1",
        clock=clock,
    )

    report = await outbox.drain()

    [failed] = await sms_rows(started)
    assert (report.failed, failed.status) == (1, OutboxStatus.FAILED)
    assert failed.last_error == "not sent: sms needs GOV.UK Notify, which is not set up"
