"""The replica's own limiter: 49 a second, and never more than 49 in any one second."""

from __future__ import annotations

import bisect
import random

from notifications.limiter import DEFAULT_RATE, RateLimiter
from tests.clocks import Ticks


async def test_no_one_second_window_holds_more_sends_than_the_rate() -> None:
    ticks = Ticks(0.0)
    late = random.Random(7)

    async def sleep(seconds: float) -> None:
        # An event loop wakes a sleeper late, never early: the limiter must not catch up.
        ticks.now += seconds + (0.05 if late.random() < 0.1 else 0.0)

    limiter = RateLimiter(clock=ticks, sleep=sleep)
    times = []
    for _ in range(2000):
        await limiter.acquire()
        times.append(ticks.now)

    busiest = max(bisect.bisect_right(times, t + 1.0 - 1e-9) - i for i, t in enumerate(times))
    assert busiest <= DEFAULT_RATE
    # And it keeps under its rate over the run.
    assert 2000 / times[-1] <= DEFAULT_RATE + 0.5
