"""This module serves /ack/{token}: the personal acknowledge link sent by SMS and email.

GET shows a page with one button and changes nothing, so a link scanner or a preview that
opens the link acknowledges nothing; POST (the button) acknowledges, exactly as Teams'
Acknowledge button does. A link works once, while its call is active.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from aiohttp import web

from bot.ack_page import page
from bot.exports import client_address
from bot.keys import BROADCAST, CLOCK, DATABASE, SETTINGS
from dialogs.call_dialog import record_acknowledgement
from store.models import CallStatus
from store.repositories import call_ack_links

logger = logging.getLogger(__name__)

# What secrets.token_urlsafe(32) makes; anything else was never a link of ours.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")

UNKNOWN = "This link is not recognised"
UNKNOWN_LINES = [
    "Check that the whole link was copied from the message. If Ofsted has called, "
    "acknowledge in Teams or tell your coordinator.",
]
USED = "This link has been used already"
STOOD_DOWN = "This alert has been stood down"
STOOD_DOWN_LINES = ["There is nothing to acknowledge: no further action is needed for it."]


async def show(request: web.Request) -> web.Response:
    """GET /ack/{token}: what the link is for, and the Acknowledge button. Changes nothing."""
    token = request.match_info["token"]
    async with request.app[DATABASE].sessions() as session:
        link = await call_ack_links.find(session, token) if _TOKEN.fullmatch(token) else None
        if link is None:
            return page(404, UNKNOWN, UNKNOWN_LINES)
        headline = (await request.app[BROADCAST].facts(session, link.call)).headline()
    drill = link.call.drill
    if link.call.status is CallStatus.STOOD_DOWN:
        return page(410, STOOD_DOWN, STOOD_DOWN_LINES, drill=drill)
    if link.used_at is not None:
        return page(410, USED, [_acknowledged(request, link.acknowledged_at)], drill=drill)
    if link.acknowledged_at is not None:
        return page(200, headline, [_acknowledged(request, link.acknowledged_at)], drill=drill)
    return page(
        200,
        headline,
        [f"For {link.staff.name}. Press Acknowledge to tell your coordinator you have seen it."],
        drill=drill,
        button=True,
    )


async def acknowledge(request: web.Request) -> web.Response:
    """POST /ack/{token}: records the acknowledgement (once, while the call is active)."""
    token = request.match_info["token"]
    now = request.app[CLOCK]()
    async with request.app[DATABASE].sessions() as session, session.begin():
        link = await call_ack_links.find(session, token) if _TOKEN.fullmatch(token) else None
        if link is None:
            return page(404, UNKNOWN, UNKNOWN_LINES)
        drill = link.call.drill
        if link.call.status is CallStatus.STOOD_DOWN:
            return page(410, STOOD_DOWN, STOOD_DOWN_LINES, drill=drill)
        # The conditional update lets one press through, even two at once on two replicas.
        if not await call_ack_links.use(session, token, now, client_address(request)):
            return page(410, USED, [_acknowledged(request, link.acknowledged_at)], drill=drill)
        newly = await record_acknowledgement(
            session, link.call.id, link.staff.id, link.staff.email, now
        )
        headline = (await request.app[BROADCAST].facts(session, link.call)).headline()
    if newly:
        logger.info(
            "Inspection call %s acknowledged by link (staff %s)", link.call.id, link.staff.id
        )
        lines = [f"Acknowledged at {_local(request, now)}. Thank you."]
    else:
        lines = [_acknowledged(request, link.acknowledged_at)]
    return page(200, headline, lines, drill=drill)


def _acknowledged(request: web.Request, moment: datetime | None) -> str:
    if moment is None:
        return "You have acknowledged this already; the first time stands."
    return f"You acknowledged this at {_local(request, moment)}; that time stands."


def _local(request: web.Request, moment: datetime) -> str:
    return f"{moment.astimezone(request.app[SETTINGS].timezone):%H:%M}"
