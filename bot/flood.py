"""This module contains TurnLimiter: at most N turns a minute per person and per conversation."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from enum import StrEnum

WINDOW_SECONDS = 60.0
SLOW_DOWN = (
    "Slow down, please: I answer up to {limit} messages a minute, so I skipped some of "
    "yours. Wait a moment and try again."
)


class Admission(StrEnum):
    """What to do with one inbound turn."""

    # Run it.
    ADMIT = "admit"
    # Over the limit: answer once with SLOW_DOWN, do nothing else.
    WARN = "warn"
    # Over the limit and already told: drop it without any work.
    DROP = "drop"


class TurnLimiter:
    """A sliding one-minute window of admitted turns for each key (a person, a conversation).

    A turn is admitted only if every key it carries is under the limit; refused turns are
    not counted, so someone who keeps sending still gets `limit` answers a minute. Each
    key is warned at most once a window. Keys idle for a window are forgotten, so memory
    stays proportional to the people active in the last minute.

    The limit is per process: with several replicas behind a load balancer, a person could
    get up to `limit` turns a minute from each.
    """

    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        window: float = WINDOW_SECONDS,
    ) -> None:
        self.limit = per_minute
        self._clock = clock
        self._window = window
        self._admitted: dict[str, deque[float]] = {}
        self._warned: dict[str, float] = {}
        self._next_sweep = 0.0

    @property
    def slow_down_text(self) -> str:
        """The one answer a sender gets when they pass the limit."""
        return SLOW_DOWN.format(limit=self.limit)

    def admit(self, keys: Sequence[str]) -> Admission:
        """Counts a turn carrying `keys` if it is allowed; otherwise says how to refuse it."""
        now = self._clock()
        self._sweep(now)
        over = [key for key in keys if len(self._recent(key, now)) >= self.limit]
        if not over:
            for key in keys:
                self._admitted.setdefault(key, deque()).append(now)
            return Admission.ADMIT
        unwarned = [
            key for key in over if now - self._warned.get(key, -self._window) >= self._window
        ]
        if not unwarned:
            return Admission.DROP
        for key in unwarned:
            self._warned[key] = now
        return Admission.WARN

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._admitted.get(key)
        if times is None:
            return deque()
        while times and now - times[0] >= self._window:
            times.popleft()
        return times

    def _sweep(self, now: float) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + self._window
        for key in [k for k, times in self._admitted.items() if not self._recent(k, now)]:
            del self._admitted[key]
        for key in [k for k, at in self._warned.items() if now - at >= self._window]:
            del self._warned[key]
