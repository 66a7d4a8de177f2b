"""This module sends to Teams and looks up members through the Agents SDK's connector client.

Turn replies and the outbox send the same way. One aiohttp session per service URL is kept
(the SDK would open and close one per turn and per proactive message), the token comes from
the SDK's MSAL connection, and the HTTP status each request got is recorded by a trace hook.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextvars import ContextVar
from types import SimpleNamespace
from typing import Any

import aiohttp
from microsoft_agents.activity import Activity, ActivityTypes
from microsoft_agents.hosting.core import (
    ChannelServiceClientFactoryBase,
    ClaimsIdentity,
    Connections,
)
from microsoft_agents.hosting.core.connector import ConnectorClientBase, UserTokenClientBase
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

from teams.types import DeliveryResult, Member, OutboundMessage, Outcome, StoredReference
from teams.wire import member_from_json, retry_after

logger = logging.getLogger(__name__)

# The audience of tokens for the Bot Connector, the same as botbuilder's.
CONNECTOR_AUDIENCE = "https://api.botframework.com"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
# How long a token from the SDK's connection is reused before it is asked again (tokens
# last an hour or more; MSAL renews them ahead of expiry).
TOKEN_REUSE_SECONDS = 300
# The last HTTP status of a request made in this task: how a status reaches the result.
_last_status: ContextVar[SimpleNamespace | None] = ContextVar("_last_status", default=None)


class AgentsDelivery:
    """Delivery and MemberDirectory on the Microsoft 365 Agents SDK."""

    def __init__(self, connections: Connections, app_id: str) -> None:
        self._connections = connections
        self._identity = ClaimsIdentity({"aud": app_id, "appid": app_id})
        self._anonymous = not app_id
        self._clients: dict[str, TeamsConnectorClient] = {}
        self._token_clients: dict[str, UserTokenClientBase] = {}
        self._tokens: dict[str, tuple[float, str]] = {}
        self._lock = asyncio.Lock()

    async def send(
        self, to: StoredReference, message: OutboundMessage, *, reply_to: str | None = None
    ) -> DeliveryResult:
        activity = _activity(to, message)
        status = _track()
        try:
            client = await self._client(to)
            if reply_to:
                activity.reply_to_id = reply_to
                sent = await client.conversations.reply_to_activity(
                    to.conversation_id, reply_to, activity
                )
            else:
                sent = await client.conversations.send_to_conversation(
                    to.conversation_id, activity
                )
        except Exception as exc:  # noqa: BLE001 - mapped to a result, never raised
            return _failure(exc)
        return DeliveryResult.from_status(status.code or 200, activity_id=sent.id or None)

    async def update(
        self, to: StoredReference, activity_id: str, message: OutboundMessage
    ) -> DeliveryResult:
        activity = _activity(to, message)
        activity.id = activity_id
        status = _track()
        try:
            client = await self._client(to)
            await client.conversations.update_activity(to.conversation_id, activity_id, activity)
        except Exception as exc:  # noqa: BLE001 - mapped to a result, never raised
            return _failure(exc)
        return DeliveryResult.from_status(status.code or 200, activity_id=activity_id)

    async def member(self, where: StoredReference, user_id: str) -> Member | None:
        try:
            client = await self._client(where)
            account = await client.conversations.get_conversation_member(
                where.conversation_id, user_id
            )
        except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as exc:
            # Without the roster API we can only answer as for a guest; the turn goes on.
            logger.warning("Could not look up a conversation member: %s", type(exc).__name__)
            return None
        return member_from_json(account.model_dump(by_alias=True, exclude_none=True))

    async def close(self) -> None:
        """Closes the kept clients."""
        for client in self._clients.values():
            await client.close()
        self._clients.clear()
        for token_client in self._token_clients.values():
            await token_client.close()
        self._token_clients.clear()

    async def connector(self, service_url: str) -> TeamsConnectorClient:
        """The kept client for `service_url`, carrying a current token."""
        client = self._clients.get(service_url)
        if client is None:
            async with self._lock:
                client = self._clients.get(service_url)
                if client is None:
                    trace = aiohttp.TraceConfig()
                    trace.on_request_end.append(_record_status)
                    session = aiohttp.ClientSession(
                        base_url=_endpoint(service_url), trace_configs=[trace]
                    )
                    # The SDK's own client, built once (it looks up its package version and
                    # opens a session each time it is built).
                    client = TeamsConnectorClient(_endpoint(service_url), "", session=session)
                    self._clients[service_url] = client
        if not self._anonymous:
            token = await self._token(service_url)
            client.client.headers["Authorization"] = f"Bearer {token}"
        return client

    async def user_token_client(
        self, factory: ChannelServiceClientFactoryBase, context: Any, identity: ClaimsIdentity
    ) -> UserTokenClientBase:
        """The SDK's sign-in client, built once per app (the bot never signs anyone in)."""
        key = identity.get_app_id() or ""
        if key not in self._token_clients:
            self._token_clients[key] = await factory.create_user_token_client(
                context, identity, self._anonymous
            )
        return self._token_clients[key]

    async def _token(self, service_url: str) -> str:
        now = time.monotonic()
        kept = self._tokens.get(service_url)
        if kept is not None and now - kept[0] < TOKEN_REUSE_SECONDS:
            return kept[1]
        # MSAL keeps the token too; asking it costs a worker thread, so not every send.
        provider = self._connections.get_token_provider(self._identity, service_url)
        token = await provider.get_access_token(
            CONNECTOR_AUDIENCE, [f"{CONNECTOR_AUDIENCE}/.default"]
        )
        self._tokens[service_url] = (now, token)
        return token

    async def _client(self, to: StoredReference) -> TeamsConnectorClient:
        return await self.connector(to.service_url)


