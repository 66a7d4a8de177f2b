"""This module builds the Bot Framework CloudAdapter and its one turn error handler."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth.authenticate_request_result import AuthenticateRequestResult

from bot.log_safety import describe_exception
from bot.settings import Settings
from notifications.connector_cache import CachingAuthentication
from notifications.identity_platform import bound_key_refresh

logger = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on my side and I could not finish that. Nothing you sent "
    "was lost. Please try again; if it keeps happening, give your IT team this reference: {ref}."
)


@dataclass(frozen=True, slots=True)
class SdkConfiguration:
    """The attribute names the SDK's configuration classes read our settings from."""

    APP_ID: str
    APP_PASSWORD: str = field(repr=False)
    APP_TYPE: str
    APP_TENANTID: str


def create_authentication(settings: Settings) -> ConfigurationBotFrameworkAuthentication:
    """Bot Framework authentication from the four MicrosoftApp* settings (empty id: off)."""
    # Signing keys are fetched without blocking the event loop, and with a time-out.
    bound_key_refresh()
    return ConfigurationBotFrameworkAuthentication(
        SdkConfiguration(
            APP_ID=settings.app_id,
            APP_PASSWORD=settings.app_password,
            APP_TYPE=settings.app_type.value,
            APP_TENANTID=settings.app_tenant_id,
        ),
        logger=logger,
    )


def create_adapter(settings: Settings) -> CloudAdapter:
    """The adapter that authenticates, runs and answers every inbound activity.

    Its connector clients are reused and get their tokens off the event loop, as the
    outbox sender's do.
    """
    adapter = CloudAdapter(CachingAuthentication(create_authentication(settings)))
    adapter.on_turn_error = on_turn_error
    return adapter


async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    """Logs the failure under a correlation id and apologises to the user.

    Neither the message text nor the exception's message is logged: either may repeat
    what someone typed. The exception's types and stack are enough to find the fault.
    """
    reference = uuid.uuid4().hex[:12]
    activity: Activity = turn_context.activity
    logger.error(
        "Turn failed [ref %s] activity type=%s id=%s conversation type=%s: %s",
        reference,
        activity.type,
        activity.id,
        activity.conversation.conversation_type if activity.conversation else None,
        describe_exception(error),
    )
    if activity.type in (ActivityTypes.message, ActivityTypes.invoke):
        try:
            await turn_context.send_activity(APOLOGY.format(ref=reference))
        except Exception as exc:
            # The channel itself may be what failed; the log above already has the cause.
            logger.error(  # noqa: TRY400 - see above: types and stack, never messages
                "Could not send the apology [ref %s]: %s", reference, describe_exception(exc)
            )


class AuthenticationFailedError(Exception):
    """The request's Bot Framework token is missing, malformed or not valid for this bot."""


async def authenticate(
    adapter: CloudAdapter, activity: Activity, auth_header: str
) -> AuthenticateRequestResult:
    """Validates the request's token before the activity reaches the bot.

    Raises:
        AuthenticationFailedError: for any failure to validate. The SDK raises
            PermissionError for a missing token but assorted errors (JWT decoding, key
            fetching) for a bad one; all of them mean "not authenticated", so we fail closed.
    """
    try:
        result: AuthenticateRequestResult = (
            await adapter.bot_framework_authentication.authenticate_request(activity, auth_header)
        )
    except Exception as exc:
        raise AuthenticationFailedError(type(exc).__name__) from exc
    return result
