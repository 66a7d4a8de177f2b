"""This module contains the HTTP middlewares: size limit, error envelope, security headers."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.log_safety import redact_links
from bot.settings import MAX_REQUEST_BYTES
from teams.logs import describe_exception

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error_body(status: int, code: str, message: str, **extra: str) -> web.Response:
    """The JSON shape every error answer has: {"error": code, "message": ..., ...}."""
    return web.json_response({"error": code, "message": message, **extra}, status=status)


@web.middleware
async def size_limit_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuses a declared body over the limit before reading it.

    Bodies without a Content-Length are capped by the application's client_max_size,
    which raises 413 while reading.
    """
    if request.content_length is not None and request.content_length > MAX_REQUEST_BYTES:
        return error_body(
            413, "payload_too_large", f"The request body is larger than {MAX_REQUEST_BYTES} bytes."
        )
    return await handler(request)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turns HTTP errors into JSON answers and anything unexpected into a logged 500."""
    try:
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        return error_body(
            413, "payload_too_large", f"The request body is larger than {MAX_REQUEST_BYTES} bytes."
        )
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return error_body(exc.status, _code(exc.reason), exc.reason)
    except Exception as exc:
        correlation_id = uuid.uuid4().hex[:12]
        logger.error(  # noqa: TRY400 - the traceback's messages may quote what was sent
            "Unhandled error [ref %s] %s %s: %s",
            correlation_id,
            request.method,
            redact_links(request.path),
            describe_exception(exc),
        )
        return error_body(
            500,
            "internal_error",
            "Something went wrong on our side.",
            correlation_id=correlation_id,
        )


def _code(reason: str) -> str:
    return reason.lower().replace(" ", "_")


async def security_headers(_request: web.Request, response: web.StreamResponse) -> None:
    """Headers on every answer: nothing is sniffed as another type, no address leaks on.

    A download link is a bearer token, so a page opened from a downloaded file must not
    send it on as a Referer.
    """
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    # The service serves JSON and CSV only: nothing to run, frame or embed.
    response.headers.setdefault(
        "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"
    )
    response.headers.setdefault("X-Frame-Options", "DENY")
    # aiohttp would name itself and its version.
    response.headers["Server"] = "Inspection Ready"
