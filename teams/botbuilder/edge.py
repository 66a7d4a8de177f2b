"""This module is the edge on botbuilder 4.17: it authenticates requests and runs turns.

The Bot Framework SDK for Python is archived (no fixes since 31 December 2025); the
Microsoft 365 Agents SDK (teams/agents) is its successor and runs the same turns.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth.authenticate_request_result import AuthenticateRequestResult

from teams.botbuilder.connectors import CachingAuthentication
from teams.botbuilder.delivery import BotbuilderDelivery
from teams.botbuilder.identity_platform import bound_key_refresh
from teams.logs import describe_exception
from teams.types import (
    AuthenticationFailedError,
    Credentials,
    InboundTurn,
    MalformedActivityError,
    TurnHandler,
)

logger = logging.getLogger(__name__)
# What an unhandled invoke is answered with, as botbuilder's ActivityHandler does.
NOT_IMPLEMENTED = 501


@dataclass(frozen=True, slots=True)
class SdkConfiguration:
    """The attribute names the SDK's configuration classes read our settings from."""

    APP_ID: str
    APP_PASSWORD: str = field(repr=False)
    APP_TYPE: str
    APP_TENANTID: str


@dataclass(frozen=True, slots=True)
class Verified:
    """An authenticated request: the SDK's result and the activity it was checked against."""

    result: AuthenticateRequestResult
    activity: Activity


class BotbuilderEdge:
    """Authentication, turns and sending on botbuilder."""

    def __init__(self, credentials: Credentials) -> None:
        # Signing keys are fetched without blocking the event loop, and with a time-out.
        bound_key_refresh()
        self._authentication = CachingAuthentication(
            ConfigurationBotFrameworkAuthentication(
                SdkConfiguration(
                    APP_ID=credentials.app_id,
                    APP_PASSWORD=credentials.password,
                    APP_TYPE=credentials.app_type,
                    APP_TENANTID=credentials.tenant_id,
                ),
                logger=logger,
            )
        )
        self._adapter = CloudAdapter(self._authentication)
        self._adapter.on_turn_error = on_turn_error
        self._delivery = BotbuilderDelivery(self._authentication, credentials.app_id)

    @property
    def name(self) -> str:
        return "botbuilder"

    @property
    def delivery(self) -> BotbuilderDelivery:
        return self._delivery

    @property
    def directory(self) -> BotbuilderDelivery:
        return self._delivery

    async def authenticate(self, body: dict[str, Any], authorization: str) -> Verified:
        """Validates the request's token before the activity reaches the bot.

        Raises:
            MalformedActivityError: the SDK cannot read the activity.
            AuthenticationFailedError: for any failure to validate. The SDK raises
                PermissionError for a missing token but assorted errors (JWT decoding, key
                fetching) for a bad one; all mean "not authenticated", so we fail closed.
        """
        activity = read_activity(body)
        try:
            result: AuthenticateRequestResult = await self._authentication.authenticate_request(
                activity, authorization
            )
        except Exception as exc:
            raise AuthenticationFailedError(type(exc).__name__) from exc
        return Verified(result, activity)

    async def run(
        self, identity: object, body: dict[str, Any], turn: InboundTurn, handler: TurnHandler
    ) -> tuple[int, Any] | None:
        """Runs the turn through CloudAdapter; an invoke's status and body, else None."""
        if not isinstance(identity, Verified):
            raise TypeError("run needs what authenticate returned")

        async def logic(turn_context: TurnContext) -> None:
            answer = await handler(turn)
            if turn.is_invoke:
                # The SDK's own way to answer an invoke: an invokeResponse activity, which
                # the adapter keeps and returns instead of sending.
                response = (
                    InvokeResponse(status=answer.status, body=answer.body())
                    if answer is not None
                    else InvokeResponse(status=NOT_IMPLEMENTED)
                )
                await turn_context.send_activity(
                    Activity(type=ActivityTypes.invoke_response, value=response)
                )

        response = await self._adapter.process_activity(identity.result, identity.activity, logic)
        if response is None:
            return None
        return int(response.status), response.body

    async def close(self) -> None:
        """Nothing to release: msrest's clients close with the process."""


def read_activity(body: dict[str, Any]) -> Activity:
    """The SDK's Activity for a checked body.

    Raises:
        MalformedActivityError: a field has a type the SDK cannot read.
    """
    try:
        activity: Activity = Activity().deserialize(body)
    except Exception as exc:
        # msrest raises DeserializationError for most wrong types but plain TypeErrors and
        # AttributeErrors for some; all mean the same. Its messages repeat the values: omit.
        raise MalformedActivityError("a field has the wrong type") from exc
    return activity


async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    """Logs a failure the bot's own handler did not catch; the bot answers its own errors.

    Neither the activity's text nor the exception's message is logged: either may repeat
    what someone typed. The exception's types and stack are enough to find the fault.
    """
    activity: Activity = turn_context.activity
    logger.error(
        "Turn failed in the adapter: activity type=%s: %s",
        activity.type,
        describe_exception(error),
    )
