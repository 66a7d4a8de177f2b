"""Clocks the tests move by hand: one for dates and times, one for monotonic seconds."""

from __future__ import annotations

import time
from datetime import datetime, timedelta


class Clock:
    """A `clock()` for the app that says `now` until a test changes it, or, once `run()`
    is called, moves on from `now` in real time."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._running_since: float | None = None

    def run(self) -> None:
        """From here on the clock moves with real time (for what waits on real time, such
        as Teams' per-conversation windows)."""
        self._running_since = time.monotonic()

    def __call__(self) -> datetime:
        if self._running_since is None:
            return self.now
        return self.now + timedelta(seconds=time.monotonic() - self._running_since)


class Ticks:
    """A `time.monotonic` stand-in, in seconds, that moves only when a test moves it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
