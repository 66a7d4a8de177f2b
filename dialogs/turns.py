"""This module decides what each message or card action is for and which dialog answers it.

Every command and button passes the one permission policy (dialogs/policy.py) first: in a
group chat or channel only what is safe there, and only for the roles allowed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dialogs import answer_dialog, ask_dialog, help_dialog, relink_dialog, reminder_settings
from dialogs.ask_dialog import CardActionError
from dialogs.audit_findings import AuditFindings
from dialogs.audit_moderation import ModerationViews
from dialogs.audit_report_dialog import AuditReportDialog
from dialogs.board_dialog import BoardDialog
from dialogs.call_dialog import (
    DEFAULT_PUBLIC_URL,
    CallDialog,
    CallRefusedError,
    record_refusal,
)
from dialogs.card_data import parse_whole
from dialogs.draw_dialog import DrawDialog
from dialogs.inspector_audits import InspectorAudits
from dialogs.people import DEFAULT_CALL_STARTERS, Person
from dialogs.policy import ASK_IN_PERSONAL, INTENTS, VERBS, Access, Verb
from dialogs.replies import Reply
from dialogs.routing import Command, Intent, classify
from dialogs.work_changes import WorkChanges
from dialogs.work_dialog import MAX_OFFSET, WORK_INTENTS, WorkViews
from knowledge.working_days import WorkingDays
from notifications.audit_draw import DrawRules
from notifications.audit_form import AuditForm
from notifications.quiet_hours import DEFAULT_WORKING_HOURS, QuietHours
from store.models import StaffRole, utc_now
from store.repositories import call_audits
from store.repositories import calls as calls_repository
from store.repositories.staff import list_by_role

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from knowledge.library import KnowledgeBase

logger = logging.getLogger(__name__)

# Longer than any question a person types; a paste this long is not searched at all.
MAX_MESSAGE_CHARS = 2000
TOO_LONG = (
    "That message is {length:,} characters long; I can read questions of up to "
    f"{MAX_MESSAGE_CHARS:,}. Please ask it in a sentence or two."
)
LINK_REFUSED = (
    "I could not link your Teams account to the inspection-readiness roster automatically, "
    "so I cannot show you anyone's work yet. Please ask a coordinator{who} to link it for "
    "you. You can still ask me framework questions."
)
# Tells the time (timezone-aware); tests pass a fixed one.
Clock = Callable[[], datetime]
Handler = Callable[["AsyncSession", Person, dict[str, Any], date, datetime], Awaitable[Reply]]


class Dialogs:
    """Every conversation the bot can have, reached by message text or card action."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        timezone: ZoneInfo,
        *,
        case_url_template: str | None = None,
        working_days: WorkingDays | None = None,
        calls: CallDialog | None = None,
        clock: Clock = utc_now,
        local_knowledge: Path | None = None,
        call_starters: frozenset[str] = DEFAULT_CALL_STARTERS,
        board: BoardDialog | None = None,
        audit_form: AuditForm | None = None,
        moderation_share: int = 10,
        export_base_url: str = DEFAULT_PUBLIC_URL,
        draw_rules: DrawRules | None = None,
    ) -> None:
        self.knowledge = knowledge
        # The inspection roles (casefolded) that may start the call as coordinators do.
        self._call_starters = call_starters
        # Where answers given in chat are kept, awaiting review.
        self._local_knowledge = local_knowledge
        self._timezone = timezone
        self._clock = clock
        calendar = working_days or WorkingDays()
        self.views = WorkViews(calendar, case_url_template)
        self.changes = WorkChanges(self.views)
        form = audit_form or AuditForm.load()
        self.views.audit_form = form
        self.moderation = ModerationViews(form)
        self.findings = AuditFindings(
            self.changes, form, self.moderation, timezone, moderation_share
        )
        self.reports = AuditReportDialog(form, export_base_url)
        self.inspector_audits = InspectorAudits()
        self.calls = calls or CallDialog.default(calendar, timezone)
        self.board = board or BoardDialog(
            DEFAULT_PUBLIC_URL, QuietHours(timezone, DEFAULT_WORKING_HOURS, calendar)
        )
        self.draws = DrawDialog(calendar, draw_rules or DrawRules())
        self._handlers = self._verb_handlers()

    def today(self) -> date:
        """Today where the council is."""
        return self._clock().astimezone(self._timezone).date()

    async def message(
        self, session: AsyncSession, person: Person, text: str, *, personal: bool = True
    ) -> Reply:
        """The reply to a typed message: help, the person's work, or a framework answer.

        `personal` is False in group chats and channels, where only what anyone there may
        see is answered.
        """
        if len(text) > MAX_MESSAGE_CHARS:
            return Reply(text=TOO_LONG.format(length=len(text)))
        person = person.with_call_starters(self._call_starters)
        command = classify(text)
        access = INTENTS[command.intent]
        if not personal and not access.in_groups:
            return Reply(text=ASK_IN_PERSONAL)
        viewer = person if personal else person.in_public()
        if command.intent is Intent.INSPECTION_CALL:
            # The call dialog refuses (and audits) anyone but a coordinator itself.
            try:
                return await self.calls.start(session, viewer, self.today())
            except CallRefusedError as exc:
                record_refusal(session, viewer, exc)
                return Reply(text=f"Sorry: {exc}.")
            except CardActionError as exc:
                return Reply(text=f"Sorry: {exc}.")
        if not access.allows(viewer):
            return Reply(text=await refusal_text(session, viewer, access))
        if command.intent is Intent.DRAW_AUDITS:
            return await self.draws.start(session, viewer, command.argument, self.today())
        if command.intent is Intent.HELP:
            return await help_dialog.help_reply(session, viewer, personal=personal)
        if command.intent is Intent.REMINDERS:
            return await reminder_settings.settings_card(session, viewer, self.today())
        if command.intent is Intent.UNREACHABLE:
            return await reminder_settings.unreachable(session, viewer)
        if command.intent is Intent.RELINK:
            return await relink_dialog.relink_card(session, viewer, command.argument)
        if command.intent in (Intent.BOARD_UPDATES, Intent.BOARD_PACK):
            try:
                if command.intent is Intent.BOARD_PACK:
                    return await self.board.pack_links(
                        session, viewer, self.today(), self._clock()
                    )
                return await self.board.status(session, viewer, self.today())
            except CardActionError as exc:
                return Reply(text=f"Sorry: {exc}.")
        if command.intent is Intent.AUDIT_REPORT:
            return await self.reports.month_summary(session, command.argument, self.today())
        if command.intent is Intent.MY_MODERATIONS:
            return await self.moderation.pending_list(session, viewer)
        if command.intent is Intent.INSPECTION_AUDITS_REPORT:
            return await self.reports.call_summary(session, self.today())
        if command.intent is Intent.INSPECTOR_CASES:
            return await self.inspector_audits.request(
                session, viewer, command.argument or "", self.today(), self._clock()
            )
        if command.intent in WORK_INTENTS:
            return await self.views.show(session, viewer, command, self.today())
        return await ask_dialog.ask(session, self.knowledge, text, viewer, self.today())

    async def card_action(
        self,
        session: AsyncSession,
        person: Person,
        voter: str,
        data: dict[str, Any],
        *,
        personal: bool = True,
    ) -> Reply:
        """The reply to a button press; a malformed, stale, forged or misplaced one is refused."""
        person = person.with_call_starters(self._call_starters)
        action = data.get("action")
        try:
            verb = Verb(action) if isinstance(action, str) else None
        except ValueError:
            verb = None
        if verb is None:
            return _refused(None, person, "that button is not one I know")
        button = VERBS[verb]
        if not personal and not button.access.in_groups:
            return Reply(text=ASK_IN_PERSONAL)
        if button.access.allows(person):
            problem = button.payload_problem(data)
            if problem is not None:
                return _refused(verb, person, problem)
        elif not verb.value.startswith("call_"):
            # The call dialog refuses (and audits) anyone but a coordinator itself.
            return _refused(
                verb, person, await refusal_text(session, person, button.access, sentence=False)
            )
        try:
            # Handlers check everything before they write, so a refused press changes
            # nothing (but for the audit entry of a refusal, written here).
            if verb is Verb.SHOW_HELP:
                viewer = person if personal else person.in_public()
                return await help_dialog.help_reply(session, viewer, personal=personal)
            return await self._press(session, person, voter, verb, data)
        except CallRefusedError as exc:
            record_refusal(session, person, exc)
            return _refused(verb, person, str(exc))
        except CardActionError as exc:
            return _refused(verb, person, str(exc))

    async def _press(
        self, session: AsyncSession, person: Person, voter: str, verb: Verb, data: dict[str, Any]
    ) -> Reply:
        if verb is Verb.ANSWER_FEEDBACK:
            return await ask_dialog.vote(session, self.knowledge, data, voter)
        if verb is Verb.SHOW_ENTRY:
            return ask_dialog.show_entry(self.knowledge, data)
        return await self._handlers[verb](session, person, data, self.today(), self._clock())

    def _verb_handlers(self) -> dict[Verb, Handler]:
        """Each button's handler, all with one shape: (session, person, data, today, now)."""
        changes, calls, board, found = self.changes, self.calls, self.board, self.findings
        handlers: dict[Verb, Handler] = {
            Verb.SHOW_LIST: lambda s, p, d, t, n: self._show_list(s, p, d, t),
            Verb.OPEN_ITEM: lambda s, p, d, t, n: changes.open_item(s, p, d, t),
            Verb.COMPLETE_ACTION: lambda s, p, d, t, n: changes.complete_action(s, p, d, t),
            Verb.SET_ACTION_STATUS: lambda s, p, d, t, n: changes.set_action_status(s, p, d, t),
            Verb.REQUEST_EXTENSION: lambda s, p, d, t, n: changes.request_extension(s, p, d, t),
            Verb.START_AUDIT: lambda s, p, d, t, n: changes.start_audit(s, p, d, t),
            Verb.COMPLETE_AUDIT: lambda s, p, d, t, n: found.open_form(s, p, d, t),
            Verb.RECORD_FINDINGS: lambda s, p, d, t, n: found.record(s, p, d, t, n),
            Verb.MODERATE_AUDIT: lambda s, p, d, t, n: self.moderation.decide(s, p, d, n),
            Verb.SNOOZE: lambda s, p, d, t, n: changes.snooze(s, p, d, t),
            Verb.DRAW_CONFIRM: lambda s, p, d, t, n: self.draws.confirm(s, p, d, n),
            Verb.OPEN_EXTENSION: lambda s, p, d, t, n: changes.open_extension(s, p, d),
            Verb.DECIDE_EXTENSION: lambda s, p, d, t, n: changes.decide_extension(s, p, d),
            Verb.REMINDER_SETTINGS: lambda s, p, d, t, n: reminder_settings.choose(s, p, d, t),
            Verb.RELINK: lambda s, p, d, t, n: relink_dialog.relink(s, p, d),
            Verb.CALL_FORM: lambda s, p, d, t, n: calls.form(s, p, d, t),
            Verb.CALL_PREVIEW: lambda s, p, d, t, n: calls.preview(s, p, d, t),
            Verb.CALL_CONFIRM: lambda s, p, d, t, n: calls.confirm(s, p, d, t, n),
            Verb.CALL_STATUS: lambda s, p, d, t, n: calls.status(s, p, d),
            Verb.CALL_ACKNOWLEDGE: lambda s, p, d, t, n: calls.acknowledge(s, p, d, n),
            Verb.CALL_UPDATE: lambda s, p, d, t, n: calls.send_update(s, p, d, n),
            Verb.CALL_STAND_DOWN: lambda s, p, d, t, n: calls.stand_down(s, p, d, n),
            Verb.CALL_EXPORT: lambda s, p, d, t, n: calls.export(s, p, d, n),
            Verb.OPEN_MODERATION: lambda s, p, d, t, n: self.moderation.open(s, p, d),
            Verb.REPORT_DOWNLOAD: lambda s, p, d, t, n: self.reports.download(s, p, d, n),
            Verb.INSPECTION_AUDITS_STATUS: lambda s, p, d, t, n: self.inspector_audits.status(
                s, d
            ),
            Verb.ANSWER_QUESTION: lambda s, p, d, t, n: answer_dialog.answer_question(
                s, p, d, n, self._local_knowledge
            ),
            Verb.BOARD_UPDATE_FORM: lambda s, p, d, t, n: board.form(s, p, d, t),
            Verb.BOARD_UPDATE_SUBMIT: lambda s, p, d, t, n: board.submit(s, p, d, t, n),
            Verb.BOARD_REVIEW: lambda s, p, d, t, n: board.review(s, p, d, n),
        }
        answered_here = {Verb.ANSWER_FEEDBACK, Verb.SHOW_ENTRY, Verb.SHOW_HELP}
        missing = set(Verb) - set(handlers) - answered_here
        if missing:
            raise RuntimeError(f"buttons without a handler: {sorted(missing)}")
        return handlers

    async def status_card_sent(
        self, session: AsyncSession, call_id: int, reference: dict[str, Any], activity_id: str
    ) -> None:
        """Remembers where a call's status card was sent, to keep it up to date there."""
        await calls_repository.track_status_card(session, call_id, reference, activity_id)

    async def audits_card_sent(
        self, session: AsyncSession, call_id: int, reference: dict[str, Any], activity_id: str
    ) -> None:
        """Remembers where the card of the inspectors' cases was sent, to keep it current."""
        await call_audits.track_card(session, call_id, reference, activity_id)

    async def _show_list(
        self, session: AsyncSession, person: Person, data: dict[str, Any], today: date
    ) -> Reply:
        try:
            intent = Intent(str(data.get("intent")))
        except ValueError:
            raise CardActionError("that list is not one I know") from None
        offset = parse_whole(data.get("offset") or 0, 0, MAX_OFFSET)
        if intent not in WORK_INTENTS or offset is None:
            raise CardActionError("that list is not one I know")
        argument = data.get("argument")
        if argument is not None and (not isinstance(argument, str) or len(argument) > 200):
            raise CardActionError("that list is not one I know")
        command = Command(intent, argument or None)
        return await self.views.show(session, person, command, today, offset=offset)


