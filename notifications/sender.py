"""This module contains OutboxSender: claims queued messages and delivers each exactly once."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from notifications.delivery import Delivery, DeliveryResult, Outcome
from notifications.limiter import RateLimiter
from notifications.quiet_hours import QuietHours
from notifications.rendering import materialise
from store.models import OutboxStatus
from store.repositories import outbox
from store.repositories.outbox import Claimed

if TYPE_CHECKING:
    from store.db import Database

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BASE_BACKOFF_SECONDS = 2.0
MAX_BACKOFF_SECONDS = 600.0
# A claim older than this belongs to a sender that died; its messages go back in the queue.
# It must be longer than any send can take (SEND_TIMEOUT_SECONDS, per message).
STALE_CLAIM = timedelta(minutes=5)
# A send that hangs longer than this is abandoned and retried.
SEND_TIMEOUT_SECONDS = 30.0
BATCH_SIZE = 100
CONCURRENCY = 25


@dataclass
class DrainReport:
    """What one drain did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0
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
        limiter: RateLimiter | None = None,
        clock: Callable[[], datetime],
        max_attempts: int = MAX_ATTEMPTS,
        jitter: Callable[[], float] = random.random,
        send_timeout: float = SEND_TIMEOUT_SECONDS,
        stale_claim: timedelta = STALE_CLAIM,
    ) -> None:
        self._database = database
        self._delivery = delivery
        self._quiet_hours = quiet_hours
        self._worker = worker
        self._limiter = limiter or RateLimiter()
        self._clock = clock
        self._max_attempts = max_attempts
        self._jitter = jitter
        self._send_timeout = send_timeout
        self._stale_claim = stale_claim

    async def drain(self) -> DrainReport:
        """Sends everything due now; returns when the queue has nothing due."""
        report = DrainReport()
        async with self._database.sessions() as session, session.begin():
            released = await outbox.release_stale(session, self._clock() - self._stale_claim)
        if released:
            logger.warning("Requeued %d message(s) left by a sender that stopped", released)
        semaphore = asyncio.Semaphore(CONCURRENCY)

        async def one(message: Claimed) -> None:
            async with semaphore:
                await self._send(message, report)

        while batch := await self._claim():
            await asyncio.gather(*(one(message) for message in batch))
        return report

    async def _claim(self) -> list[Claimed]:
        async with self._database.sessions() as session, session.begin():
            return await outbox.claim(session, self._worker, self._clock(), BATCH_SIZE)

    async def _send(self, message: Claimed, report: DrainReport) -> None:
        if message.reference is None:
            await self._finish(
                message,
                OutboxStatus.UNREACHABLE,
                None,
                error="no personal chat with the bot (not installed)",
            )
            report.unreachable += 1
            return
        await self._limiter.acquire()
        try:
            result = await asyncio.wait_for(
                self._delivery.deliver(message.reference, materialise(message.payload)),
                self._send_timeout,
            )
        except TimeoutError:
            result = DeliveryResult(Outcome.RETRY, None, None, "timed out")
        report.codes.append(result.code)
        attempt = {"at": self._clock().isoformat(), "code": result.code, "error": result.error}
        if result.outcome is Outcome.SENT:
            await self._finish(message, OutboxStatus.SENT, attempt, sent_at=self._clock())
            report.sent += 1
        elif result.outcome is Outcome.RETRY and message.attempts + 1 < self._max_attempts:
            await self._finish(
                message,
                OutboxStatus.PENDING,
                attempt,
                next_attempt_at=self._next_try(message, result),
                error=result.error,
            )
            report.retried += 1
        else:
            await self._finish(message, OutboxStatus.FAILED, attempt, error=result.error)
            logger.warning(
                "Message %s failed after %d attempt(s): %s",
                message.id,
                message.attempts + 1,
                result.error,
            )
            report.failed += 1

    def _next_try(self, message: Claimed, result: DeliveryResult) -> datetime:
        if result.retry_after is not None:
            delay = result.retry_after
        else:
            # Exponential backoff with full jitter, so retries from many rows spread out.
            ceiling = min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2**message.attempts)
            delay = ceiling * (0.5 + self._jitter() / 2)
        at = self._clock() + timedelta(seconds=delay)
        return at if message.urgent else self._quiet_hours.next_allowed(at)

    async def _finish(
        self,
        message: Claimed,
        status: OutboxStatus,
        attempt: dict[str, Any] | None,
        *,
        next_attempt_at: datetime | None = None,
        sent_at: datetime | None = None,
        error: str | None = None,
    ) -> None:
        async with self._database.sessions() as session, session.begin():
            await outbox.finish(
                session,
                message.id,
                status=status,
                attempt=attempt,
                next_attempt_at=next_attempt_at,
                sent_at=sent_at,
                error=error,
            )
