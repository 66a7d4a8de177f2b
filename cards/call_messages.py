"""This module builds the inspection-call messages: the alert, chases, updates, the status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from cards.rendering import plain_text

DRILL_PREFIX = "DRILL: "
# How many names of people yet to acknowledge the status card lists before "and N more".
LISTED_NAMES = 20


@dataclass(frozen=True, slots=True)
class DatedTask:
    """A playbook task with its real deadline for one call."""

    title: str
    due_date: date


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What every message about one call says: which inspection, when, who called it."""

    call_id: int
    type_name: str
    on_site: date
    drill: bool
    called_by: str
    called_at: datetime
    timezone: ZoneInfo

    def context(self) -> dict[str, Any]:
        """Plain JSON values for a card template (stored in outbox rows)."""
        called = self.called_at.astimezone(self.timezone)
        return {
            "call_id": self.call_id,
            "type_name": self.type_name,
            "on_site": long_date(self.on_site),
            "drill": self.drill,
            "called_by": self.called_by,
            "called_at": f"{called:%H:%M} on {long_date(called.date())}",
        }

    def headline(self) -> str:
        """The message's first line, marked when it is a drill."""
        prefix = DRILL_PREFIX if self.drill else ""
        on_site = long_date(self.on_site)
        return f"{prefix}Inspection call: {self.type_name}, inspectors on site {on_site}"


def long_date(day: date) -> str:
    """'Monday 30 November 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def tasks_context(tasks: list[DatedTask]) -> list[dict[str, str]]:
    """A recipient's tasks for the card: 'By Tuesday 1 December' and the task."""
    return [{"due": long_date(task.due_date), "title": task.title} for task in tasks]


def alert(
    facts: CallFacts,
    staff_id: int,
    role: str | None,
    tasks: list[DatedTask],
    *,
    reminder_round: int = 0,
    acknowledged: str | None = None,
    stood_down: str | None = None,
) -> dict[str, Any]:
    """The alert (or, with `reminder_round`, a reminder to acknowledge it) for one person."""
    headline = facts.headline()
    if reminder_round:
        headline = f"Reminder {reminder_round}: please acknowledge. {headline}"
    context = {
        **facts.context(),
        "staff_id": staff_id,
        "role": role,
        "tasks": tasks_context(tasks),
        "reminder_round": reminder_round,
        "acknowledged": acknowledged,
        "stood_down": stood_down,
    }
    return {"text": headline, "template": "call_alert", "context": context, "important": True}


def escalation(facts: CallFacts, round_number: int, names: list[str]) -> dict[str, Any]:
    """For a line manager: which of their people have not acknowledged the alert."""
    prefix = DRILL_PREFIX if facts.drill else ""
    heading = f"{prefix}Not yet acknowledged by {len(names)} of your team"
    context = {**facts.context(), "heading": heading, "round": round_number, "names": names}
    return {"text": heading, "template": "call_escalation", "context": context, "important": True}


def update(facts: CallFacts, number: int, message: str, sender: str) -> dict[str, Any]:
    """An update from the coordinator to everyone the alert went to."""
    prefix = DRILL_PREFIX if facts.drill else ""
    return _notice(facts, f"{prefix}Inspection call update {number} from {sender}", message)


def stand_down(facts: CallFacts, by: str, at: datetime) -> dict[str, Any]:
    """Tells everyone who was alerted that the alert is over."""
    prefix = DRILL_PREFIX if facts.drill else ""
    local = at.astimezone(facts.timezone)
    heading = f"{prefix}Inspection call stood down"
    message = (
        f"{by} stood the alert down at {local:%H:%M} on {long_date(local.date())}. "
        "No further action is needed for this alert."
    )
    if facts.drill:
        message += " Thank you for taking part in the drill."
    return _notice(facts, heading, message)


def _notice(facts: CallFacts, heading: str, message: str) -> dict[str, Any]:
    # The card escapes its own context; the message text is escaped here. Both can hold what
    # a coordinator typed and their name.
    context = {**facts.context(), "heading": heading, "message": message}
    return {
        "text": f"{plain_text(heading)}: {plain_text(message)}",
        "template": "call_notice",
        "context": context,
        "important": True,
    }


def fallback_text(facts: CallFacts, *, reminder: bool) -> str:
    """The SMS and email's words for someone Teams did not reach (or, as a `reminder`, who
    has not acknowledged there); the template adds the personal acknowledge link.

    Plain text: an SMS shows it as it is, so nothing is escaped for Teams here. It starts
    with the headline, so a drill says DRILL first whatever the template around it says.
    """
    called = facts.called_at.astimezone(facts.timezone)
    ask = "You have not acknowledged yet: please" if reminder else "Please"
    return (
        f"{facts.headline()}. Called at {called:%H:%M} by {facts.called_by}. {ask} "
        "acknowledge now with your personal link, then open Inspection Ready in Teams for "
        "your first tasks."
    )
