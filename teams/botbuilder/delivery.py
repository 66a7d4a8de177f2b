"""This module sends to Teams and looks up members through botbuilder's connector client.

Turn replies and the outbox send the same way: a reused connector client per service URL
posts the activity, and the HTTP status Teams answered is what the result records.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import ClientError
from botbuilder.core import CardFactory
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
)
from botframework.connector import ConnectorClient
from botframework.connector.auth import ClaimsIdentity
from botframework.connector.models import ErrorResponseException
from msrest.exceptions import HttpOperationError

from teams.botbuilder.connectors import CachingAuthentication
from teams.types import DeliveryResult, Member, OutboundMessage, Outcome, StoredReference
from teams.wire import member_from_json, retry_after

logger = logging.getLogger(__name__)

# What a failed member look-up raises: an answer that is not 200, the network, bad JSON.
LOOKUP_FAILURES = (ErrorResponseException, HttpOperationError, ClientError, OSError, ValueError)


class BotbuilderDelivery:
    """Delivery and MemberDirectory on botbuilder 4.17."""

    def __init__(self, authentication: CachingAuthentication, app_id: str) -> None:
        # The identity a proactive send acts as, exactly as CloudAdapter.continue_conversation
        # builds it: the bot's own app id as both audience and app id.
        identity = ClaimsIdentity({"aud": app_id, "appid": app_id}, True)
        self._factory = authentication.create_connector_factory(identity)
        self._audience = authentication.get_originating_audience()

    async def send(
        self, to: StoredReference, message: OutboundMessage, *, reply_to: str | None = None
    ) -> DeliveryResult:
        activity = _activity(to, message)
        try:
            client = await self._client(to)
            if reply_to:
                activity.reply_to_id = reply_to
                raw = await client.conversations.reply_to_activity(
                    to.conversation_id, reply_to, activity, raw=True
                )
            else:
                raw = await client.conversations.send_to_conversation(
                    to.conversation_id, activity, raw=True
                )
        except Exception as exc:  # noqa: BLE001 - mapped to a result, never raised
            return _failure(exc)
        return _result(raw)

    async def update(
        self, to: StoredReference, activity_id: str, message: OutboundMessage
    ) -> DeliveryResult:
        activity = _activity(to, message)
        activity.id = activity_id
        try:
            client = await self._client(to)
            raw = await client.conversations.update_activity(
                to.conversation_id, activity_id, activity, raw=True
            )
        except Exception as exc:  # noqa: BLE001 - mapped to a result, never raised
            return _failure(exc)
        return _result(raw, activity_id)

    async def member(self, where: StoredReference, user_id: str) -> Member | None:
        try:
            client = await self._client(where)
            raw = await client.conversations.get_conversation_member(
                where.conversation_id, user_id, raw=True
            )
            found = raw.response.json()
        except LOOKUP_FAILURES as exc:
            # Without the roster API we can only answer as for a guest; the turn goes on.
            logger.warning("Could not look up a conversation member: %s", type(exc).__name__)
            return None
        return member_from_json(found)

    async def _client(self, to: StoredReference) -> ConnectorClient:
        client: ConnectorClient = await self._factory.create(to.service_url, self._audience)
        return client


def _activity(to: StoredReference, message: OutboundMessage) -> Activity:
    attachments = [CardFactory.adaptive_card(message.card)] if message.card is not None else None
    activity = Activity(
        type=ActivityTypes.message,
        text=message.text,
        summary=message.summary,
        attachments=attachments,
        channel_id=to.channel_id,
        service_url=to.service_url,
        from_property=ChannelAccount(id=to.bot_id, name=to.bot_name),
        recipient=ChannelAccount(
            id=to.user_id, name=to.user_name, aad_object_id=to.user_aad_object_id
        ),
        conversation=ConversationAccount(
            id=to.conversation_id,
            conversation_type=to.conversation_kind.value,
            tenant_id=to.tenant_id,
        ),
    )
    if message.important:
        activity.channel_data = {"notification": {"alert": True}}
        activity.importance = "high"
    return activity


def _result(raw: Any, activity_id: str | None = None) -> DeliveryResult:
    code = int(raw.response.status_code)
    sent_id = getattr(raw.output, "id", None) or activity_id
    return DeliveryResult.from_status(code, activity_id=sent_id)


def _failure(exc: Exception) -> DeliveryResult:
    if isinstance(exc, ErrorResponseException | HttpOperationError):
        response = exc.response
        code = int(getattr(response, "status_code", 0) or 0)
        headers = getattr(response, "headers", {}) or {}
        return DeliveryResult.from_status(code, retry_after(headers.get("Retry-After")))
    if not isinstance(exc, ClientError | TimeoutError | OSError):
        # A malformed answer or an SDK error is retried like a network failure, its type
        # kept in the attempt log, rather than stopping the drain.
        logger.warning("Unexpected error sending a message: %s", type(exc).__name__)
    return DeliveryResult(Outcome.RETRY, None, None, type(exc).__name__)
