"""This module contains Reply, what a dialog asks the bot to send back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from notifications.call_installs import InstallRequest


@dataclass(frozen=True, slots=True)
class Notice:
    """A message for someone else, sent proactively once the change is saved."""

    staff_id: int
    name: str
    reply: Reply


@dataclass(frozen=True, slots=True)
class Reply:
    """A text message, an Adaptive Card, or both (the text then summarises the card).

    `notices` go to other people (a manager asked to approve, say) after the turn's
    changes are committed; `refresh` marks a card that replaces the one acted on.
    `follow_up` is sent as a further message after this one; when it is an inspection
    call's status card, `status_of_call` names the call, so the card can be kept up to date
    where it was sent. `urgent_queued` says urgent messages are waiting in the outbox;
    `installs` asks for the app to be installed, after the commit, for people whose
    inspection-call alerts are held for it.
    """

    text: str | None = None
    card: dict[str, Any] | None = None
    notices: tuple[Notice, ...] = ()
    refresh: bool = False
    follow_up: Reply | None = None
    status_of_call: int | None = None
    # A call whose card of the inspectors' cases this is: kept up to date where it is sent.
    audits_card_of_call: int | None = None
    urgent_queued: bool = False
    roster_changed: bool = False
    installs: InstallRequest | None = None

    def __post_init__(self) -> None:
        if self.text is None and self.card is None:
            raise ValueError("a reply needs text, a card, or both")
