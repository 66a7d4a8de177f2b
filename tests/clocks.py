"""Clocks the tests move by hand: one for dates and times, one for monotonic seconds."""

from __future__ import annotations

from datetime import datetime


class Clock:
    """A `clock()` for the app that says `now` until a test changes it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Ticks:
    """A `time.monotonic` stand-in, in seconds, that moves only when a test moves it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
