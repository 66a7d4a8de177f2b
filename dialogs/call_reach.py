"""This module works out who the inspection-call alert will reach, and how, for its preview."""

from __future__ import annotations

from dataclasses import dataclass

from notifications.call_fallback import CallFallback
from store.models import OutboxChannel, Staff


@dataclass(frozen=True, slots=True)
class Reach:
    """Before the alert goes: how many get it in Teams, how many of the rest by SMS or
    email instead, and who gets it nowhere (to be phoned)."""

    teams: int
    not_in_teams: int
    by_sms: int
    by_email: int
    # Of those not in Teams, how many get an SMS, an email or both.
    elsewhere: int
    nowhere: list[Staff]
    # "SMS or email", "SMS" or "email"; None when GOV.UK Notify is not set up.
    fallback_how: str | None

    def fallback_line(self) -> str | None:
        """How those not in Teams get it instead, when any do."""
        if not self.elsewhere:
            return None
        counts = []
        if self.by_sms:
            counts.append(f"{self.by_sms} by SMS")
        if self.by_email:
            counts.append(f"{self.by_email} by email")
        both = (
            " (both where the roster has a mobile and an email address)"
            if (self.by_sms and self.by_email)
            else ""
        )
        return f"{' and '.join(counts)}, each with a personal link to acknowledge{both}."

    def send_title(self, drill: bool) -> str:
        """The send button's words: exactly whom it reaches, and where."""
        what = "DRILL alert" if drill else "alert"
        people = "person" if self.teams == 1 else "people"
        if self.teams and self.elsewhere:
            return (
                f"Send the {what} to {self.teams} {people} in Teams and {self.elsewhere} by "
                f"{self.fallback_how}"
            )
        if self.teams:
            return f"Send the {what} to {self.teams} {people} in Teams"
        if self.elsewhere:
            people = "person" if self.elsewhere == 1 else "people"
            return f"Send the {what} to {self.elsewhere} {people} by {self.fallback_how}"
        where = f"in Teams or by {self.fallback_how}" if self.fallback_how else "in Teams"
        return f"Start the {what} (nobody can get it {where})"


def reach_of(people: list[Staff], in_teams: set[int], fallback: CallFallback | None) -> Reach:
    """Who of `people` the alert reaches: in Teams (those in `in_teams`, with a chat with
    the bot), else by SMS or email where GOV.UK Notify is set up and the roster has the
    person's mobile or address."""
    elsewhere = [p for p in people if p.id not in in_teams]
    channels = {
        p.id: fallback.channels_for(p.mobile, p.email) if fallback else [] for p in elsewhere
    }
    return Reach(
        teams=len(people) - len(elsewhere),
        not_in_teams=len(elsewhere),
        by_sms=sum(OutboxChannel.SMS in c for c in channels.values()),
        by_email=sum(OutboxChannel.EMAIL in c for c in channels.values()),
        elsewhere=sum(bool(c) for c in channels.values()),
        nowhere=[p for p in elsewhere if not channels[p.id]],
        fallback_how=fallback.how if fallback else None,
    )