class KeptClients:
    """The SDK's client factory, handing it the delivery's kept clients for each turn.

    CloudAdapter builds (and closes) a connector client and a sign-in client for every
    turn; a turn's replies go through the delivery, so the kept ones serve, unclosed.
    """

    def __init__(self, delivery: AgentsDelivery, inner: ChannelServiceClientFactoryBase) -> None:
        self._delivery = delivery
        self._inner = inner

    async def create_connector_client(
        self,
        context: Any,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        return _Kept(await self._delivery.connector(service_url))

    async def create_user_token_client(
        self, context: Any, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> UserTokenClientBase:
        client = await self._delivery.user_token_client(self._inner, context, claims_identity)
        return _Kept(client)


class _Kept:
    """A kept client as the SDK's turn sees it: everything but `close`."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    async def close(self) -> None:
        """Kept for the next turn: closed when the edge closes."""


def _endpoint(service_url: str) -> str:
    return service_url if service_url.endswith("/") else service_url + "/"


def _track() -> SimpleNamespace:
    holder = SimpleNamespace(code=None)
    _last_status.set(holder)
    return holder


async def _record_status(
    _session: aiohttp.ClientSession, _context: Any, params: aiohttp.TraceRequestEndParams
) -> None:
    holder = _last_status.get()
    if holder is not None:
        holder.code = params.response.status


def _activity(to: StoredReference, message: OutboundMessage) -> Activity:
    # Built from the wire form (aliases), as the SDK would read it from a request.
    wire: dict[str, Any] = {
        "type": ActivityTypes.message,
        "channelId": to.channel_id,
        "serviceUrl": to.service_url,
        "from": _account(to.bot_id or "bot", to.bot_name),
        "recipient": {
            **_account(to.user_id or "user", to.user_name),
            **({"aadObjectId": to.user_aad_object_id} if to.user_aad_object_id else {}),
        },
        "conversation": {
            "id": to.conversation_id,
            "conversationType": to.conversation_kind.value,
            **({"tenantId": to.tenant_id} if to.tenant_id else {}),
        },
    }
    if message.text is not None:
        wire["text"] = message.text
    if message.summary is not None:
        wire["summary"] = message.summary
    if message.card is not None:
        wire["attachments"] = [{"contentType": ADAPTIVE_CARD, "content": message.card}]
    if message.important:
        wire["channelData"] = {"notification": {"alert": True}}
        wire["importance"] = "high"
    return Activity.model_validate(wire)


def _account(account_id: str, name: str | None) -> dict[str, str]:
    return {"id": account_id, **({"name": name} if name else {})}


def _failure(exc: Exception) -> DeliveryResult:
    if isinstance(exc, aiohttp.ClientResponseError):
        wait = exc.headers.get("Retry-After") if exc.headers else None
        return DeliveryResult.from_status(exc.status, retry_after(wait))
    if not isinstance(exc, aiohttp.ClientError | TimeoutError | OSError):
        # A malformed answer or an SDK error is retried like a network failure, its type
        # kept in the attempt log, rather than stopping the drain.
        logger.warning("Unexpected error sending a message: %s", type(exc).__name__)
    return DeliveryResult(Outcome.RETRY, None, None, type(exc).__name__)
