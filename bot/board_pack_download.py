"""This module serves a board-pack download link the bot handed out: once, then never."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from aiohttp import web

from bot.keys import CLOCK, SETTINGS
from knowledge.working_days import WorkingDays
from notifications.audit_form import AuditForm
from notifications.board_pack import build_pack
from notifications.board_pack_audits import gather_audits
from notifications.board_pack_docx import pack_docx
from notifications.board_pack_xlsx import pack_xlsx
from store.errors import UnknownMeetingError
from store.models import Staff
from store.repositories import audit_log, board

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


async def board_pack_download(
    request: web.Request, session: AsyncSession, token_hash: str, address: str
) -> web.Response | None:
    """The pack for a board-pack link, used up by this request; None if it is not one (or
    was used, or expired). The download is written to the audit log."""
    now: datetime = request.app[CLOCK]()
    link = await board.claim_pack_link(session, token_hash, now, address)
    if link is None:
        return None
    try:
        data = await board.pack_data(session, link.meeting_date)
    except UnknownMeetingError:
        # The meeting was taken off the calendar after the link was made.
        return None
    settings = request.app[SETTINGS]
    today = now.astimezone(settings.timezone).date()
    audits = await gather_audits(session, link.meeting_date, today)
    creator = await session.get(Staff, link.staff_id)
    creator_email = creator.email if creator is not None else f"staff {link.staff_id}"
    audit_log.record_change(
        session,
        actor=creator_email,
        entity="board_pack",
        key=link.meeting_date.isoformat(),
        field="downloaded",
        old=None,
        new=f"{link.file_format} link made by {creator_email} at {link.created_at.isoformat()}; "
        f"downloaded at {now.isoformat()} from {address}",
    )
    pack = build_pack(data, audits, AuditForm.load(settings.audit_form), today, WorkingDays())
    body = pack_docx(pack) if link.file_format == "docx" else pack_xlsx(pack)
    logger.info("Board pack (%s) downloaded (link by staff %s)", link.file_format, link.staff_id)
    name = f"improvement-board-pack-{link.meeting_date.isoformat()}.{link.file_format}"
    return web.Response(
        body=body,
        content_type=CONTENT_TYPES[link.file_format],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
