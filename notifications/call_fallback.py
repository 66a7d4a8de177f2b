"""This module decides who gets the inspection-call alert by SMS or email, and on which.

Anyone Teams cannot reach (no personal chat with the bot, or Teams refused or failed the
alert: a 403 MessageWritesBlocked when they have blocked the bot) gets it at once; from the
first reminder round, so does everyone still silent. Each person gets one SMS (if they have
a mobile) and one email per call, on the channels GOV.UK Notify is set up for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cards import call_messages
from cards.call_messages import CallFacts
from notifications.call_chasing import ChasePolicy
from store.models import InspectionCall, OutboxChannel, OutboxStatus
from store.repositories.call_fallbacks import Candidate
from store.repositories.outbox import new_row

FALLBACK_CHANNELS = (OutboxChannel.SMS, OutboxChannel.EMAIL)
CHANNEL_NAMES = {OutboxChannel.SMS: "SMS", OutboxChannel.EMAIL: "email"}
OFF = "off: GOV.UK Notify is not set up"


@dataclass(frozen=True, slots=True)
class CallFallback:
    """The channels the alert can fall back to: those with a GOV.UK Notify template."""

    channels: frozenset[OutboxChannel]

    def __post_init__(self) -> None:
        if not self.channels or not self.channels <= set(FALLBACK_CHANNELS):
            raise ValueError("a fallback needs SMS, email or both")

    @property
    def mobile_needed(self) -> bool:
        """Whether someone without a mobile has no fallback at all (SMS only)."""
        return OutboxChannel.EMAIL not in self.channels

    @property
    def how(self) -> str:
        """The channels as people read them: "SMS or email", "SMS" or "email"."""
        return " or ".join(CHANNEL_NAMES[c] for c in FALLBACK_CHANNELS if c in self.channels)

    def channels_for(self, mobile: str | None, email: str | None) -> list[OutboxChannel]:
        """Where this person's fallback goes: SMS to a mobile, email to an address, or both."""
        address = {OutboxChannel.SMS: mobile, OutboxChannel.EMAIL: email}
        return [c for c in FALLBACK_CHANNELS if c in self.channels and address[c]]

    def rows(
        self,
        call: InspectionCall,
        facts: CallFacts,
        candidates: list[Candidate],
        now: datetime,
    ) -> list[dict[str, Any]]:
        """One outbox row per person and channel; the dedupe key makes it once per call.

        People Teams can reach who are here are silent after the first reminder: their
        message says they have not acknowledged yet.
        """
        rows = []
        for person in candidates:
            payload = {
                "message": call_messages.fallback_text(facts, reminder=person.in_teams),
                "drill": call.drill,
            }
            rows += [
                new_row(
                    f"call:{call.id}:{channel}:{person.staff_id}",
                    person.staff_id,
                    f"call_{channel}",
                    payload,
                    now,
                    urgent=True,
                    call_id=call.id,
                    channel=channel,
                )
                for channel in self.channels_for(person.mobile, person.email)
            ]
        return rows


def status_facts(
    fallback: CallFallback | None, counts: dict[tuple[str, str], int]
) -> list[dict[str, str]]:
    """The status card's facts for SMS and email: sent, failed and still sending on each."""
    if fallback is None:
        return [{"title": "By SMS or email", "value": OFF}]
    facts = []
    for channel in FALLBACK_CHANNELS:
        if channel not in fallback.channels:
            continue
        sent = counts.get((channel, OutboxStatus.SENT), 0)
        failed = counts.get((channel, OutboxStatus.FAILED), 0)
        sending = counts.get((channel, OutboxStatus.PENDING), 0) + counts.get(
            (channel, OutboxStatus.SENDING), 0
        )
        value = f"{sent} sent, {failed} failed" + (f", {sending} sending" if sending else "")
        facts.append({"title": f"By {CHANNEL_NAMES[channel]}", "value": value})
    return facts


def policy_text(fallback: CallFallback | None, policy: ChasePolicy) -> str:
    """What the status card says about the fallback, after the chasing policy."""
    if fallback is None:
        return " There is no SMS or email fallback: GOV.UK Notify is not set up."
    text = f" Those Teams cannot reach get it by {fallback.how} with a link to acknowledge"
    if policy.rounds:
        minutes = int(policy.renotify_after.total_seconds() // 60)
        return f"{text}, and so does anyone still silent after {minutes} minutes."
    return f"{text}."
