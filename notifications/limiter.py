"""This module contains RateLimiter, a token bucket that keeps sends under Teams' limits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

# Teams allows about 50 requests a second per app per tenant; stay a little under, with no
# burst beyond the next send, so that no one-second window holds more than 49 of them (a
# bucket of two lets a late wake-up catch up, and a window then holds 50).
DEFAULT_RATE = 49.0
DEFAULT_BURST = 1.0


class SendLimit(Protocol):
    """What the sender waits on before each send: this replica's bucket, or the budget all
    replicas share (notifications/shared_budget.py)."""

    async def acquire(self) -> None:
        """Waits until a send is allowed."""


class RateLimiter:
    """Lets `rate` acquisitions through per second on average, bursts up to `burst`."""

    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        burst: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._rate = rate
        self._capacity = burst if burst is not None else min(rate, DEFAULT_BURST)
        self._tokens = self._capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Waits until a send is allowed."""
        async with self._lock:
            while True:
                now = self._clock()
                self._tokens = min(
                    self._capacity, self._tokens + (now - self._updated) * self._rate
                )
                self._updated = now
                # Within a rounding error of a whole token is a token: sleeping exactly the
                # time one takes to refill can leave it a hair short.
                if self._tokens >= 1 - 1e-9:
                    self._tokens = max(self._tokens - 1, 0.0)
                    return
                await self._sleep((1 - self._tokens) / self._rate)
