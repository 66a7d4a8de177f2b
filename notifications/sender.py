"""This module contains OutboxSender: claims queued messages and delivers each exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from cards.rendering import materialise
from notifications.conversation_limits import ConversationLimits
from notifications.limiter import RateLimiter, SendLimit
from notifications.quiet_hours import QuietHours
from store.models import OutboxChannel, OutboxStatus
from store.repositories import outbox
from store.repositories.outbox import Claimed
from teams.types import Delivery, DeliveryResult, OutboundMessage, Outcome, StoredReference

if TYPE_CHECKING:
    from store.db import Database

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BASE_BACKOFF_SECONDS = 2.0
# The inspection call retries sooner: half a second to a second at first, still about half
# a minute across all attempts, so a short outage is ridden out.
URGENT_BASE_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 600.0
# A claim older than this belongs to a sender that died; its messages go back in the queue.
# A live sender holds a claim while the message waits its turn (a batch and the workers'
# queue: under 3 s at the rate limit) and then for one send (SEND_TIMEOUT_SECONDS at most),
# so a minute is safely longer, and short enough that a crashed broadcast resumes quickly.
STALE_CLAIM = timedelta(minutes=1)
# A send that hangs longer than this is abandoned and retried.
SEND_TIMEOUT_SECONDS = 30.0
BATCH_SIZE = 100
CONCURRENCY = 25
# Outcomes are written in groups this large, or this long after the first of a group.
FLUSH_SIZE = 10
FLUSH_SECONDS = 0.5


class OtherChannels(Protocol):
    """Sends the outbox messages that do not go to Teams (SMS and email), each within its
    own service's rate limit; never raises, every outcome is a result."""

    async def send(self, message: Claimed) -> DeliveryResult: ...

    async def close(self) -> None: ...


@dataclass
class DrainReport:
    """What one drain did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0
    # Held back because their conversation was at Teams' per-conversation limit.
    held: int = 0
    codes: list[int | None] = field(default_factory=list)


class OutboxSender:
    """Sends due outbox messages within the rate limit, retrying what can be retried."""

    def __init__(
        self,
        database: Database,
        delivery: Delivery,
        quiet_hours: QuietHours,
        *,
        worker: str,
        limiter: SendLimit | None = None,
        clock: Callable[[], datetime],
        max_attempts: int = MAX_ATTEMPTS,
        jitter: Callable[[], float] = random.random,
        send_timeout: float = SEND_TIMEOUT_SECONDS,
        stale_claim: timedelta = STALE_CLAIM,
        linger: float = 0.0,
        other_channels: OtherChannels | None = None,
        conversation_limits: ConversationLimits | None = None,
    ) -> None:
        self._database = database
        # Shared with the bot's replies in this process, so they count in the same windows.
        self._conversations = (
            conversation_limits if conversation_limits is not None else ConversationLimits()
        )
        self._delivery = delivery
        self._other_channels = other_channels
        self._quiet_hours = quiet_hours
        self._worker = worker
        self._limiter: SendLimit = limiter or RateLimiter()
        self._clock = clock
        self._max_attempts = max_attempts
        self._jitter = jitter
        self._send_timeout = send_timeout
        self._stale_claim = stale_claim
        # How long a drain stays to retry urgent messages (a 429 during the inspection
        # call) rather than leave them for the next scheduled drain; 0 to never stay.
        self._linger = linger
        self._stopping = False
        # Set when new messages are queued, or at shutdown: wakes a drain that is waiting
        # for urgent retries, so what was just queued does not wait behind them.
        self._nudged = asyncio.Event()

    def nudge(self) -> None:
        """New messages are queued: a drain waiting for retries sends them now."""
        self._nudged.set()

    def stop(self) -> None:
        """Ends a drain that is waiting to retry urgent messages (at shutdown)."""
        self._stopping = True
        self._nudged.set()

    async def close(self) -> None:
        """Closes the connections to the other channels' services (after the last drain)."""
        if self._other_channels is not None:
            await self._other_channels.close()

    async def drain(self) -> DrainReport:
        """Sends everything due now; returns when the queue has nothing due."""
        report = DrainReport()
        async with self._database.sessions() as session, session.begin():
            released = await outbox.release_stale(session, self._clock() - self._stale_claim)
        if released:
            logger.warning("Requeued %d message(s) left by a sender that stopped", released)
        lingered_until = time.monotonic() + self._linger
        while not self._stopping:
            # Cleared before claiming: a nudge from here on is seen by the wait below.
            self._nudged.clear()
            await self._send_due(report)
            wait = await self._urgent_retry_in(lingered_until - time.monotonic())
            if wait is None:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._nudged.wait(), wait)
        return report

    async def _send_due(self, report: DrainReport) -> None:
        """Claims due messages in batches and sends them with a pool of workers, so the
        rate limiter is never left idle between batches; outcomes are written in small
        groups (one transaction each) rather than one transaction per message."""
        messages: asyncio.Queue[Claimed | None] = asyncio.Queue(maxsize=CONCURRENCY)
        outcomes = _Outcomes(self._record)

        async def work() -> None:
            while (message := await messages.get()) is not None:
                await outcomes.add(await self._attempt(message, report))

        workers = [asyncio.create_task(work()) for _ in range(CONCURRENCY)]
        try:
            while batch := await self._claim():
                for message in batch:
                    await messages.put(message)
        finally:
            for _ in workers:
                await messages.put(None)
            await asyncio.gather(*workers)
            await outcomes.flush()

    async def _urgent_retry_in(self, allowed: float) -> float | None:
        """Seconds until the next urgent retry is due, if that is within `allowed`."""
        if allowed <= 0:
            return None
        async with self._database.sessions() as session:
            due = await outbox.next_urgent_retry(session)
        if due is None:
            return None
        wait = max((due - self._clock()).total_seconds(), 0.05)
        return wait if wait <= allowed else None

    async def _claim(self) -> list[Claimed]:
        async with self._database.sessions() as session, session.begin():
            return await outbox.claim(session, self._worker, self._clock(), BATCH_SIZE)

    async def _attempt(self, message: Claimed, report: DrainReport) -> Finished:
        """Sends one message and says how its row should be left."""
        if message.channel is OutboxChannel.TEAMS:
            try:
                reference = (
                    StoredReference.from_dict(message.reference) if message.reference else None
                )
            except ValueError:
                reference = None
            if reference is None:
                report.unreachable += 1
                return Finished(
                    message,
                    OutboxStatus.UNREACHABLE,
                    None,
                    error="no personal chat with the bot (not installed)",
                )
            wait = self._conversations.take(reference.conversation_id)
            if wait > 0:
                # Not an attempt: the message goes when its conversation has room again.
                report.held += 1
                return Finished(
                    message,
                    OutboxStatus.PENDING,
                    None,
                    next_attempt_at=self._due_after(message, wait),
                )
            await self._limiter.acquire()
            sending = self._delivery.send(
                reference, OutboundMessage.from_payload(materialise(message.payload))
            )
        elif self._other_channels is not None:
            sending = self._other_channels.send(message)
        else:
            # Queued while GOV.UK Notify was set up, and it no longer is.
            report.failed += 1
            return Finished(
                message,
                OutboxStatus.FAILED,
                None,
                error=f"not sent: {message.channel} needs GOV.UK Notify, which is not set up",
            )
        try:
            result = await asyncio.wait_for(sending, self._send_timeout)
        except TimeoutError:
            result = DeliveryResult(Outcome.RETRY, None, None, "timed out")
        report.codes.append(result.code)
        attempt = {"at": self._clock().isoformat(), "code": result.code, "error": result.error}
        if result.outcome is Outcome.SENT:
            report.sent += 1
            return Finished(
                message,
                OutboxStatus.SENT,
                attempt,
                sent_at=self._clock(),
                sent_activity_id=result.activity_id,
            )
        if result.outcome is Outcome.RETRY and message.attempts + 1 < self._max_attempts:
            report.retried += 1
            return Finished(
                message,
                OutboxStatus.PENDING,
                attempt,
                next_attempt_at=self._next_try(message, result),
                error=result.error,
            )
        logger.warning(
            "Message %s failed after %d attempt(s): %s",
            message.id,
            message.attempts + 1,
            result.error,
        )
        report.failed += 1
        return Finished(message, OutboxStatus.FAILED, attempt, error=result.error)

    def _next_try(self, message: Claimed, result: DeliveryResult) -> datetime:
        if result.retry_after is not None:
            delay = result.retry_after
        else:
            # Exponential backoff with full jitter, so retries from many rows spread out.
            base = URGENT_BASE_BACKOFF_SECONDS if message.urgent else BASE_BACKOFF_SECONDS
            ceiling = min(MAX_BACKOFF_SECONDS, base * 2**message.attempts)
            delay = ceiling * (0.5 + self._jitter() / 2)
        return self._due_after(message, delay)

    def _due_after(self, message: Claimed, seconds: float) -> datetime:
        """When to try again in `seconds`; a message that is not urgent waits for working
        hours."""
        at = self._clock() + timedelta(seconds=seconds)
        return at if message.urgent else self._quiet_hours.next_allowed(at)

    async def _record(self, finished: list[Finished]) -> None:
        async with self._database.sessions() as session, session.begin():
            await outbox.finish_many(session, [f.row() for f in finished])


