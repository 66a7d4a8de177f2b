"""This module contains GovNotify: SMS and email through GOV.UK Notify's official client."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from notifications.limiter import RateLimiter, SendLimit
from store.models import OutboxChannel
from teams.types import DeliveryResult, Outcome
from teams.wire import retry_after

DEFAULT_URL = "https://api.notifications.service.gov.uk"
# GOV.UK Notify allows 3,000 messages a minute per service: 50 a second, kept a little under.
RATE_PER_SECOND = 49.0
# The client is synchronous (requests), so sends run on threads; each thread takes a client
# of its own from the pool, as the client is not thread-safe. Enough threads to keep up with
# the rate limit at a fifth of a second per request.
THREADS = 12
# Shorter than the sender's own timeout, so a hung request frees its thread before the
# sender gives up on it and tries again.
REQUEST_TIMEOUT_SECONDS = 10
# Notify's two 429s: the per-minute rate limit passes in seconds and is worth retrying; the
# daily limit does not pass before the call is over.
DAILY_LIMIT_ERROR = "TooManyRequestsError"
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})

Send = Callable[[NotificationsAPIClient], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class NotifyConfig:
    """A GOV.UK Notify service: its API key (a secret, left out of repr), its address, and
    the templates the inspection call's SMS and email are sent with (at least one)."""

    api_key: str = field(repr=False)
    base_url: str = DEFAULT_URL
    sms_template: str | None = None
    email_template: str | None = None

    @property
    def templates(self) -> dict[OutboxChannel, str]:
        """The template id for each channel that has one."""
        found = {OutboxChannel.SMS: self.sms_template, OutboxChannel.EMAIL: self.email_template}
        return {channel: template for channel, template in found.items() if template}


class GovNotify:
    """Sends through GOV.UK Notify within its rate limit; every answer becomes a result."""

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_URL,
        *,
        limiter: SendLimit | None = None,
        threads: int = THREADS,
    ) -> None:
        self._api_key = api_key
        self._base_url = base_url
        # This replica's own bucket, or (PostgreSQL) the budget every replica shares.
        self._limiter: SendLimit = limiter or RateLimiter(RATE_PER_SECOND)
        self._threads = threads
        # Made on first use: a service that never falls back holds no threads or sockets.
        self._executor: ThreadPoolExecutor | None = None
        self._clients: asyncio.Queue[NotificationsAPIClient] | None = None
        self._made: list[NotificationsAPIClient] = []

    def __repr__(self) -> str:
        # The API key is a secret: it never appears in a log or a traceback.
        return f"GovNotify(base_url={self._base_url!r})"

    async def send_sms(
        self,
        phone_number: str,
        template_id: str,
        personalisation: dict[str, str],
        reference: str,
    ) -> DeliveryResult:
        """POST /v2/notifications/sms."""
        return await self._send(
            lambda client: client.send_sms_notification(
                phone_number=phone_number,
                template_id=template_id,
                personalisation=personalisation,
                reference=reference,
            )
        )

    async def send_email(
        self,
        email_address: str,
        template_id: str,
        personalisation: dict[str, str],
        reference: str,
    ) -> DeliveryResult:
        """POST /v2/notifications/email."""
        return await self._send(
            lambda client: client.send_email_notification(
                email_address=email_address,
                template_id=template_id,
                personalisation=personalisation,
                reference=reference,
            )
        )

    async def close(self) -> None:
        """Waits for requests in flight, then closes the clients' connections."""
        if self._executor is not None:
            await asyncio.to_thread(self._executor.shutdown, wait=True, cancel_futures=True)
            self._executor = None
        for client in self._made:
            client.request_session.close()
        self._made.clear()
        self._clients = None

    async def _send(self, send: Send) -> DeliveryResult:
        await self._limiter.acquire()
        clients = self._pool()
        client = await clients.get()
        request = asyncio.get_running_loop().run_in_executor(
            self._executor, _attempt, client, send
        )
        # The client goes back to the pool when its thread is done with it, not before: a
        # caller that stops waiting (a timeout) must not hand it to a second thread.
        request.add_done_callback(lambda _: clients.put_nowait(client))
        return await asyncio.shield(request)

    def _pool(self) -> asyncio.Queue[NotificationsAPIClient]:
        if self._clients is None:
            self._executor = ThreadPoolExecutor(self._threads, thread_name_prefix="gov-notify")
            self._clients = asyncio.Queue()
            for _ in range(self._threads):
                client = NotificationsAPIClient(
                    self._api_key, base_url=self._base_url, timeout=REQUEST_TIMEOUT_SECONDS
                )
                self._made.append(client)
                self._clients.put_nowait(client)
        return self._clients


def _attempt(client: NotificationsAPIClient, send: Send) -> DeliveryResult:
    """One request, on a worker thread; Notify's answer, or why there was none."""
    try:
        answer = send(client)
    except APIError as exc:
        return _refusal(exc)
    except Exception as exc:  # noqa: BLE001 - mapped to a result, never raised
        # The client wraps network errors as a 503 APIError; anything else is retried like
        # one, its type kept in the attempt log.
        return DeliveryResult(Outcome.RETRY, None, None, type(exc).__name__)
    notification_id = answer.get("id") if isinstance(answer, dict) else None
    return DeliveryResult(Outcome.SENT, 201, activity_id=str(notification_id or "") or None)


def _refusal(exc: APIError) -> DeliveryResult:
    """Notify's error body, {"status_code": N, "errors": [{"error": NAME, "message": ...}]},
    as a result: its first error's name and message are what the attempt log keeps."""
    code = exc.status_code
    errors = exc.message if isinstance(exc.message, list) else []
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    name = str(first.get("error") or "")
    detail = str(first.get("message") or (exc.message if isinstance(exc.message, str) else ""))
    error = f"HTTP {code} {name}: {detail}".strip().rstrip(":")
    headers = getattr(exc.response, "headers", None) or {}
    if code in RETRYABLE_STATUS and name != DAILY_LIMIT_ERROR:
        return DeliveryResult(Outcome.RETRY, code, retry_after(headers.get("Retry-After")), error)
    return DeliveryResult(Outcome.FAILED, code, None, error)
