"""The replica's own limiter: 49 a second, and never more than 50 in any one second."""

from __future__ import annotations

import bisect

from notifications.limiter import DEFAULT_RATE, RateLimiter
from tests.clocks import Ticks


async def test_no_one_second_window_holds_more_than_fifty_sends() -> None:
    ticks = Ticks(0.0)

    async def sleep(seconds: float) -> None:
        ticks.now += seconds

    limiter = RateLimiter(clock=ticks, sleep=sleep)
    times = []
    for _ in range(500):
        await limiter.acquire()
        times.append(ticks.now)

    busiest = max(bisect.bisect_right(times, t + 1.0 - 1e-9) - i for i, t in enumerate(times))
    assert busiest <= 50
    # And it keeps to its rate over the run.
    assert 500 / times[-1] <= DEFAULT_RATE + 0.5
    assert 500 / times[-1] >= DEFAULT_RATE - 0.5
