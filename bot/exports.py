"""This module serves GET /exports/{token}: single-use downloads (call lists, board packs,
audit reports: bot/report_downloads.py)."""

from __future__ import annotations

import ipaddress
import logging

from aiohttp import web

from bot.board_pack_download import board_pack_download
from bot.keys import CLOCK, DATABASE, SETTINGS
from bot.middlewares import error_body
from bot.report_downloads import report_response
from dialogs.call_dialog import hash_token
from notifications.call_export import acknowledgement_csv
from store.models import InspectionCall, Staff
from store.repositories import audit_log, call_fallbacks, calls, report_exports

logger = logging.getLogger(__name__)

GONE = (
    "This download link has been used already or has expired: each link works once, for "
    "a few minutes. Press Export on the inspection-call status card, or Download on the "
    "audit report card, for a new one."
)


async def export(request: web.Request) -> web.Response:
    """GET /exports/{token}: the acknowledgement list as CSV, once, for a link the bot gave.

    The download is written to the audit log: who made the link and when, when it was
    used and from which address.
    """
    token = request.match_info["token"]
    now = request.app[CLOCK]()
    address = client_address(request)
    async with request.app[DATABASE].sessions() as session, session.begin():
        found = await calls.claim_export(session, hash_token(token), now, address)
        if found is None:
            report = await report_exports.claim(session, hash_token(token), now, address)
            if report is not None:
                response = await report_response(request, session, report, now, address)
                return response or error_body(404, "link_expired", GONE)
        call = await session.get(InspectionCall, found.call_id) if found else None
        if found is None or call is None:
            pack = await board_pack_download(request, session, hash_token(token), address)
            return pack or error_body(404, "link_expired", GONE)
        creator = await session.get(Staff, found.staff_id)
        creator_email = creator.email if creator is not None else f"staff {found.staff_id}"
        audit_log.record_change(
            session,
            actor=creator_email,
            entity="inspection_call",
            key=str(call.id),
            field="export_downloaded",
            old=None,
            new=f"link made by {creator_email} at {found.created_at.isoformat()}; "
            f"downloaded at {now.isoformat()} from {address}",
        )
        rows = await calls.recipients(session, call.id)
        fallbacks = await call_fallbacks.statuses(session, call.id)
    logger.info(
        "Acknowledgement list for call %s downloaded (link by staff %s)", call.id, found.staff_id
    )
    name = f"inspection-call-{call.id}{'-drill' if call.drill else ''}-acknowledgements.csv"
    return web.Response(
        text=acknowledgement_csv(rows, request.app[SETTINGS].timezone, call.called_at, fallbacks),
        content_type="text/csv",
        charset="utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def client_address(request: web.Request) -> str:
    """The peer's address, and what a proxy in front says it forwarded for, if anything.

    The header is whatever the client sent unless a proxy sets it, so only well-formed IP
    addresses from it are kept, and it is recorded as what was claimed.
    """
    peer = request.remote or "unknown"
    claimed = []
    for part in request.headers.get("X-Forwarded-For", "").split(",")[:5]:
        try:
            claimed.append(str(ipaddress.ip_address(part.strip())))
        except ValueError:
            continue
    return f"{peer} (forwarded for {', '.join(claimed)})" if claimed else peer
