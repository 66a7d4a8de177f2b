"""This module serves an audit report's single-use download (GET /exports/{token})."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from aiohttp import web

from bot.keys import SETTINGS
from notifications.audit_form import AuditForm
from notifications.audit_report import call_report, month_report, parse_month
from notifications.audit_report_files import report_docx, report_xlsx
from store.models import InspectionCall, ReportExport, Staff, StaffRole
from store.repositories import audit_log

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger(__name__)
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


async def report_response(
    request: web.Request,
    session: AsyncSession,
    export: ReportExport,
    now: datetime,
    address: str,
) -> web.Response | None:
    """The report file a claimed link is for, with the download audit-logged; None when
    what it was for no longer exists."""
    settings = request.app[SETTINGS]
    form = AuditForm.load(settings.audit_form)
    today = now.astimezone(settings.timezone).date()
    if export.call_id is not None:
        call = await session.get(InspectionCall, export.call_id)
        if call is None:
            return None
        report = await call_report(session, form, call.id, call.called_at.date(), today)
        name = f"inspection-call-{call.id}-audits.{export.file_format}"
    else:
        first = parse_month(export.month or "")
        report = await month_report(session, form, first, today)
        name = f"audit-report-{first:%Y-%m}.{export.file_format}"
    creator = await session.get(Staff, export.staff_id)
    creator_email = creator.email if creator is not None else f"staff {export.staff_id}"
    audit_log.record_change(
        session,
        actor=creator_email,
        entity="audit_report",
        key=export.month or f"call {export.call_id}",
        field="export_downloaded",
        old=None,
        new=f"link made by {creator_email} at {export.created_at.isoformat()}; "
        f"downloaded at {now.isoformat()} from {address}",
    )
    # Read at download time, so a link made by someone no longer a coordinator gets no list.
    with_audits = creator is not None and creator.role is StaffRole.COORDINATOR
    body = (
        report_docx(report, form, with_audits=with_audits)
        if export.file_format == "docx"
        else report_xlsx(report, form, with_audits=with_audits)
    )
    logger.info("Audit report downloaded (link by staff %s)", export.staff_id)
    return web.Response(
        body=body,
        content_type=CONTENT_TYPES[export.file_format],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
