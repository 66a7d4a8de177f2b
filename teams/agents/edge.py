"""This module is the edge on the Microsoft 365 Agents SDK: it authenticates and runs turns.

The SDK's own configuration (AgentAuthConfiguration, one SERVICE_CONNECTION) is derived from
the MicrosoftApp* settings, so a council switches with INSPECTION_READY_SDK alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    ClaimsIdentity,
    RestChannelServiceClientFactory,
    TurnContext,
)
from microsoft_agents.hosting.core.authorization import AuthTypes
from microsoft_agents.hosting.core.authorization.jwt import JwtTokenValidator

from teams.agents.delivery import AgentsDelivery, KeptClients
from teams.logs import describe_exception
from teams.types import (
    AuthenticationFailedError,
    Credentials,
    InboundTurn,
    MalformedActivityError,
    TurnHandler,
)

logger = logging.getLogger(__name__)
# What an unhandled invoke is answered with, as the SDK's ActivityHandler does.
NOT_IMPLEMENTED = 501
SERVICE_CONNECTION = "SERVICE_CONNECTION"
# Created on every turn without an App ID (a developer's machine); it says so each time.
_NOISY_WITHOUT_APP_ID = "microsoft_agents.hosting.core.connector.client.user_token_client"
_LOGS_VALUES = "microsoft_agents.activity"
# Writes two lines at INFO for every message sent, with its conversation's id; the outbox
# and the turn log say what matters (an attempt that failed) once, at WARNING.
_LOGS_EVERY_SEND = "microsoft_agents.hosting.core.connector.client.connector_client"


@dataclass(frozen=True, slots=True)
class Verified:
    """An authenticated request: who it is from, and the activity as the SDK reads it."""

    identity: ClaimsIdentity
    activity: Activity


def configuration(credentials: Credentials) -> AgentAuthConfiguration:
    """The Agents SDK's configuration for the same registration botbuilder uses."""
    if not credentials.app_id:
        # A developer's machine only (INSPECTION_READY_DEV_NO_AUTH=1): unsigned requests.
        return AgentAuthConfiguration(anonymous_allowed=True)
    managed = credentials.app_type == "UserAssignedMSI"
    return AgentAuthConfiguration(
        auth_type=AuthTypes.user_managed_identity if managed else AuthTypes.client_secret,
        client_id=credentials.app_id,
        tenant_id=credentials.tenant_id or None,
        client_secret=None if managed else credentials.password,
        connection_name=SERVICE_CONNECTION,
    )


class AgentsEdge:
    """Authentication, turns and sending on the Microsoft 365 Agents SDK."""

    def __init__(self, credentials: Credentials) -> None:
        self._configuration = configuration(credentials)
        self._validator = JwtTokenValidator(self._configuration)
        connections = MsalConnectionManager(
            connections_configurations={SERVICE_CONNECTION: self._configuration}
        )
        self._delivery = AgentsDelivery(connections, credentials.app_id)
        self._adapter = CloudAdapter(
            channel_service_client_factory=KeptClients(
                self._delivery, RestChannelServiceClientFactory(connections)
            )
        )
        self._adapter.on_turn_error = on_turn_error
        if not credentials.app_id:
            logging.getLogger(_NOISY_WITHOUT_APP_ID).setLevel(logging.ERROR)
        # The SDK logs a refused activity with the values it refused: what someone sent.
        logging.getLogger(_LOGS_VALUES).setLevel(logging.CRITICAL)
        if logging.getLogger(_LOGS_EVERY_SEND).level < logging.WARNING:
            logging.getLogger(_LOGS_EVERY_SEND).setLevel(logging.WARNING)

    @property
    def name(self) -> str:
        return "agents"

    @property
    def delivery(self) -> AgentsDelivery:
        return self._delivery

    @property
    def directory(self) -> AgentsDelivery:
        return self._delivery

    async def authenticate(self, body: dict[str, Any], authorization: str) -> Verified:
        """Validates the request's token before the activity reaches the bot.

        Raises:
            MalformedActivityError: the SDK cannot read the activity.
            AuthenticationFailedError: no token, a malformed header, or a token the SDK's
                validator refuses (signature, issuer, audience, expiry, key fetching).
        """
        activity = read_activity(body)
        if not authorization:
            if self._configuration.ANONYMOUS_ALLOWED:
                return Verified(self._validator.get_anonymous_claims(), activity)
            raise AuthenticationFailedError("PermissionError")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip() or " " in token.strip():
            raise AuthenticationFailedError("MalformedAuthorization")
        try:
            identity = await self._validator.validate_token(token.strip())
        except Exception as exc:
            raise AuthenticationFailedError(type(exc).__name__) from exc
        return Verified(identity, activity)

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

        response = await self._adapter.process_activity(
            identity.identity, identity.activity, logic
        )
        if response is None:
            return None
        return int(response.status), response.body

    async def close(self) -> None:
        """Closes the delivery's kept sessions."""
        await self._delivery.close()


def read_activity(body: dict[str, Any]) -> Activity:
    """The SDK's Activity for a checked body.

    Raises:
        MalformedActivityError: a field has a type the SDK cannot read.
    """
    try:
        return Activity.model_validate(without_blanks(body))
    except Exception as exc:
        # pydantic's messages repeat the values: omit them.
        raise MalformedActivityError("a field has the wrong type") from exc


def without_blanks(value: Any) -> Any:
    """A copy with empty strings left out: the SDK refuses "" where it wants an id.

    Teams never sends them; botbuilder reads them as absent, and so, now, does this SDK.
    """
    if isinstance(value, dict):
        return {key: without_blanks(item) for key, item in value.items() if item != ""}
    if isinstance(value, list):
        return [without_blanks(item) for item in value]
    return value


async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    """Logs a failure the bot's own handler did not catch; the bot answers its own errors.

    Replaces the SDK's default, which prints the traceback and sends the exception's text
    to the user.
    """
    activity: Activity = turn_context.activity
    logger.error(
        "Turn failed in the adapter: activity type=%s: %s",
        activity.type,
        describe_exception(error),
    )
