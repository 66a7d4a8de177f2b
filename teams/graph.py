"""This module is the service's Microsoft Graph client: it installs the app for a person and
finds the chat between them and the bot (Microsoft's "proactive installation").

Tokens come from the Microsoft identity platform through MSAL's client-credentials flow.
MSAL is synchronous (it uses requests), so it runs in a worker thread, never on the event
loop. Graph's throttling is honoured: 429 and 503 are retried after the Retry-After it
gives, a bounded number of times, and never past the caller's deadline.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp
import requests
from msal import ConfidentialClientApplication
from msal.authority import WELL_KNOWN_AUTHORITY_HOSTS
from yarl import URL

from teams.types import GraphConfig
from teams.wire import retry_after

logger = logging.getLogger(__name__)

# Application permissions are granted to Graph as a whole: the one scope for them.
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
# Attempts per request, counting the first: throttling is ridden out, a storm is not.
MAX_ATTEMPTS = 4
# The longest Retry-After waited for; Graph asking for longer means "try much later".
MAX_WAIT_SECONDS = 60.0
# Without a Retry-After (a dropped connection, a 503 without one): 1 s, 2 s, 4 s.
BASE_BACKOFF_SECONDS = 1.0
REQUEST_TIMEOUT_SECONDS = 15.0
# MSAL's own time-out for each of its requests to the identity platform.
TOKEN_TIMEOUT_SECONDS = 10.0
# A token is fetched again this long before it expires.
TOKEN_MARGIN_SECONDS = 300.0
# After the identity platform refused or failed, the same answer is given for this long
# rather than every waiting request asking it again.
TOKEN_RETRY_AFTER_SECONDS = 30.0
# Graph's answers that mean "not now": throttled, or briefly unavailable.
THROTTLED = frozenset({429, 503, 504})
# Path characters left as they are in a user principal name (an email address).
_UPN_SAFE = "@.!~*()'-_"

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


class GraphError(Exception):
    """A Graph request failed; the message says why in a few words, for people to read.

    `lasting` is True when trying again soon will not help (403 Forbidden, 404 Not Found),
    False for throttling, time-outs and network failures.
    """

    def __init__(self, reason: str, *, status: int | None = None, lasting: bool) -> None:
        super().__init__(reason)
        self.status = status
        self.lasting = lasting


class TokenError(GraphError):
    """No token for Graph: the identity platform refused the app or could not be reached.

    Nothing can be installed for anyone until that is fixed, so callers stop at the first.
    """


class Tokens:
    """Access tokens for Graph from the identity platform, kept until shortly before expiry.

    A token is fetched about once an hour, so each fetch builds its MSAL application (which
    reads the tenant's OpenID configuration) on an HTTP session of its own, closed after:
    no connection is left open in between.
    """

    def __init__(self, config: GraphConfig, *, clock: Clock = time.monotonic) -> None:
        self._config = config
        self._clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._failed: tuple[float, TokenError] | None = None
        self._lock = asyncio.Lock()

    async def bearer(self) -> str:
        """A current access token for Graph.

        Raises:
            TokenError: the identity platform refused the app's credentials, or did not
                answer.
        """
        async with self._lock:
            if self._token is not None and self._clock() < self._expires_at:
                return self._token
            if self._failed is not None and self._clock() < self._failed[0]:
                failed = self._failed[1]
                raise TokenError(str(failed), lasting=failed.lasting)
            try:
                token, lifetime = await asyncio.to_thread(self._acquire)
            except TokenError as exc:
                self._failed = (self._clock() + TOKEN_RETRY_AFTER_SECONDS, exc)
                raise
            self._failed = None
            self._token = token
            self._expires_at = self._clock() + max(lifetime - TOKEN_MARGIN_SECONDS, 0.0)
            return token

    def _acquire(self) -> tuple[str, float]:
        """A token and its lifetime in seconds, from MSAL; runs in a worker thread, as MSAL
        blocks on its HTTP requests."""
        try:
            with requests.Session() as http:
                # As MSAL sets up a session of its own: a time-out on every request.
                http.request = functools.partial(  # type: ignore[method-assign]
                    http.request, timeout=TOKEN_TIMEOUT_SECONDS
                )
                application = _application(self._config, http)
                result: dict[str, Any] = application.acquire_token_for_client(scopes=[GRAPH_SCOPE])
        except ValueError as exc:
            # MSAL's answer to a tenant the identity platform does not know.
            raise TokenError(
                "the Microsoft identity platform does not know the tenant "
                f"{self._config.tenant_id!r}",
                lasting=True,
            ) from exc
        except Exception as exc:
            # requests' connection errors and time-outs, or an answer that is not JSON.
            raise TokenError(
                "could not reach the Microsoft identity platform at "
                f"{self._config.login_url} ({type(exc).__name__})",
                lasting=False,
            ) from exc
        token = result.get("access_token")
        if not isinstance(token, str) or not token:
            raise TokenError(_refusal(result), lasting=True)
        return token, float(result.get("expires_in") or 0)


def _application(config: GraphConfig, http: requests.Session) -> ConfidentialClientApplication:
    host = urlsplit(config.login_url).hostname or ""
    return ConfidentialClientApplication(
        client_id=config.client_id,
        client_credential=config.client_secret,
        authority=f"{config.login_url}/{config.tenant_id}",
        http_client=http,
        # MSAL asks login.microsoftonline.com about any authority host it does not know;
        # a host of the council's own (a proxy, or a test's fake) is used as it is.
        instance_discovery=None if host in WELL_KNOWN_AUTHORITY_HOSTS else False,
    )


def _refusal(result: dict[str, Any]) -> str:
    error = str(result.get("error") or "no token")
    # The first line names the problem (AADSTS7000215: Invalid client secret provided...);
    # the rest is trace and correlation ids.
    description = str(result.get("error_description") or "").strip().splitlines()
    detail = f": {description[0][:200]}" if description else ""
    return f"the Microsoft identity platform refused the app's sign-in ({error}{detail})"


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: Any


class GraphClient:
    """The few Graph requests proactive installation needs, as an async context manager.

    `deadline` (on `clock`'s scale) is when the caller must have an answer: a wait for
    Retry-After that would pass it is not made, and the request fails as throttled.
    """

    def __init__(
        self,
        config: GraphConfig,
        tokens: Tokens,
        *,
        deadline: float | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
    ) -> None:
        self._config = config
        self._tokens = tokens
        self._deadline = deadline
        self._sleep = sleep
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> GraphClient:
        # The system's trust store as it is now (SSL_CERT_FILE included); aiohttp's own
        # default context is fixed when aiohttp is first imported.
        connector = aiohttp.TCPConnector(ssl=ssl.create_default_context())
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS),
            # Councils reach the internet through their proxy (HTTPS_PROXY).
            trust_env=True,
        )
        return self

    async def __aexit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def user_id(self, user_principal_name: str) -> str | None:
        """The Entra object id of the user with this principal name; None if there is none.

        Raises:
            GraphError: Graph refused or failed the look-up.
        """
        answer = await self._call(
            "GET", f"/users/{quote(user_principal_name, safe=_UPN_SAFE)}", ok={200, 404}
        )
        if answer.status == 404:
            return None
        found = answer.body.get("id") if isinstance(answer.body, dict) else None
        if not isinstance(found, str) or not found:
            raise GraphError("Graph answered a user look-up without an id", lasting=False)
        return found

    async def install(self, user_id: str) -> bool:
        """Installs the app in the user's personal scope: True if it was installed now,
        False if it already was (409 Conflict).

        Raises:
            GraphError: Graph refused (403 Forbidden, 404 Not Found) or failed.
        """
        binding = f"{self._config.graph_url}/appCatalogs/teamsApps/{self._config.catalog_app_id}"
        answer = await self._call(
            "POST",
            f"/users/{quote(user_id, safe='')}/teamwork/installedApps",
            body={"teamsApp@odata.bind": binding},
            ok={201, 409},
        )
        return answer.status == 201

    async def installation_id(self, user_id: str) -> str | None:
        """The id of the app's installation for the user; None if it is not installed (or
        not visible yet, just after an install).

        Raises:
            GraphError: Graph refused or failed the look-up.
        """
        wanted = f"teamsApp/id eq '{self._config.catalog_app_id}'"
        query = f"$expand=teamsApp&$filter={quote(wanted, safe=_UPN_SAFE + '/')}"
        answer = await self._call(
            "GET", f"/users/{quote(user_id, safe='')}/teamwork/installedApps?{query}", ok={200}
        )
        found = answer.body.get("value") if isinstance(answer.body, dict) else None
        for installation in found if isinstance(found, list) else []:
            if isinstance(installation, dict) and isinstance(installation.get("id"), str):
                return str(installation["id"])
        return None

    async def chat_id(self, user_id: str, installation_id: str) -> str | None:
        """The id of the one-on-one chat between the user and the app; None if Graph has
        none yet.

        Raises:
            GraphError: Graph refused or failed the look-up.
        """
        path = (
            f"/users/{quote(user_id, safe='')}/teamwork/installedApps/"
            f"{quote(installation_id, safe='')}/chat"
        )
        answer = await self._call("GET", path, ok={200, 404})
        found = answer.body.get("id") if isinstance(answer.body, dict) else None
        if answer.status == 404 or not isinstance(found, str) or not found:
            return None
        return found

    async def _call(
        self, method: str, path: str, *, ok: set[int], body: dict[str, Any] | None = None
    ) -> _Answer:
        if self._session is None:
            raise RuntimeError("use GraphClient as an async context manager")
        url = URL(f"{self._config.graph_url}{path}", encoded=True)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            token = await self._tokens.bearer()
            headers = {"Authorization": f"Bearer {token}"}
            try:
                async with self._session.request(
                    method, url, json=body, headers=headers, timeout=self._timeout()
                ) as response:
                    status = response.status
                    answer = _Answer(status, await _json(response))
                    wait = retry_after(response.headers.get("Retry-After"))
            except (aiohttp.ClientError, TimeoutError) as exc:
                status, answer, wait = 0, _Answer(0, None), None
                problem = f"could not reach Microsoft Graph ({type(exc).__name__})"
            else:
                if status in ok:
                    return answer
                if status not in THROTTLED:
                    raise GraphError(_describe(answer), status=status, lasting=True)
                problem = f"Microsoft Graph is busy (HTTP {status})"
            if wait is None:
                wait = BASE_BACKOFF_SECONDS * 2 ** (attempt - 1)
            if attempt == MAX_ATTEMPTS:
                break
            if wait > MAX_WAIT_SECONDS or (
                self._deadline is not None and self._clock() + wait > self._deadline
            ):
                raise GraphError(
                    f"{problem}; it asked to wait {wait:g} s, longer than there was time for",
                    status=status or None,
                    lasting=False,
                )
            logger.info("Graph answered %s; trying again in %.1f s", status or "nothing", wait)
            await self._sleep(wait)
        raise GraphError(
            f"{problem}, {MAX_ATTEMPTS} times; try again later",
            status=status or None,
            lasting=False,
        )

    def _timeout(self) -> aiohttp.ClientTimeout:
        """REQUEST_TIMEOUT_SECONDS, or less when the deadline is nearer (a second at least).

        Raises:
            GraphError: the deadline has passed.
        """
        seconds = REQUEST_TIMEOUT_SECONDS
        if self._deadline is not None:
            left = self._deadline - self._clock()
            if left <= 0:
                raise GraphError("no time was left to ask Microsoft Graph", lasting=False)
            seconds = min(seconds, max(left, 1.0))
        return aiohttp.ClientTimeout(total=seconds)


async def _json(response: aiohttp.ClientResponse) -> Any:
    if response.status in (201, 204) and not response.content_length:
        return None
    try:
        return await response.json(content_type=None)
    except ValueError:
        return None


def _describe(answer: _Answer) -> str:
    """Graph's own words for a refusal (its error code and message), shortened."""
    error = answer.body.get("error") if isinstance(answer.body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    words = ": ".join(str(part) for part in (code, message) if part)
    meaning = {
        400: "the request was refused as malformed",
        401: "Graph refused the app's token",
        403: "not allowed",
        404: "not found",
    }.get(answer.status, "Graph refused it")
    return f"{meaning} (HTTP {answer.status}{': ' + words[:200] if words else ''})"
