"""This module decides what each message or card action is for and which dialog answers it."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dialogs import ask_dialog, help_dialog
from dialogs.ask_dialog import CardActionError
from dialogs.people import Person
from dialogs.replies import Reply
from dialogs.routing import Intent, classify

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from knowledge.library import KnowledgeBase

logger = logging.getLogger(__name__)


class Dialogs:
    """Every conversation the bot can have, reached by message text or card action."""

    def __init__(self, knowledge: KnowledgeBase, timezone: ZoneInfo) -> None:
        self.knowledge = knowledge
        self._timezone = timezone

    async def message(self, session: AsyncSession, person: Person, text: str) -> Reply:
        """The reply to a typed message: help, or an answer from the knowledge base."""
        if classify(text) is Intent.HELP:
            return await help_dialog.help_reply(session, person)
        today = datetime.now(self._timezone).date()
        return await ask_dialog.ask(session, self.knowledge, text, person, today)

    async def card_action(
        self, session: AsyncSession, person: Person, voter: str, data: dict[str, Any]
    ) -> Reply:
        """The reply to a button press; a malformed or stale one gets a plain explanation."""
        action = data.get("action")
        try:
            if action == "answer_feedback":
                return await ask_dialog.vote(session, self.knowledge, data, voter)
            if action == "show_entry":
                return ask_dialog.show_entry(self.knowledge, data)
        except CardActionError as exc:
            return _refused(action, person, str(exc))
        return _refused(action, person, "that button is not one I know")


def _refused(action: object, person: Person, reason: str) -> Reply:
    # Logged because a forged or replayed submission looks exactly like this.
    logger.warning(
        "Refused a card action %.40r from staff %s: %s", action, person.staff_id, reason
    )
    return Reply(text=f"Sorry, that did not work: {reason}. Please ask again.")
