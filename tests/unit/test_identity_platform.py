"""Signing keys and tokens are fetched without blocking the event loop, and with a time-out."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from botframework.connector.auth import MicrosoftAppCredentials
from botframework.connector.auth.jwt_token_extractor import _OpenIdMetadata

from bot.settings import Settings
from teams.botbuilder import identity_platform
from teams.botbuilder.edge import BotbuilderEdge
from teams.botbuilder.identity_platform import (
    KeysUnavailableError,
    bound_key_refresh,
    ready_token,
    refresh_keys,
)


class Blackhole:
    """A TCP server that accepts connections and never answers: a dropped egress."""

    def __init__(self) -> None:
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._held: list[asyncio.StreamWriter] = []

    async def start(self) -> str:
        async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections += 1
            self._held.append(writer)

        self._server = await asyncio.start_server(hold, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/.well-known/openidconfiguration"

    async def close(self) -> None:
        for writer in self._held:
            writer.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


@pytest.fixture
async def blackhole() -> AsyncIterator[Blackhole]:
    hole = Blackhole()
    yield hole
    await hole.close()


@pytest.fixture(autouse=True)
def quick_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(identity_platform, "FETCH_TIMEOUT_SECONDS", 0.5)
    bound_key_refresh()


async def test_a_hanging_key_fetch_leaves_the_event_loop_free_and_fails_fast_after(
    blackhole: Blackhole,
) -> None:
    metadata = _OpenIdMetadata(await blackhole.start())
    fetching = asyncio.create_task(metadata.get("some-key"))
    other_work = asyncio.create_task(asyncio.sleep(0.05))

    await other_work
    # The loop ran other work while the fetch was still waiting on the identity platform.
    assert not fetching.done()
    with pytest.raises(KeysUnavailableError):
        await fetching
    with pytest.raises(KeysUnavailableError, match="failed just now"):
        await metadata.get("some-key")
    # The second request did not wait on the identity platform again.
    assert blackhole.connections == 1


async def test_concurrent_requests_share_one_key_fetch() -> None:
    fetches: list[str] = []

    async def openid(request: web.Request) -> web.Response:
        fetches.append("metadata")
        return web.json_response({"jwks_uri": str(request.url.with_path("/keys"))})

    async def keys(_request: web.Request) -> web.Response:
        fetches.append("keys")
        await asyncio.sleep(0.05)
        return web.json_response({"keys": [{"kid": "k1", "kty": "RSA", "n": "AQAB", "e": "AQAB"}]})

    app = web.Application()
    app.router.add_get("/.well-known/openidconfiguration", openid)
    app.router.add_get("/keys", keys)
    server = TestServer(app)
    await server.start_server()
    try:
        metadata = _OpenIdMetadata(str(server.make_url("/.well-known/openidconfiguration")))
        await asyncio.gather(*(metadata._refresh() for _ in range(5)))
    finally:
        await server.close()

    assert fetches == ["metadata", "keys"]
    assert [key["kid"] for key in metadata.keys] == ["k1"]


class SlowCredentials(MicrosoftAppCredentials):  # type: ignore[misc]
    """Credentials whose token fetch waits for the event loop to do something else first."""

    def __init__(self, loop_ran: threading.Event) -> None:
        super().__init__("11111111-2222-3333-4444-555555555555", "secret")
        self.app = object()  # the MSAL app is not used by this fake
        self.loop_ran = loop_ran
        self.saw_the_loop_run = False

    def get_access_token(self, force_refresh: bool = False) -> str:
        # Only possible if this runs off the event loop's thread.
        self.saw_the_loop_run = self.loop_ran.wait(timeout=2)
        return "token"


async def test_a_token_is_fetched_off_the_event_loop() -> None:
    loop_ran = threading.Event()
    credentials = SlowCredentials(loop_ran)

    async def meanwhile() -> None:
        await asyncio.sleep(0.01)
        loop_ran.set()

    await asyncio.gather(ready_token(credentials), meanwhile())

    assert credentials.saw_the_loop_run is True


async def test_no_token_is_fetched_without_an_app_id() -> None:
    empty = MicrosoftAppCredentials("", "")

    await ready_token(empty)

    assert empty.app is None


def test_the_service_installs_the_bounded_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_OpenIdMetadata, "_refresh", lambda _self: None)

    BotbuilderEdge(Settings(dev_no_auth=True).credentials)

    assert _OpenIdMetadata._refresh is refresh_keys
