"""This module contains CachedDirectory: member look-ups remembered for a few minutes.

Every turn from someone the roster does not know (yet) would otherwise ask Teams again who
they are: an HTTP call per message. Answers, "not found" included, are kept briefly.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from teams.types import Member, MemberDirectory, StoredReference

TTL_SECONDS = 300.0
MAX_ENTRIES = 10_000


class CachedDirectory:
    """A MemberDirectory in front of another, keeping each answer for TTL_SECONDS."""

    def __init__(
        self,
        inner: MemberDirectory,
        *,
        ttl: float = TTL_SECONDS,
        size: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._inner = inner
        self._ttl = ttl
        self._size = size
        self._clock = clock
        self._answers: OrderedDict[tuple[str | None, str], tuple[float, Member | None]] = (
            OrderedDict()
        )

    async def member(self, where: StoredReference, user_id: str) -> Member | None:
        key = (where.tenant_id, user_id)
        now = self._clock()
        kept = self._answers.get(key)
        if kept is not None and now - kept[0] < self._ttl:
            self._answers.move_to_end(key)
            return kept[1]
        found = await self._inner.member(where, user_id)
        self._answers[key] = (now, found)
        self._answers.move_to_end(key)
        while len(self._answers) > self._size:
            self._answers.popitem(last=False)
        return found