async def refusal_text(
    session: AsyncSession, person: Person, access: Access, *, sentence: bool = True
) -> str:
    """What someone the policy refuses is told: why, and who to ask."""
    if person.link_refused:
        return LINK_REFUSED.format(who=await _coordinators(session))
    if person.role is None:
        text = (
            "You are not on this council's inspection-readiness roster, so I cannot do that "
            f"for you. Ask a coordinator{await _coordinators(session)} to add you"
        )
    else:
        roles = sorted(access.roles or (), key=list(StaffRole).index)
        names = [f"{role.value}s" for role in roles]
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        text = f"only {who} can {access.what}"
    if sentence:
        return text[0].upper() + text[1:] + "."
    return text


async def _coordinators(session: AsyncSession) -> str:
    names = [s.name for s in await list_by_role(session, StaffRole.COORDINATOR)]
    return f" ({', '.join(names[:3])})" if names else ""


def _refused(verb: Verb | None, person: Person, reason: str) -> Reply:
    # Logged because a forged or replayed submission looks exactly like this. Only a known
    # verb is logged: anything else in the data is the sender's, and may be what they typed.
    logger.warning(
        "Refused a card action %s from staff %s",
        verb.value if verb else "(unknown)",
        person.staff_id,
    )
    return Reply(text=f"Sorry, that did not work: {reason}. Please ask again.")
