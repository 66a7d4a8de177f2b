"""The Graph client against a fake Graph and a fake identity platform, both over HTTPS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from teams.graph import MAX_ATTEMPTS, GraphClient, GraphError, TokenError, Tokens
from tests.fake_microsoft import (
    CATALOG_APP_ID,
    CLIENT_ID,
    CLIENT_SECRET,
    TENANT,
    FakeMicrosoft,
    GraphUser,
    running_microsoft,
)

ADELE = "3f5e7a10-1b2c-4d3e-8f9a-0b1c2d3e4f50"


@pytest.fixture
async def microsoft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FakeMicrosoft]:
    async with running_microsoft(tmp_path, monkeypatch) as fakes:
        fakes.graph.add_user(GraphUser(ADELE, "adelev@example.com"))
        yield fakes


class Waits:
    """Stands in for asyncio.sleep: records each wait and moves a clock on by it."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.now = 1000.0

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


async def test_the_token_comes_from_the_client_credentials_flow_and_is_reused(
    microsoft: FakeMicrosoft,
) -> None:
    tokens = Tokens(microsoft.config())

    first = await tokens.bearer()
    second = await tokens.bearer()

    assert first == second
    assert first in microsoft.identity.issued
    seen = [(s.method, s.path) for s in microsoft.identity.seen]
    # MSAL reads the tenant's OpenID configuration, then asks for the token, once; it asks
    # login.microsoftonline.com nothing about a host it does not know.
    assert seen == [
        ("GET", f"/{TENANT}/v2.0/.well-known/openid-configuration"),
        ("POST", f"/{TENANT}/oauth2/v2.0/token"),
    ]
    form = microsoft.identity.seen[1].form
    assert form["grant_type"] == "client_credentials"
    assert form["client_id"] == CLIENT_ID
    assert form["client_secret"] == CLIENT_SECRET
    assert form["scope"] == "https://graph.microsoft.com/.default"


async def test_a_refused_secret_says_why_without_the_secret(microsoft: FakeMicrosoft) -> None:
    tokens = Tokens(microsoft.config(client_secret="not-the-secret"))

    with pytest.raises(TokenError) as refused:
        await tokens.bearer()

    message = str(refused.value)
    assert "invalid_client: AADSTS7000215: Invalid client secret provided" in message
    assert "not-the-secret" not in message
    assert "Trace ID" not in message
    assert refused.value.lasting


async def test_a_tenant_the_identity_platform_does_not_know_is_named(
    microsoft: FakeMicrosoft,
) -> None:
    tokens = Tokens(microsoft.config(tenant_id="contoso.example"))

    with pytest.raises(TokenError, match="does not know the tenant 'contoso.example'"):
        await tokens.bearer()


async def test_an_unreachable_identity_platform_is_worth_trying_again(
    microsoft: FakeMicrosoft,
) -> None:
    tokens = Tokens(microsoft.config(login_url="https://127.0.0.1:9"))

    with pytest.raises(TokenError, match="could not reach the Microsoft identity platform") as e:
        await tokens.bearer()

    assert not e.value.lasting


async def test_install_binds_the_catalogue_app_then_finds_the_installation_and_chat(
    microsoft: FakeMicrosoft,
) -> None:
    config = microsoft.config()
    async with GraphClient(config, Tokens(config)) as graph:
        newly = await graph.install(ADELE)
        installation = await graph.installation_id(ADELE)
        assert installation is not None
        chat = await graph.chat_id(ADELE, installation)

    assert newly is True
    assert chat == f"19:{ADELE}_{CLIENT_ID}@unq.gbl.spaces"
    post, listed, fetched = microsoft.graph.seen
    assert (post.method, post.path) == ("POST", f"/v1.0/users/{ADELE}/teamwork/installedApps")
    assert post.body == {
        "teamsApp@odata.bind": f"{microsoft.graph.url}/appCatalogs/teamsApps/{CATALOG_APP_ID}"
    }
    assert listed.query == {
        "$expand": "teamsApp",
        "$filter": f"teamsApp/id eq '{CATALOG_APP_ID}'",
    }
    assert fetched.path == f"/v1.0/users/{ADELE}/teamwork/installedApps/{installation}/chat"


