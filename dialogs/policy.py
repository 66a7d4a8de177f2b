"""This module is the one permission policy: who may use each command and each card button.

Dialogs check it before they act and the help card reads it to decide what to offer, so
the two cannot disagree. Which *items* someone may see or change (their own, their
reports') is decided per record in dialogs/scope.py.

Roles, in short: practitioners work on their own items; managers also on their reports'
and decide their extension requests; coordinators run the plan, the audits and the
inspection call; admins keep the roster and the imports, see everyone's items read-only,
and decide nothing; viewers (board members, elected members) read the plan, change
nothing and see no case audit. A priority area's lead also sees that area's actions,
whoever manages their owners. Nobody decides an extension they requested or that is for
their own action. In group chats and channels only help, the calendar and framework
questions are answered; everything personal stays in the 1:1 chat.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from dialogs.card_data import parse_id
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
    SHOW_HELP = "show_help"
    SHOW_ENTRY = "show_entry"
    SHOW_LIST = "show_list"
    OPEN_ITEM = "open_item"
    COMPLETE_ACTION = "complete_action"
    SET_ACTION_STATUS = "set_action_status"
    REQUEST_EXTENSION = "request_extension"
    START_AUDIT = "start_audit"
    # "Record findings" on an audit: opens the audit form (completing needs the findings).
    COMPLETE_AUDIT = "complete_audit"
    RECORD_FINDINGS = "record_findings"
    MODERATE_AUDIT = "moderate_audit"
    SNOOZE = "snooze"
    DRAW_CONFIRM = "draw_confirm"
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
    ANSWER_QUESTION = "answer_question"
    BOARD_UPDATE_FORM = "board_update_form"
    BOARD_UPDATE_SUBMIT = "board_update_submit"
    BOARD_REVIEW = "board_review"
    REPORT_DOWNLOAD = "report_download"
    OPEN_MODERATION = "open_moderation"
    INSPECTION_AUDITS_STATUS = "inspection_audits_status"


@dataclass(frozen=True, slots=True)
class Access:
    """Who may use a command or a button, and whether it may be used in a group."""

    # None: anyone, including people not on the roster.
    roles: frozenset[StaffRole] | None
    in_groups: bool = False
    # What a refused person is told they cannot do ("start the inspection call").
    what: str = "do that"
    # Also allowed to the people whose inspection role may start the inspection call.
    call_starters: bool = False

    def allows(self, person: Person) -> bool:
        """Whether `person`'s role may use it (wherever they are)."""
        if self.call_starters and person.call_starter:
            return True
        return self.roles is None or (person.role is not None and person.role in self.roles)


ON_ROSTER = frozenset(StaffRole)
# Everyone who works on items. Viewers (board members, elected members) read the plan and
# change nothing, and see no case audit: an audit names a case.
WORKERS = ON_ROSTER - {StaffRole.VIEWER}
# Roles with line reports whose extension requests they decide. Admins decide nothing.
DECIDERS = frozenset({StaffRole.MANAGER, StaffRole.COORDINATOR})
TEAM_VIEWERS = frozenset({StaffRole.MANAGER, StaffRole.COORDINATOR, StaffRole.ADMIN})
COORDINATORS = frozenset({StaffRole.COORDINATOR})
ROSTER_KEEPERS = frozenset({StaffRole.COORDINATOR, StaffRole.ADMIN})
# Who has the Improvement Board pack: coordinators, and the board's own read-only viewers.
BOARD_READERS = frozenset({StaffRole.COORDINATOR, StaffRole.VIEWER})
# Who reads the audit reports: the managers who audit, and the coordinators who run it.
REPORT_READERS = frozenset({StaffRole.MANAGER, StaffRole.COORDINATOR})

