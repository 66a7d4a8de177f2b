"""This module is the one permission policy: who may use each command and each card button.

Dialogs check it before they act and the help card reads it to decide what to offer, so
the two cannot disagree. Which *items* someone may see or change (their own, their
reports') is decided per record in dialogs/scope.py.

Roles, in short: practitioners work on their own items; managers also on their reports'
and decide their extension requests; coordinators run the plan, the audits and the
inspection call; admins keep the roster and the imports, see everyone's items read-only,
and decide nothing. Nobody decides an extension they requested or that is for their own
action. In group chats and channels only help, the calendar and framework questions are
answered; everything personal stays in the 1:1 chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dialogs.people import Person
from dialogs.routing import Intent
from store.models import StaffRole

ASK_IN_PERSONAL = (
    "Please ask me that in our 1:1 chat: I only answer help, calendar and framework "
    "questions here, so that nobody's work or case references are posted to the group."
)


class Verb(StrEnum):
    """Every button the bot's cards carry (the `verb` of Action.Execute)."""

    ANSWER_FEEDBACK = "answer_feedback"
    SHOW_ENTRY = "show_entry"
    SHOW_LIST = "show_list"
    OPEN_ITEM = "open_item"
    COMPLETE_ACTION = "complete_action"
    SET_ACTION_STATUS = "set_action_status"
    REQUEST_EXTENSION = "request_extension"
    START_AUDIT = "start_audit"
    COMPLETE_AUDIT = "complete_audit"
    SNOOZE = "snooze"
    OPEN_EXTENSION = "open_extension"
    DECIDE_EXTENSION = "decide_extension"
    REMINDER_SETTINGS = "reminder_settings"
    RELINK = "relink"
    CALL_FORM = "call_form"
    CALL_PREVIEW = "call_preview"
    CALL_CONFIRM = "call_confirm"
    CALL_STATUS = "call_status"
    CALL_ACKNOWLEDGE = "call_acknowledge"
    CALL_UPDATE = "call_update"
    CALL_STAND_DOWN = "call_stand_down"
    CALL_EXPORT = "call_export"


@dataclass(frozen=True, slots=True)
class Access:
    """Who may use a command or a button, and whether it may be used in a group."""

    # None: anyone, including people not on the roster.
    roles: frozenset[StaffRole] | None
    in_groups: bool = False
    # What a refused person is told they cannot do ("start the inspection call").
    what: str = "do that"

    def allows(self, person: Person) -> bool:
        """Whether `person`'s role may use it (wherever they are)."""
        return self.roles is None or (person.role is not None and person.role in self.roles)


ON_ROSTER = frozenset(StaffRole)
# Roles with line reports whose extension requests they decide. Admins decide nothing.
DECIDERS = frozenset({StaffRole.MANAGER, StaffRole.COORDINATOR})
TEAM_VIEWERS = frozenset({StaffRole.MANAGER, StaffRole.COORDINATOR, StaffRole.ADMIN})
COORDINATORS = frozenset({StaffRole.COORDINATOR})
ROSTER_KEEPERS = frozenset({StaffRole.COORDINATOR, StaffRole.ADMIN})

ANYONE = Access(None)
ANYONE_ANYWHERE = Access(None, in_groups=True)
ROSTER = Access(ON_ROSTER, what="see or change work on the roster")

INTENTS: dict[Intent, Access] = {
    Intent.HELP: ANYONE_ANYWHERE,
    Intent.QUESTION: ANYONE_ANYWHERE,
    Intent.CALENDAR: Access(None, in_groups=True),
    Intent.MY_ACTIONS: ROSTER,
    Intent.OVERDUE: ROSTER,
    Intent.DUE_THIS_WEEK: ROSTER,
    Intent.MY_AUDITS: ROSTER,
    Intent.AUDITS_DUE: ROSTER,
    Intent.REMINDERS: ROSTER,
    Intent.MY_TEAM: Access(TEAM_VIEWERS, what="see a team's work"),
    Intent.OVERDUE_IN: Access(TEAM_VIEWERS, what="see what is overdue in an area or team"),
    Intent.UNREACHABLE: Access(ROSTER_KEEPERS, what="see who cannot be reached"),
    Intent.RELINK: Access(ROSTER_KEEPERS, what="link Teams accounts to the roster"),
    Intent.INSPECTION_CALL: Access(COORDINATORS, what="open the inspection-call alert"),
}

VERBS: dict[Verb, Access] = {
    Verb.ANSWER_FEEDBACK: ANYONE_ANYWHERE,
    Verb.SHOW_ENTRY: ANYONE_ANYWHERE,
    Verb.SHOW_LIST: ROSTER,
    Verb.OPEN_ITEM: ROSTER,
    Verb.COMPLETE_ACTION: ROSTER,
    Verb.SET_ACTION_STATUS: ROSTER,
    Verb.REQUEST_EXTENSION: ROSTER,
    Verb.START_AUDIT: ROSTER,
    Verb.COMPLETE_AUDIT: ROSTER,
    Verb.SNOOZE: ROSTER,
    Verb.REMINDER_SETTINGS: ROSTER,
    Verb.OPEN_EXTENSION: Access(DECIDERS, what="decide extension requests"),
    Verb.DECIDE_EXTENSION: Access(DECIDERS, what="decide extension requests"),
    Verb.RELINK: Access(ROSTER_KEEPERS, what="link Teams accounts to the roster"),
    Verb.CALL_FORM: Access(COORDINATORS, what="open the inspection-call alert"),
    Verb.CALL_PREVIEW: Access(COORDINATORS, what="preview the inspection-call alert"),
    Verb.CALL_CONFIRM: Access(COORDINATORS, what="start the inspection-call alert"),
    Verb.CALL_STATUS: Access(COORDINATORS, what="see the inspection-call status"),
    # Anyone the alert went to acknowledges it; the dialog checks it went to them.
    Verb.CALL_ACKNOWLEDGE: ROSTER,
    Verb.CALL_UPDATE: Access(COORDINATORS, what="send an inspection-call update"),
    Verb.CALL_STAND_DOWN: Access(COORDINATORS, what="stand the inspection call down"),
    Verb.CALL_EXPORT: Access(COORDINATORS, what="export the acknowledgements"),
}


def may_decide_extensions(person: Person) -> bool:
    """Whether `person`'s role decides extension requests at all (for their reports)."""
    return person.role in DECIDERS


def may_change_others(person: Person) -> bool:
    """Whether `person` may change items that are not their own (in their scope).

    Admins see everyone's items but change only their own.
    """
    return person.role in (StaffRole.MANAGER, StaffRole.COORDINATOR)