@dataclass(frozen=True, slots=True)
class Finished:
    """How one attempt leaves its message's row."""

    message: Claimed
    status: OutboxStatus
    attempt: dict[str, Any] | None
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    # The id the channel gave the sent message (Teams: what read receipts are compared with).
    sent_activity_id: str | None = None
    error: str | None = None

    def row(self) -> dict[str, Any]:
        """The row's new values, for outbox.finish_many."""
        values: dict[str, Any] = {
            "id": self.message.id,
            "status": self.status,
            "claimed_by": None,
            "claimed_at": None,
            "sent_at": self.sent_at,
            "sent_activity_id": self.sent_activity_id[:100] if self.sent_activity_id else None,
            "last_error": self.error[:300] if self.error else None,
        }
        if self.attempt is not None:
            values["attempts"] = self.message.attempts + 1
            values["attempt_log"] = [*self.message.attempt_log, self.attempt]
        if self.next_attempt_at is not None:
            values["next_attempt_at"] = self.next_attempt_at
        return values


class _Outcomes:
    """Collects finished attempts and writes them a few at a time.

    A message is sent twice only if the process dies after sending it and before its row
    is written; writing every FLUSH_SIZE outcomes, or FLUSH_SECONDS after the oldest,
    keeps that window to a fraction of a second at full speed.
    """

    def __init__(self, record: Callable[[list[Finished]], Awaitable[None]]) -> None:
        self._record = record
        self._pending: list[Finished] = []
        self._oldest = 0.0
        self._lock = asyncio.Lock()

    async def add(self, finished: Finished) -> None:
        if not self._pending:
            self._oldest = time.monotonic()
        self._pending.append(finished)
        if len(self._pending) >= FLUSH_SIZE or time.monotonic() - self._oldest > FLUSH_SECONDS:
            await self.flush()

    async def flush(self) -> None:
        async with self._lock:
            batch, self._pending = self._pending, []
            if batch:
                await self._record(batch)
