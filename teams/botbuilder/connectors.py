"""This module keeps one Bot Framework connector client per service URL, for every send.

The SDK builds a new connector client for every turn and every proactive message, and
building one costs milliseconds of CPU (msrest's retry policy set-up), which caps a
broadcast well below Teams' 50 a second and doubles a chat turn's cost. Wrapping the
authentication object lets every send reuse clients; tokens are still refreshed by their
credentials (off the event loop, see identity_platform).
"""

from __future__ import annotations

from typing import Any

from botframework.connector import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
)

from teams.botbuilder.identity_platform import ready_token


class CachingConnectorFactory(ConnectorFactory):  # type: ignore[misc]
    """Creates a client once per (service URL, audience) and hands it out again."""

    def __init__(self, inner: ConnectorFactory) -> None:
        self._inner = inner
        self._clients: dict[tuple[str, str | None], ConnectorClient] = {}

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (service_url, audience)
        if key not in self._clients:
            self._clients[key] = await self._inner.create(service_url, audience)
        client = self._clients[key]
        # The SDK signs each request with a token it would fetch on the event loop.
        await ready_token(client.config.credentials)
        return client


class CachingAuthentication(BotFrameworkAuthentication):  # type: ignore[misc]
    """The configured authentication, with connector factories (and so clients) reused."""

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner
        self._factories: dict[str, CachingConnectorFactory] = {}
        self._token_clients: dict[str, Any] = {}

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        key = _identity_key(claims_identity)
        if key not in self._factories:
            self._factories[key] = CachingConnectorFactory(
                self._inner.create_connector_factory(claims_identity)
            )
        return self._factories[key]

    async def authenticate_request(
        self, activity: Any, auth_header: str
    ) -> AuthenticateRequestResult:
        result: AuthenticateRequestResult = await self._inner.authenticate_request(
            activity, auth_header
        )
        # Replies to the turn reuse clients too, and get their tokens off the event loop.
        result.connector_factory = self.create_connector_factory(result.claims_identity)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> Any:
        # Every proactive turn asks for one (for sign-in prompts we never use), and building
        # its client costs as much CPU as the connector client did.
        key = _identity_key(claims_identity)
        if key not in self._token_clients:
            self._token_clients[key] = await self._inner.create_user_token_client(claims_identity)
        return self._token_clients[key]

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self._inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)


def _identity_key(claims_identity: ClaimsIdentity) -> str:
    # What decides the connector's credentials: who the token is for and which app holds it.
    # Not the whole token, whose times and ids change with every token Teams sends.
    claims = claims_identity.claims or {}
    return repr([claims.get(name) for name in ("aud", "appid", "azp", "ver", "iss")])
