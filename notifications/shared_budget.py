"""This module contains SharedSendBudget: one rate limit for every replica of the service.

Teams allows an app about 50 requests a second per tenant, whichever replica makes them.
Each replica's own token bucket (notifications/limiter.py) keeps one replica under it;
two would send twice as fast. Here the schedule lives in one database row: each send
moves "the next free moment" on by 1/rate and waits until the moment it took, so the
replicas together keep to the rate. Replies to people's messages take their moment too,
without waiting for it, so the outbox leaves room for them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy import text

from notifications.limiter import DEFAULT_RATE
from store.db import Database

# One row per service whose limit the replicas share.
TEAMS_BUDGET = 1
# GOV.UK Notify: 3,000 messages a minute per service, whichever replica sends them.
NOTIFY_BUDGET = 2
# The database's own clock, so that replicas on machines whose clocks differ agree.
_TAKE = text(
    """
    UPDATE send_budget
    SET next_free = GREATEST(next_free, EXTRACT(EPOCH FROM clock_timestamp())) + :interval
    WHERE id = :row
    RETURNING next_free - :interval - EXTRACT(EPOCH FROM clock_timestamp())
    """
)
_CREATE = text(
    "INSERT INTO send_budget (id, next_free) VALUES (:row, 0) ON CONFLICT (id) DO NOTHING"
)
# A moment taken further ahead than this means the schedule is full for a while: the
# sender then waits in steps, so that a stand-down can still stop it.
MAX_WAIT_SECONDS = 5.0


class SharedSendBudget:
    """A rate limit kept in the database (PostgreSQL), shared by every replica."""

    def __init__(
        self,
        database: Database,
        rate: float = DEFAULT_RATE,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        row: int = TEAMS_BUDGET,
    ) -> None:
        if database.is_sqlite:
            raise ValueError("a shared send budget needs PostgreSQL; SQLite runs one replica")
        self._database = database
        self._interval = 1.0 / rate
        self._sleep = sleep
        self._row = row
        self._created = False

    async def acquire(self) -> None:
        """Waits for this replica's turn to send."""
        wait = await self._take()
        while wait > 0:
            step = min(wait, MAX_WAIT_SECONDS)
            await self._sleep(step)
            wait -= step

    async def take_now(self) -> None:
        """Counts a send that must not wait (a reply to someone's message)."""
        await self._take()

    async def _take(self) -> float:
        async with self._database.sessions() as session, session.begin():
            if not self._created:
                await session.execute(_CREATE, {"row": self._row})
                self._created = True
            result = await session.execute(_TAKE, {"interval": self._interval, "row": self._row})
            return float(result.scalar_one())