async def test_a_conflict_means_already_installed(microsoft: FakeMicrosoft) -> None:
    microsoft.graph.users[ADELE].installed = True
    config = microsoft.config()
    async with GraphClient(config, Tokens(config)) as graph:
        assert await graph.install(ADELE) is False
        assert await graph.installation_id(ADELE) is not None


async def test_a_user_is_found_by_principal_name(microsoft: FakeMicrosoft) -> None:
    config = microsoft.config()
    async with GraphClient(config, Tokens(config)) as graph:
        found = await graph.user_id("AdeleV@example.com")
        missing = await graph.user_id("nobody@example.com")

    assert found == ADELE
    assert missing is None
    assert [s.path for s in microsoft.graph.seen] == [
        "/v1.0/users/AdeleV@example.com",
        "/v1.0/users/nobody@example.com",
    ]


@pytest.mark.parametrize(
    ("refuse", "reason"),
    [
        (403, "not allowed (HTTP 403: Forbidden: App installation is blocked by policy.)"),
        (404, "not found (HTTP 404: NotFound: User not found.)"),
    ],
)
async def test_forbidden_and_not_found_are_lasting(
    microsoft: FakeMicrosoft, refuse: int, reason: str
) -> None:
    microsoft.graph.users[ADELE].refuse = refuse
    config = microsoft.config()
    async with GraphClient(config, Tokens(config)) as graph:
        with pytest.raises(GraphError) as refused:
            await graph.install(ADELE)

    assert str(refused.value) == reason
    assert refused.value.lasting
    assert refused.value.status == refuse
    assert len(microsoft.graph.installs()) == 1  # not asked again


@pytest.mark.parametrize("status", [429, 503])
async def test_throttling_waits_as_long_as_graph_asks(
    microsoft: FakeMicrosoft, status: int
) -> None:
    microsoft.graph.users[ADELE].throttle = [(status, "3"), (status, "7")]
    waits = Waits()
    config = microsoft.config()
    async with GraphClient(config, Tokens(config), sleep=waits.sleep, clock=waits.clock) as g:
        assert await g.install(ADELE) is True

    assert waits.waits == [3.0, 7.0]
    assert len(microsoft.graph.installs()) == 3


async def test_throttling_is_retried_a_bounded_number_of_times(microsoft: FakeMicrosoft) -> None:
    microsoft.graph.users[ADELE].throttle = [(429, "1")] * 10
    waits = Waits()
    config = microsoft.config()
    async with GraphClient(config, Tokens(config), sleep=waits.sleep, clock=waits.clock) as g:
        with pytest.raises(GraphError) as throttled:
            await g.install(ADELE)

    assert not throttled.value.lasting
    assert "Microsoft Graph is busy (HTTP 429), 4 times; try again later" in str(throttled.value)
    assert len(microsoft.graph.installs()) == MAX_ATTEMPTS
    assert waits.waits == [1.0] * (MAX_ATTEMPTS - 1)


async def test_a_wait_past_the_deadline_is_not_made(microsoft: FakeMicrosoft) -> None:
    microsoft.graph.users[ADELE].throttle = [(429, "30")]
    waits = Waits()
    config = microsoft.config()
    async with GraphClient(
        config, Tokens(config), deadline=waits.now + 10, sleep=waits.sleep, clock=waits.clock
    ) as graph:
        with pytest.raises(GraphError, match="asked to wait 30 s") as throttled:
            await graph.install(ADELE)

    assert waits.waits == []
    assert not throttled.value.lasting


async def test_graph_refuses_a_token_the_identity_platform_did_not_issue(
    microsoft: FakeMicrosoft,
) -> None:
    config = microsoft.config()
    tokens = Tokens(config)
    await tokens.bearer()
    microsoft.identity.issued.clear()
    async with GraphClient(config, tokens) as graph:
        with pytest.raises(GraphError, match="Graph refused the app's token") as refused:
            await graph.install(ADELE)

    assert refused.value.status == 401


async def test_the_secret_is_not_in_the_configurations_repr(microsoft: FakeMicrosoft) -> None:
    assert CLIENT_SECRET not in repr(microsoft.config())
