"""This module decides who is chased about an unacknowledged inspection call, and when."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class ChaseKind(StrEnum):
    """A reminder to the person, or a message to their line manager."""

    REMINDER = "call_reminder"
    ESCALATION = "call_escalation"


@dataclass(frozen=True, slots=True)
class ChasePolicy:
    """Reminders every `renotify_after`; managers told from `escalate_after`, every
    `renotify_after` after that; `rounds` of each at most."""

    renotify_after: timedelta = timedelta(minutes=15)
    escalate_after: timedelta = timedelta(minutes=30)
    rounds: int = 3

    def __post_init__(self) -> None:
        if self.renotify_after <= timedelta(0) or self.escalate_after <= timedelta(0):
            raise ValueError("the chase intervals must be positive")
        if self.rounds < 0:
            raise ValueError("rounds cannot be negative")

    def reminder_round(self, elapsed: timedelta) -> int:
        """Which reminder round has been reached `elapsed` after the call (0: none yet)."""
        return min(self.rounds, int(elapsed / self.renotify_after))

    def escalation_round(self, elapsed: timedelta) -> int:
        """Which escalation round has been reached (0: none yet)."""
        if elapsed < self.escalate_after:
            return 0
        return min(self.rounds, 1 + int((elapsed - self.escalate_after) / self.renotify_after))


@dataclass(frozen=True, slots=True)
class Chase:
    """One message to send: to `recipient_id`, about the people in `about`."""

    kind: ChaseKind
    round: int
    recipient_id: int
    about: tuple[int, ...]
    dedupe_key: str


def plan_chases(
    call_id: int,
    called_at: datetime,
    now: datetime,
    unacknowledged: list[tuple[int, int | None]],
    policy: ChasePolicy,
    fallback: list[int],
) -> list[Chase]:
    """The chases due now for everyone in `unacknowledged` ((person, line manager) pairs).

    Only the round reached now is planned: after a pause (a restart, say) people get the
    current reminder once, not every round they missed. The dedupe keys name the round, so
    planning again in the same round queues nothing new. People without a line manager are
    reported to `fallback` (the coordinator who made the call).
    """
    elapsed = now - called_at
    chases: list[Chase] = []
    reminder = policy.reminder_round(elapsed)
    if reminder:
        chases += [
            Chase(
                ChaseKind.REMINDER,
                reminder,
                person,
                (person,),
                f"call:{call_id}:remind:{reminder}:{person}",
            )
            for person, _ in unacknowledged
        ]
    escalation = policy.escalation_round(elapsed)
    if escalation:
        by_manager: dict[int, list[int]] = defaultdict(list)
        for person, manager in unacknowledged:
            for told in [manager] if manager is not None else fallback:
                if told != person:
                    by_manager[told].append(person)
        chases += [
            Chase(
                ChaseKind.ESCALATION,
                escalation,
                manager,
                tuple(people),
                f"call:{call_id}:escalate:{escalation}:{manager}",
            )
            for manager, people in sorted(by_manager.items())
        ]
    return chases
