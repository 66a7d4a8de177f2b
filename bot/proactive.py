"""This module sends a dialog's notices to other people through their stored conversations."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import ConversationReference as SdkReference

from store.repositories import conversations

if TYPE_CHECKING:
    from botbuilder.integration.aiohttp import CloudAdapter

    from dialogs.replies import Notice
    from store.db import Database

logger = logging.getLogger(__name__)


class ProactiveSender:
    """Delivers notices straight away, for replies that belong to a turn (an approval card
    for a manager). Scheduled messages go through the outbox instead."""

    def __init__(self, adapter: CloudAdapter, database: Database, app_id: str) -> None:
        self._adapter = adapter
        self._database = database
        self._app_id = app_id

    async def deliver(self, notice: Notice) -> bool:
        """Sends one notice; False when the person cannot be reached in Teams."""
        async with self._database.sessions() as session:
            stored = await conversations.active_personal_for_staff(session, notice.staff_id)
        if stored is None:
            logger.info("Staff %s has no active personal chat; notice not sent", notice.staff_id)
            return False
        reference = SdkReference().deserialize(stored.reference)
        reply = notice.reply

        async def send(turn_context: TurnContext) -> None:
            if reply.card is not None:
                await turn_context.send_activity(
                    MessageFactory.attachment(
                        CardFactory.adaptive_card(reply.card), text=reply.text
                    )
                )
            else:
                await turn_context.send_activity(MessageFactory.text(reply.text or ""))

        try:
            await self._adapter.continue_conversation(reference, send, self._app_id or None)
        except Exception:
            # The person's own reply has been sent; a failed notice must not undo it.
            logger.exception("Could not deliver a notice to staff %s", notice.staff_id)
            return False
        return True
