"""This module keeps calls to the Microsoft identity platform off the event loop, and bounded.

botbuilder 4.17 fetches Bot Framework's token-signing keys with `requests.get` (no time-out)
inside async code, and the MSAL token for outgoing messages the same way. When
login.botframework.com or login.microsoftonline.com is slow or unreachable (an egress proxy
that drops traffic), one request then freezes the whole process: health checks, turns and
the inspection-call sender alike. The SDK is archived, so it will not be fixed there:
its key refresh is replaced with an aiohttp one that has a time-out, coalesces concurrent
refreshes and backs off after a failure, and tokens are fetched in a worker thread with a
time-out before the SDK asks for them.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from botframework.connector.auth import MicrosoftAppCredentials
from botframework.connector.auth.jwt_token_extractor import _OpenIdMetadata
from msal import ConfidentialClientApplication

logger = logging.getLogger(__name__)

# How long one fetch of the signing keys, or of a token, may take.
FETCH_TIMEOUT_SECONDS = 10.0
# After a failed key fetch, tokens are refused at once for this long rather than each one
# waiting for the identity platform again.
KEY_RETRY_AFTER = timedelta(seconds=30)


class KeysUnavailableError(Exception):
    """The token-signing keys could not be fetched; the request cannot be authenticated."""


async def refresh_keys(metadata: _OpenIdMetadata) -> None:
    """Fetches the OpenID metadata and its keys, as the SDK's refresh does, but bounded.

    Raises:
        KeysUnavailableError: the fetch failed or timed out, now or within KEY_RETRY_AFTER.
    """
    state = vars(metadata)
    lock: asyncio.Lock = state.setdefault("_refresh_lock", asyncio.Lock())
    seen = metadata.last_updated
    async with lock:
        if metadata.last_updated != seen:
            return  # another request refreshed them while this one waited
        # The SDK compares these times with its own naive local datetime.now().
        now = datetime.now()  # noqa: DTZ005
        failed_at = state.get("_failed_at")
        if failed_at is not None and now - failed_at < KEY_RETRY_AFTER:
            raise KeysUnavailableError("the last fetch of the signing keys failed just now")
        timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT_SECONDS)
        try:
            # trust_env: councils reach the internet through their proxy (HTTPS_PROXY).
            async with aiohttp.ClientSession(timeout=timeout, trust_env=True) as http:
                document = await _json(http, metadata.url)
                keys = (await _json(http, str(document["jwks_uri"])))["keys"]
        except (aiohttp.ClientError, TimeoutError, KeyError, TypeError, ValueError) as exc:
            state["_failed_at"] = now
            logger.warning("Could not fetch the token-signing keys: %s", type(exc).__name__)
            raise KeysUnavailableError(type(exc).__name__) from exc
        state["_failed_at"] = None
        metadata.keys = keys
        metadata.last_updated = datetime.now()  # noqa: DTZ005 - see above


async def _json(http: aiohttp.ClientSession, url: str) -> Any:
    async with http.get(url) as response:
        response.raise_for_status()
        return await response.json(content_type=None)


def bound_key_refresh() -> None:
    """Puts `refresh_keys` in place of the SDK's blocking key refresh (safe to repeat)."""
    _OpenIdMetadata._refresh = refresh_keys


async def ready_token(credentials: Any) -> None:
    """Makes sure the credentials hold a valid token, fetching it off the event loop.

    The SDK then finds the token in MSAL's cache when it signs a request, instead of
    fetching one on the event loop with no time-out.
    """
    if not isinstance(credentials, MicrosoftAppCredentials) or not credentials.microsoft_app_id:
        return
    if credentials.app is None:
        # The SDK builds this itself on first use, without a time-out.
        credentials.app = ConfidentialClientApplication(
            client_id=credentials.microsoft_app_id,
            client_credential=credentials.microsoft_app_password,
            authority=credentials.oauth_endpoint,
            timeout=FETCH_TIMEOUT_SECONDS,
        )
    await asyncio.to_thread(credentials.get_access_token)
