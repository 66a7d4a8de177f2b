"""This module contains Delivery, the interface a sender sends through, and its result."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

# HTTP answers worth trying again: Teams' throttling, precondition races and server errors.
RETRYABLE_STATUS = frozenset({412, 429, 500, 502, 503, 504})


class Outcome(StrEnum):
    """What one attempt achieved."""

    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """One attempt: the HTTP status if there was one, and Retry-After if Teams gave one."""

    outcome: Outcome
    code: int | None = None
    retry_after: float | None = None
    error: str | None = None

    @classmethod
    def from_status(cls, code: int, retry_after: float | None = None) -> DeliveryResult:
        if 200 <= code < 300:
            return cls(Outcome.SENT, code)
        outcome = Outcome.RETRY if code in RETRYABLE_STATUS else Outcome.FAILED
        return cls(outcome, code, retry_after, f"HTTP {code}")


class Delivery(Protocol):
    """Sends one rendered message ({"text", "card"}) to a stored conversation reference."""

    async def deliver(
        self, reference: dict[str, Any], payload: dict[str, Any]
    ) -> DeliveryResult: ...