ANYONE = Access(None)
DRAW_AUDITS = Access(COORDINATORS, what="draw the month's audits")
ANYONE_ANYWHERE = Access(None, in_groups=True)
ROSTER = Access(ON_ROSTER, what="see or change work on the roster")
WORK = Access(WORKERS, what="change work items")
AUDITS = Access(WORKERS, what="see case audits")

INTENTS: dict[Intent, Access] = {
    Intent.HELP: ANYONE_ANYWHERE,
    Intent.QUESTION: ANYONE_ANYWHERE,
    Intent.CALENDAR: Access(None, in_groups=True),
    Intent.MY_ACTIONS: ROSTER,
    Intent.OVERDUE: ROSTER,
    Intent.DUE_THIS_WEEK: ROSTER,
    Intent.MY_AUDITS: AUDITS,
    Intent.AUDITS_DUE: AUDITS,
    Intent.REMINDERS: ROSTER,
    Intent.MY_TEAM: Access(TEAM_VIEWERS, what="see a team's work"),
    # Viewers too: for a team they see its actions, never its audits (dialogs/scope.py).
    Intent.OVERDUE_IN: Access(
        frozenset({*TEAM_VIEWERS, StaffRole.VIEWER}),
        what="see what is overdue in an area or team",
    ),
    Intent.UNREACHABLE: Access(ROSTER_KEEPERS, what="see who cannot be reached"),
    Intent.RELINK: Access(ROSTER_KEEPERS, what="link Teams accounts to the roster"),
    Intent.DRAW_AUDITS: DRAW_AUDITS,
    Intent.INSPECTION_CALL: Access(
        COORDINATORS, what="open the inspection-call alert", call_starters=True
    ),
    # Area leads are managers in practice; the board dialog narrows a lead to their areas.
    Intent.BOARD_UPDATES: Access(
        frozenset({StaffRole.MANAGER, *BOARD_READERS}), what="see who has updated for the board"
    ),
    Intent.BOARD_PACK: Access(BOARD_READERS, what="have the board pack"),
    # Leads (managers in practice) see their areas' actions; viewers, coordinators and
    # admins the whole plan. The dialog tells a manager who leads no area so.
    Intent.AREA_ACTIONS: Access(
        frozenset({*TEAM_VIEWERS, StaffRole.VIEWER}), what="see a priority area's actions"
    ),
    Intent.AUDIT_REPORT: Access(REPORT_READERS, what="see the audit report"),
    Intent.INSPECTION_AUDITS_REPORT: Access(
        REPORT_READERS, what="see the report on the inspectors' cases"
    ),
    Intent.INSPECTOR_CASES: Access(COORDINATORS, what="allocate the inspectors' cases"),
    # Anyone may be a moderator (by inspection role); each sees only their own.
    Intent.MY_MODERATIONS: ROSTER,
}

# What a button that carries a record id says when the id is missing or not one.
NO_ITEM = "the button does not say which item it is for"
NO_CALL = "that inspection call is not one I know"
NO_PERSON = "that person is no longer on the roster"
NO_MEETING = "the button does not say which board meeting it is for"


@dataclass(frozen=True, slots=True)
class Button:
    """A card button's rule: who may press it, and the record ids its data must carry.

    The ids are checked before any handler runs, so a forged or garbled press is refused
    with the same words whichever dialog it was meant for; handlers then find the records.
    """

    access: Access
    # (field, what the person is told when it is not a record id)
    ids: tuple[tuple[str, str], ...] = ()

    def payload_problem(self, data: Mapping[str, object]) -> str | None:
        """Why `data` cannot be this button's, or None when its ids are all well formed."""
        for field, problem in self.ids:
            if parse_id(data.get(field)) is None:
                return problem
        return None


ITEM = (("id", NO_ITEM),)
REQUEST = (("request", NO_ITEM),)
CALL = (("call", NO_CALL),)
EXTENSIONS = Access(DECIDERS, what="decide extension requests")

