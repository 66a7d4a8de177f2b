"""This module contains the HTTP middlewares: request size limit and the error envelope."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.settings import MAX_REQUEST_BYTES

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
    except Exception:
        correlation_id = uuid.uuid4().hex[:12]
        logger.exception(
            "Unhandled error [ref %s] %s %s", correlation_id, request.method, request.path
        )
        return error_body(
            500,
            "internal_error",
            "Something went wrong on our side.",
            correlation_id=correlation_id,
        )


def _code(reason: str) -> str:
    return reason.lower().replace(" ", "_")
