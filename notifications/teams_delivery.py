"""This module sends outbox messages to Teams: the one notifications module using botbuilder."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import ClientError
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, ConversationReference
from botframework.connector.models import ErrorResponseException
from msrest.exceptions import HttpOperationError

from notifications.delivery import DeliveryResult, Outcome

if TYPE_CHECKING:
    from botbuilder.integration.aiohttp import CloudAdapter

logger = logging.getLogger(__name__)


class TeamsDelivery:
    """Continues the stored conversation and posts the message, mapping failures to retries."""

    def __init__(self, adapter: CloudAdapter, app_id: str) -> None:
        self._adapter = adapter
        self._app_id = app_id or None

    async def deliver(self, reference: dict[str, Any], payload: dict[str, Any]) -> DeliveryResult:
        activity = message(payload)

        async def send(turn_context: TurnContext) -> None:
            await turn_context.send_activity(activity)

        return await self._continue(reference, send)

    async def update(
        self, reference: dict[str, Any], activity_id: str, payload: dict[str, Any]
    ) -> DeliveryResult:
        """Replaces the message `activity_id` (a status card) with `payload`."""
        activity = message(payload)
        activity.id = activity_id

        async def replace(turn_context: TurnContext) -> None:
            await turn_context.update_activity(activity)

        return await self._continue(reference, replace)

    async def _continue(
        self, reference: dict[str, Any], act: Callable[[TurnContext], Awaitable[None]]
    ) -> DeliveryResult:
        conversation = ConversationReference().deserialize(reference)
        failures: list[Exception] = []

        async def send(turn_context: TurnContext) -> None:
            # Caught here, not by the adapter's turn error handler, which would log and
            # swallow it: the sender needs the status code to decide whether to retry.
            try:
                await act(turn_context)
            except Exception as exc:  # noqa: BLE001 - re-raised below, outside the pipeline
                failures.append(exc)

        try:
            await self._adapter.continue_conversation(conversation, send, self._app_id)
            _raise_first(failures)
        except (ErrorResponseException, HttpOperationError) as exc:
            response = exc.response
            code = int(getattr(response, "status_code", 0) or 0)
            headers = getattr(response, "headers", {}) or {}
            return DeliveryResult.from_status(code, _retry_after(headers.get("Retry-After")))
        except (ClientError, TimeoutError, OSError) as exc:
            return DeliveryResult(Outcome.RETRY, None, None, type(exc).__name__)
        except Exception as exc:
            # Anything else (a malformed answer, an SDK error) is retried like a network
            # failure, with its type kept in the attempt log, rather than stopping the drain.
            logger.exception("Unexpected error sending a message")
            return DeliveryResult(Outcome.RETRY, None, None, type(exc).__name__)
        return DeliveryResult(Outcome.SENT, 201)


def message(payload: dict[str, Any]) -> Activity:
    """The activity for a rendered payload; "important" marks it so in Teams."""
    card = payload.get("card")
    text = payload.get("text")
    activity: Activity = (
        MessageFactory.attachment(CardFactory.adaptive_card(card), text=text)
        if card is not None
        else MessageFactory.text(text or "")
    )
    if payload.get("important"):
        activity.channel_data = {"notification": {"alert": True}}
        activity.importance = "high"
    return activity


def _raise_first(failures: list[Exception]) -> None:
    if failures:
        raise failures[0]


def _retry_after(value: str | None) -> float | None:
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None
