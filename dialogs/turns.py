"""This module decides what each message or card action is for and which dialog answers it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dialogs import ask_dialog, help_dialog, reminder_settings
from dialogs.ask_dialog import CardActionError
from dialogs.call_dialog import CallDialog
from dialogs.people import Person
from dialogs.replies import Reply
from dialogs.routing import Command, Intent, classify
from dialogs.work_changes import WorkChanges
from dialogs.work_dialog import WorkViews
from knowledge.working_days import WorkingDays
from store.models import utc_now
from store.repositories import calls as calls_repository

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from knowledge.library import KnowledgeBase

logger = logging.getLogger(__name__)

WORK_INTENTS = frozenset(Intent) - {
    Intent.HELP,
    Intent.QUESTION,
    Intent.REMINDERS,
    Intent.UNREACHABLE,
    Intent.INSPECTION_CALL,
}
# Tells the time (timezone-aware); tests pass a fixed one.
Clock = Callable[[], datetime]


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
    ) -> None:
        self.knowledge = knowledge
        self._timezone = timezone
        self._clock = clock
        calendar = working_days or WorkingDays()
        self.views = WorkViews(calendar, case_url_template)
        self.changes = WorkChanges(self.views)
        self.calls = calls or CallDialog.default(calendar, timezone)

    def today(self) -> date:
        """Today where the council is."""
        return self._clock().astimezone(self._timezone).date()

    async def message(self, session: AsyncSession, person: Person, text: str) -> Reply:
        """The reply to a typed message: help, the person's work, or a framework answer."""
        command = classify(text)
        if command.intent is Intent.HELP:
            return await help_dialog.help_reply(session, person)
        if command.intent is Intent.REMINDERS:
            return await reminder_settings.settings_card(session, person, self.today())
        if command.intent is Intent.UNREACHABLE:
            return await reminder_settings.unreachable(session, person)
        if command.intent is Intent.INSPECTION_CALL:
            try:
                return await self.calls.start(session, person, self.today())
            except CardActionError as exc:
                return Reply(text=f"Sorry: {exc}.")
        if command.intent in WORK_INTENTS:
            return await self.views.show(session, person, command, self.today())
        return await ask_dialog.ask(session, self.knowledge, text, person, self.today())

    async def card_action(
        self, session: AsyncSession, person: Person, voter: str, data: dict[str, Any]
    ) -> Reply:
        """The reply to a button press; a malformed, stale or forged one is refused."""
        action = data.get("action")
        today = self.today()
        changes = self.changes
        handlers = {
            "open_item": changes.open_item,
            "complete_action": changes.complete_action,
            "set_action_status": changes.set_action_status,
            "request_extension": changes.request_extension,
            "start_audit": changes.start_audit,
            "complete_audit": changes.complete_audit,
            "snooze": changes.snooze,
        }
        try:
            if action == "answer_feedback":
                return await ask_dialog.vote(session, self.knowledge, data, voter)
            if action == "show_entry":
                return ask_dialog.show_entry(self.knowledge, data)
            if action == "show_list":
                return await self._show_list(session, person, data, today)
            if action == "reminder_settings":
                return await reminder_settings.choose(session, person, data, today)
            if action == "open_extension":
                return await changes.open_extension(session, person, data)
            if action == "decide_extension":
                return await changes.decide_extension(session, person, data)
            if isinstance(action, str) and action.startswith("call_"):
                return await self._call_action(session, person, action, data, today)
            if isinstance(action, str) and action in handlers:
                return await handlers[action](session, person, data, today)
        except CardActionError as exc:
            return _refused(action, person, str(exc))
        return _refused(action, person, "that button is not one I know")

    async def _call_action(
        self,
        session: AsyncSession,
        person: Person,
        action: str,
        data: dict[str, Any],
        today: date,
    ) -> Reply:
        calls, now = self.calls, self._clock()
        if action == "call_form":
            return await calls.form(session, person, data, today)
        if action == "call_preview":
            return await calls.preview(session, person, data, today)
        if action == "call_confirm":
            return await calls.confirm(session, person, data, today, now)
        if action == "call_status":
            return await calls.status(session, person, data)
        if action == "call_acknowledge":
            return await calls.acknowledge(session, person, data, now)
        if action == "call_update":
            return await calls.send_update(session, person, data, now)
        if action == "call_stand_down":
            return await calls.stand_down(session, person, data, now)
        if action == "call_export":
            return await calls.export(session, person, data, now)
        raise CardActionError("that button is not one I know")

    async def status_card_sent(
        self, session: AsyncSession, call_id: int, reference: dict[str, Any], activity_id: str
    ) -> None:
        """Remembers where a call's status card was sent, to keep it up to date there."""
        await calls_repository.track_status_card(session, call_id, reference, activity_id)

    async def _show_list(
        self, session: AsyncSession, person: Person, data: dict[str, Any], today: date
    ) -> Reply:
        try:
            intent = Intent(str(data.get("intent")))
            offset = int(data.get("offset") or 0)
        except ValueError:
            raise CardActionError("that list is not one I know") from None
        if intent not in WORK_INTENTS or offset < 0:
            raise CardActionError("that list is not one I know")
        argument = data.get("argument")
        command = Command(intent, str(argument) if argument else None)
        return await self.views.show(session, person, command, today, offset=offset)


def _refused(action: object, person: Person, reason: str) -> Reply:
    # Logged because a forged or replayed submission looks exactly like this.
    logger.warning(
        "Refused a card action %.40r from staff %s: %s", action, person.staff_id, reason
    )
    return Reply(text=f"Sorry, that did not work: {reason}. Please ask again.")
