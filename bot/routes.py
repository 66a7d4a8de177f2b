"""This module contains the HTTP handlers and setup_routes, which mounts them."""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web
from botbuilder.schema import Activity

from bot.adapter import AuthenticationFailedError, authenticate
from bot.keys import ADAPTER, BOT, CLOCK, DATABASE, SCHEDULER, SETTINGS
from bot.middlewares import error_body
from dialogs.call_dialog import hash_token
from notifications.call_export import acknowledgement_csv
from store.errors import DatabaseUnavailableError
from store.models import InspectionCall
from store.repositories import calls

logger = logging.getLogger(__name__)


async def messages(request: web.Request) -> web.Response:
    """POST /api/messages: one Bot Framework activity in, the bot's invoke answer out."""
    if request.content_type != "application/json":
        return error_body(
            415, "unsupported_media_type", "Activities must be sent as application/json."
        )
    try:
        body: Any = json.loads(await request.read())
    except (json.JSONDecodeError, UnicodeDecodeError):
        return error_body(400, "malformed_json", "The request body is not valid JSON.")
    try:
        activity = parse_activity(body)
    except MalformedActivityError as exc:
        return error_body(400, "not_an_activity", f"Not a Bot Framework activity: {exc}.")
    adapter = request.app[ADAPTER]
    try:
        auth = await authenticate(adapter, activity, request.headers.get("Authorization", ""))
    except AuthenticationFailedError as exc:
        logger.warning("Refused an activity: authentication failed (%s)", exc)
        return error_body(401, "unauthorized", "A valid Bot Framework token is required.")
    invoke_response = await adapter.process_activity(auth, activity, request.app[BOT].on_turn)
    if invoke_response is not None:
        return web.json_response(_plain(invoke_response.body), status=invoke_response.status)
    return web.Response(status=201)


async def healthz(_request: web.Request) -> web.Response:
    """GET /healthz: the process is alive and serving."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """GET /readyz: the database answers and the scheduler runs."""
    checks = {"database": "ok", "scheduler": "running"}
    try:
        await request.app[DATABASE].ping()
    except DatabaseUnavailableError:
        logger.warning("Readiness check: database unreachable")
        checks["database"] = "unreachable"
    if not request.app[SCHEDULER].running:
        checks["scheduler"] = "stopped"
    ready = checks == {"database": "ok", "scheduler": "running"}
    return web.json_response(
        {"status": "ready" if ready else "not ready", **checks}, status=200 if ready else 503
    )


async def export(request: web.Request) -> web.Response:
    """GET /exports/{token}: a call's acknowledgement list as CSV, for a link the bot gave."""
    token = request.match_info["token"]
    async with request.app[DATABASE].sessions() as session:
        found = await calls.find_export(session, hash_token(token), request.app[CLOCK]())
        call = await session.get(InspectionCall, found.call_id) if found else None
        if found is None or call is None:
            return error_body(
                404,
                "link_expired",
                "This download link has expired or is not valid. Press Export on the "
                "inspection-call status card for a new one.",
            )
        rows = await calls.recipients(session, call.id)
    logger.info("Acknowledgement list for call %s downloaded by staff %s", call.id, found.staff_id)
    name = f"inspection-call-{call.id}{'-drill' if call.drill else ''}-acknowledgements.csv"
    return web.Response(
        text=acknowledgement_csv(rows, request.app[SETTINGS].timezone),
        content_type="text/csv",
        charset="utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def setup_routes(app: web.Application) -> None:
    """Mounts every route on `app`."""
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/exports/{token}", export)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)


class MalformedActivityError(ValueError):
    """A JSON body that cannot be a Bot Framework activity; the message says why."""


def parse_activity(body: Any) -> Activity:
    """Checks the fields every inbound activity carries, then deserializes it.

    Raises:
        MalformedActivityError: the body is not an object, or lacks a field the bot needs
            to know what happened and where to answer.
    """
    if not isinstance(body, dict):
        raise MalformedActivityError("the body must be a JSON object")
    for field, value in (
        ("type", body.get("type")),
        ("serviceUrl", body.get("serviceUrl")),
        ("conversation.id", _get(body, "conversation", "id")),
        ("from.id", _get(body, "from", "id")),
    ):
        if not isinstance(value, str) or not value.strip():
            raise MalformedActivityError(f"{field} is missing or not a string")
    try:
        activity: Activity = Activity().deserialize(body)
    except ValueError as exc:
        # msrest's DeserializationError (a ValueError) repeats the offending values; omit them.
        raise MalformedActivityError("a field has the wrong type") from exc
    return activity


def _get(body: dict[str, Any], outer: str, inner: str) -> Any:
    value = body.get(outer)
    return value.get(inner) if isinstance(value, dict) else None


def _plain(body: Any) -> Any:
    # The SDK hands back serialized dicts for normal answers but SDK models for some errors.
    if hasattr(body, "serialize"):
        return body.serialize()
    return body
