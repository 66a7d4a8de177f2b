"""This module contains the HTTP handlers and setup_routes, which mounts them."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from bot.ack_links import acknowledge, show
from bot.exports import export
from bot.flood import Admission
from bot.keys import BOT, DATABASE, EDGE, LIMITER, SCHEDULER, SETTINGS
from bot.middlewares import error_body
from bot.origin import refusal
from store.errors import DatabaseUnavailableError
from teams.inbound import MalformedBodyError, check_activity, field, inbound_turn, parse_body
from teams.types import (
    AuthenticationFailedError,
    InboundTurn,
    InvokeAnswer,
    MalformedActivityError,
    OutboundMessage,
    TurnKind,
)

logger = logging.getLogger(__name__)


async def messages(request: web.Request) -> web.Response:
    """POST /api/messages: one Bot Framework activity in, the bot's invoke answer out.

    Checks run cheapest first and each refusal happens before the bot sees anything:
    media type, JSON, activity shape, token, channel and tenant, then the flood limit.
    """
    if request.content_type != "application/json":
        return error_body(
            415, "unsupported_media_type", "Activities must be sent as application/json."
        )
    try:
        body: Any = parse_body(await request.read())
    except MalformedBodyError as exc:
        return error_body(400, "malformed_json", f"The request body is not accepted: {exc}.")
    edge = request.app[EDGE]
    try:
        turn = inbound_turn(check_activity(body))
        identity = await edge.authenticate(body, request.headers.get("Authorization", ""))
    except MalformedActivityError as exc:
        return error_body(400, "not_an_activity", f"Not a Bot Framework activity: {exc}.")
    except AuthenticationFailedError as exc:
        logger.warning("Refused an activity: authentication failed (%s)", exc)
        return error_body(401, "unauthorized", "A valid Bot Framework token is required.")
    refused = refusal(body, request.app[SETTINGS].accepted_tenants)
    if refused is not None:
        logger.warning("Refused an activity: %s", refused)
        return error_body(403, "forbidden", f"This bot does not accept the activity: {refused}.")
    admission = request.app[LIMITER].admit(turn_keys(body))
    if admission is not Admission.ADMIT:
        return await slow_down(request, turn, admission)
    invoke_response = await edge.run(identity, body, turn, request.app[BOT].handle)
    if invoke_response is not None:
        status, answer = invoke_response
        return web.json_response(answer, status=status)
    return web.Response(status=201)


def turn_keys(body: dict[str, Any]) -> list[str]:
    """Who started a turn and where: each is limited on its own."""
    sender = field(body, "from", "aadObjectId") or field(body, "from", "id")
    return [f"person:{sender}", f"conversation:{field(body, 'conversation', 'id')}"]


async def slow_down(request: web.Request, turn: InboundTurn, admission: Admission) -> web.Response:
    """Answers a turn over the limit: once with a short message, otherwise with nothing."""
    text = request.app[LIMITER].slow_down_text
    if turn.is_invoke:
        # A card press must be answered in the response itself; doing so costs nothing.
        return web.json_response(InvokeAnswer(text=text).body())
    if admission is Admission.WARN and turn.kind in (TurnKind.MESSAGE, TurnKind.CARD_SUBMIT):
        logger.info("Turn limit reached in a conversation; said so once, dropping the rest")
        await request.app[EDGE].delivery.send(
            turn.reference, OutboundMessage(text=text), reply_to=turn.activity_id
        )
    return web.Response(status=202)


async def healthz(_request: web.Request) -> web.Response:
    """GET /healthz: the process is alive and serving."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """GET /readyz: the database answers and the scheduler runs; how requests are checked."""
    checks = {"database": "ok", "scheduler": "running"}
    try:
        await request.app[DATABASE].ping()
    except DatabaseUnavailableError:
        logger.warning("Readiness check: database unreachable")
        checks["database"] = "unreachable"
    if not request.app[SCHEDULER].running:
        checks["scheduler"] = "stopped"
    ready = checks == {"database": "ok", "scheduler": "running"}
    authentication = "on" if request.app[SETTINGS].authentication_enabled else "off"
    return web.json_response(
        {
            "status": "ready" if ready else "not ready",
            **checks,
            "authentication": authentication,
            "sdk": request.app[EDGE].name,
        },
        status=200 if ready else 503,
    )


def setup_routes(app: web.Application) -> None:
    """Mounts every route on `app`."""
    app.router.add_post("/api/messages", messages)
    # No HEAD: a link scanner's HEAD must not use up a single-use link.
    app.router.add_get("/exports/{token}", export, allow_head=False)
    # GET shows the button and changes nothing; only the button's POST acknowledges.
    app.router.add_get("/ack/{token}", show)
    app.router.add_post("/ack/{token}", acknowledge)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
