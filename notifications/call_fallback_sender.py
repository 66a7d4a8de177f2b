"""This module contains CallFallbackSender: sends the inspection call's SMS and emails.

Each send carries a new personal acknowledge link, made just before it goes: the outbox row
holds no link, and the database only the link's hash, so neither can be used to acknowledge.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from notifications.gov_notify import GovNotify
from store.models import CallStatus, InspectionCall, OutboxChannel, Staff
from store.repositories import call_ack_links
from store.repositories.outbox import Claimed
from teams.types import DeliveryResult, Outcome

if TYPE_CHECKING:
    from store.db import Database

logger = logging.getLogger(__name__)

ACK_PATH = "/ack/"


class CallFallbackSender:
    """The sender's other channels for the inspection call: SMS and email through Notify.

    The template's personalisation: `message` (the alert's words, starting DRILL: for a
    drill), `drill` ("yes" or "no", for Notify's optional content) and `link` (the
    person's acknowledge link). docs/deploy.md shows templates that use them.
    """

    def __init__(
        self,
        database: Database,
        notify: GovNotify,
        templates: Mapping[OutboxChannel, str],
        public_url: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._database = database
        self._notify = notify
        self._templates = dict(templates)
        self._public_url = public_url.rstrip("/")
        self._clock = clock

    async def send(self, message: Claimed) -> DeliveryResult:
        """Makes the link and sends; every problem becomes a result, never an exception."""
        try:
            return await self._send(message)
        except Exception as exc:  # noqa: BLE001 - mapped to a result, never raised
            # The database or the client failed in a way it does not answer for: retried
            # like a network failure, the type kept in the attempt log.
            logger.warning("Could not send message %s: %s", message.id, type(exc).__name__)
            return DeliveryResult(Outcome.RETRY, None, None, type(exc).__name__)

    async def close(self) -> None:
        """Closes the connections to GOV.UK Notify."""
        await self._notify.close()

    async def _send(self, message: Claimed) -> DeliveryResult:
        template = self._templates.get(message.channel)
        if template is None:
            return _not_sent(f"no GOV.UK Notify template is set for {message.channel}")
        token = secrets.token_urlsafe(32)
        async with self._database.sessions() as session, session.begin():
            call = await session.get(InspectionCall, message.call_id) if message.call_id else None
            person = await session.get(Staff, message.recipient_id)
            if call is None or call.status is not CallStatus.ACTIVE:
                return _not_sent("the call was stood down before it could be sent")
            if person is None:
                return _not_sent("the person is no longer on the roster")
            address = person.mobile if message.channel is OutboxChannel.SMS else person.email
            if not address:
                return _not_sent(f"the roster has no address for {message.channel}")
            # Saved (and committed) before the send: the link works when the message lands.
            await call_ack_links.save(session, token, call.id, person.id, self._clock())
        personalisation = {
            "message": str(message.payload.get("message", "")),
            "drill": "yes" if message.payload.get("drill") else "no",
            "link": f"{self._public_url}{ACK_PATH}{token}",
        }
        # Notify's reference names the message, never the person.
        reference = f"inspection-call-{call.id}-{message.id}"
        if message.channel is OutboxChannel.SMS:
            return await self._notify.send_sms(address, template, personalisation, reference)
        return await self._notify.send_email(address, template, personalisation, reference)


def _not_sent(why: str) -> DeliveryResult:
    return DeliveryResult(Outcome.FAILED, None, None, f"not sent: {why}")