VERBS: dict[Verb, Button] = {
    Verb.ANSWER_FEEDBACK: Button(ANYONE_ANYWHERE),
    Verb.SHOW_HELP: Button(ANYONE_ANYWHERE),
    Verb.SHOW_ENTRY: Button(ANYONE_ANYWHERE),
    Verb.SHOW_LIST: Button(ROSTER),
    Verb.OPEN_ITEM: Button(ROSTER, ITEM),
    Verb.COMPLETE_ACTION: Button(WORK, ITEM),
    Verb.SET_ACTION_STATUS: Button(WORK, ITEM),
    Verb.REQUEST_EXTENSION: Button(WORK, ITEM),
    Verb.START_AUDIT: Button(WORK, ITEM),
    Verb.COMPLETE_AUDIT: Button(WORK, ITEM),
    # Only the audit's auditor records its findings; only its moderator moderates it: the
    # dialogs check that per record.
    Verb.RECORD_FINDINGS: Button(WORK, ITEM),
    Verb.MODERATE_AUDIT: Button(WORK, (("moderation", NO_ITEM),)),
    Verb.OPEN_MODERATION: Button(WORK, (("moderation", NO_ITEM),)),
    Verb.SNOOZE: Button(WORK, ITEM),
    Verb.DRAW_CONFIRM: Button(DRAW_AUDITS),
    Verb.REMINDER_SETTINGS: Button(ROSTER),
    Verb.OPEN_EXTENSION: Button(EXTENSIONS, REQUEST),
    Verb.DECIDE_EXTENSION: Button(EXTENSIONS, REQUEST),
    Verb.RELINK: Button(
        Access(ROSTER_KEEPERS, what="link Teams accounts to the roster"),
        (("staff", NO_PERSON),),
    ),
    Verb.CALL_FORM: Button(Access(COORDINATORS, what="open the inspection-call alert")),
    Verb.CALL_PREVIEW: Button(Access(COORDINATORS, what="preview the inspection-call alert")),
    Verb.CALL_CONFIRM: Button(Access(COORDINATORS, what="start the inspection-call alert")),
    Verb.CALL_STATUS: Button(Access(COORDINATORS, what="see the inspection-call status"), CALL),
    # Anyone the alert went to acknowledges it; the dialog checks it went to them.
    Verb.CALL_ACKNOWLEDGE: Button(ROSTER, CALL),
    Verb.CALL_UPDATE: Button(Access(COORDINATORS, what="send an inspection-call update"), CALL),
    Verb.CALL_STAND_DOWN: Button(
        Access(COORDINATORS, what="stand the inspection call down"), CALL
    ),
    Verb.CALL_EXPORT: Button(Access(COORDINATORS, what="export the acknowledgements"), CALL),
    Verb.REPORT_DOWNLOAD: Button(Access(REPORT_READERS, what="download the audit report")),
    Verb.INSPECTION_AUDITS_STATUS: Button(
        Access(COORDINATORS, what="see the inspectors' cases"), CALL
    ),
    Verb.ANSWER_QUESTION: Button(
        Access(COORDINATORS, what="answer the questions I could not"), (("question", NO_ITEM),)
    ),
    # The owner updates, the area's lead reviews: the board dialog checks who, per record.
    Verb.BOARD_UPDATE_FORM: Button(WORK, (*ITEM, ("meeting", NO_MEETING))),
    Verb.BOARD_UPDATE_SUBMIT: Button(WORK, (*ITEM, ("meeting", NO_MEETING))),
    Verb.BOARD_REVIEW: Button(WORK, (("update", NO_ITEM),)),
}


def may_decide_extensions(person: Person) -> bool:
    """Whether `person`'s role decides extension requests at all (for their reports)."""
    return person.role in DECIDERS


def may_change_others(person: Person) -> bool:
    """Whether `person` may change items that are not their own (in their scope).

    Admins see everyone's items but change only their own.
    """
    return person.role in (StaffRole.MANAGER, StaffRole.COORDINATOR)
