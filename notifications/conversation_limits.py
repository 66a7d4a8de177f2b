"""This module contains ConversationLimits: no conversation gets more than Teams allows.

Teams limits each bot to 7 operations a second in one conversation, 8 in 2 seconds, 60 in
30 seconds and 1800 in an hour (its "rate limiting for bots" page). A broadcast sends one
message per conversation, so the tenant's 50 a second is what it waits on; these windows
matter for the one conversation that gets many (a coordinator's, during the call: replies,
status-card refreshes, notices). Replies to a person are recorded, never delayed: they
answer someone waiting. Proactive messages wait for room.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable

# (seconds, operations allowed in any window that long), from Teams' documentation.
TEAMS_WINDOWS: tuple[tuple[float, int], ...] = ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800))
# Conversations not written to for this long are forgotten (the longest window).
FORGET_AFTER = max(seconds for seconds, _ in TEAMS_WINDOWS)


class ConversationLimits:
    """Sliding windows of recent sends per conversation, in this process."""

    def __init__(
        self,
        windows: tuple[tuple[float, int], ...] = TEAMS_WINDOWS,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._windows = windows
        self._clock = clock
        self._sent: dict[str, list[float]] = {}
        self._last_swept = clock()

    def __len__(self) -> int:
        """How many conversations are being counted."""
        return len(self._sent)

    def take(self, conversation_id: str) -> float:
        """Counts a send to the conversation and returns 0 if one is allowed now; otherwise
        counts nothing and returns the seconds until one is."""
        now = self._clock()
        self._sweep(now)
        times = self._recent(conversation_id, now)
        wait = 0.0
        for seconds, allowed in self._windows:
            inside = len(times) - bisect.bisect_right(times, now - seconds)
            if inside >= allowed:
                # Room comes when the oldest send that fills the window leaves it.
                wait = max(wait, times[len(times) - allowed] + seconds - now)
        if wait > 0:
            return wait
        times.append(now)
        return 0.0

    def record(self, conversation_id: str) -> None:
        """Counts a send that went whatever the windows said (a reply to the person)."""
        now = self._clock()
        self._recent(conversation_id, now).append(now)

    def _recent(self, conversation_id: str, now: float) -> list[float]:
        times = self._sent.setdefault(conversation_id, [])
        del times[: bisect.bisect_right(times, now - FORGET_AFTER)]
        return times

    def _sweep(self, now: float) -> None:
        # Memory stays bounded by the conversations written to in the last hour.
        if now - self._last_swept < FORGET_AFTER:
            return
        self._last_swept = now
        for conversation_id in [
            c for c, t in self._sent.items() if not t or t[-1] <= now - FORGET_AFTER
        ]:
            del self._sent[conversation_id]
