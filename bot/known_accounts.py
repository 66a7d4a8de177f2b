"""This module remembers, briefly, who each Teams account turned out to be.

Every turn starts by asking the roster who sent it. Most turns come from the same few
hundred accounts, and the answer rarely changes, so it is kept for a short while rather
than read from the database on every message. What is kept is the whole answer, a match,
no match or a refused match: an account that is not on the roster is not looked up (and
its member record fetched) again on each message either.

A relink in this process forgets everything at once. A change made elsewhere (the staff
file or `inspection-ready relink` on the command line) reaches a running service when
the remembered answer expires, within `KEEP_SECONDS`.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.identity import Identity
    from teams.types import TeamsUser

# Short enough that a leaver removed from the roster, or a coordinator's relink on the
# command line, takes effect within the minute; long enough to spare a busy hour's turns.
KEEP_SECONDS = 30.0
# A bound on memory whatever arrives: the oldest answers go first.
MAX_ACCOUNTS = 10_000


class KnownAccounts:
    """Identities by Teams account, each kept for `keep_seconds`."""

    def __init__(
        self,
        keep_seconds: float = KEEP_SECONDS,
        *,
        max_accounts: int = MAX_ACCOUNTS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._keep_seconds = keep_seconds
        self._max_accounts = max_accounts
        self._monotonic = monotonic
        self._kept: OrderedDict[tuple[str, str], tuple[float, Identity]] = OrderedDict()

    def get(self, user: TeamsUser) -> Identity | None:
        """The identity remembered for `user`, or None if there is none or it expired."""
        key = _key(user)
        kept = self._kept.get(key)
        if kept is None:
            return None
        expires, identity = kept
        if self._monotonic() >= expires:
            del self._kept[key]
            return None
        return identity

    def remember(self, user: TeamsUser, identity: Identity) -> None:
        key = _key(user)
        self._kept.pop(key, None)
        self._kept[key] = (self._monotonic() + self._keep_seconds, identity)
        while len(self._kept) > self._max_accounts:
            self._kept.popitem(last=False)

    def forget_all(self) -> None:
        """Drops every remembered identity: the roster changed in this process."""
        self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)


def _key(user: TeamsUser) -> tuple[str, str]:
    # The object id is the account; the tenant is part of the key so that the same id
    # seen from another tenant (which is refused) never shares an answer with home.
    return (user.aad_object_id or f"user:{user.user_id}", user.tenant_id or "")
