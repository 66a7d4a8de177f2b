"""This module contains CallWatch: chases the silent and keeps the status card up to date."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cards.rendering import materialise
from notifications.broadcast import Broadcast
from notifications.conversation_limits import ConversationLimits
from notifications.inspector_audits_card import audits_card
from store.repositories import call_audits, calls
from teams.types import Delivery, OutboundMessage, Outcome, StoredReference

if TYPE_CHECKING:
    from store.db import Database

logger = logging.getLogger(__name__)

# A stood-down call's card gets its final refresh within this time; then it is left alone.
FINAL_REFRESH_WINDOW = timedelta(hours=1)


class CallWatch:
    """What the scheduler runs every few seconds while a call is active."""

    def __init__(
        self,
        database: Database,
        broadcast: Broadcast,
        updater: Delivery,
        clock: Callable[[], datetime],
        conversation_limits: ConversationLimits | None = None,
    ) -> None:
        self._database = database
        self._broadcast = broadcast
        self._updater = updater
        self._clock = clock
        self._conversations = (
            conversation_limits if conversation_limits is not None else ConversationLimits()
        )

    async def chase(self) -> int:
        """Queues the reminders, manager messages and SMS or email now due; returns how many
        are new."""
        now = self._clock()
        queued = 0
        async with self._database.sessions() as session, session.begin():
            for call in await calls.active_calls(session):
                queued += await self._broadcast.chase(session, call, now)
                # Teams refusing an alert (the person blocked the bot) is known only once
                # it was tried: checked on every look, not only when a round is due.
                queued += await self._broadcast.fall_back(session, call, now)
        return queued

    async def refresh_status_cards(self) -> int:
        """Updates each status card whose figures changed since it was last shown; returns
        how many were updated. Replicas agree through the database which one updates."""
        now = self._clock()
        updates: list[tuple[dict[str, Any], dict[str, Any]]] = []
        async with self._database.sessions() as session, session.begin():
            for call in await calls.calls_with_status_cards(session, now - FINAL_REFRESH_WINDOW):
                payload = await self._broadcast.status(session, call)
                fingerprint = str(payload["context"]["fingerprint"])
                if fingerprint == call.status_shown or call.status_card is None:
                    continue
                # The coordinator's chat is the busiest during a call: when it has no room
                # under Teams' per-conversation limits, the next look refreshes the card.
                where = str(call.status_card["reference"].get("conversation_id") or "")
                if self._conversations.take(where) > 0:
                    continue
                if await calls.claim_status_refresh(
                    session, call.id, call.status_shown, fingerprint
                ):
                    updates.append((call.status_card, payload))
        updates += await self._audits_cards(now)
        updated = 0
        for location, payload in updates:
            result = await self._updater.update(
                StoredReference.from_dict(location["reference"]),
                str(location["activity_id"]),
                OutboundMessage.from_payload(materialise(payload)),
            )
            if result.outcome is Outcome.SENT:
                updated += 1
            else:
                # The next change refreshes it again; a status card is not worth retrying.
                logger.warning("Could not refresh a status card: %s", result.error)
        return updated

    async def _audits_cards(self, now: datetime) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """The cards of the inspectors' cases whose audits moved on since last shown."""
        updates: list[tuple[dict[str, Any], dict[str, Any]]] = []
        async with self._database.sessions() as session, session.begin():
            for card_row, call in await call_audits.cards_to_refresh(
                session, now - FINAL_REFRESH_WINDOW
            ):
                card, fingerprint = await audits_card(session, call)
                if fingerprint == card_row.shown:
                    continue
                if await call_audits.claim_card_refresh(
                    session, call.id, card_row.shown, fingerprint
                ):
                    payload = {"text": "The inspectors' cases", "card": card}
                    updates.append((card_row.location, payload))
        return updates
