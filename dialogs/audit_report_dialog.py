"""This module is the audit report in chat: a summary card and a single-use download link.

Managers and coordinators see it ("audit report", "audit report 2026-10"; "inspection
audits report" for the audits the inspectors asked for). The figures are the council's,
not anyone's work items, so a card is enough; the file itself is a bearer link that works
once, for a few minutes (served by bot/exports.py).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from cards.rendering import render_card
from dialogs.ask_dialog import CardActionError
from dialogs.call_dialog import hash_token
from dialogs.card_data import parse_id
from dialogs.people import Person
from dialogs.replies import Reply
from notifications.audit_form import AuditForm
from notifications.audit_report import (
    AuditReport,
    ReportMonthError,
    call_report,
    month_label,
    month_report,
    parse_month,
)
from notifications.audit_report_files import FORMATS
from store.models import InspectionCall
from store.repositories import audit_log, call_audits, report_exports

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

LINK_LIFETIME = timedelta(minutes=5)
FORMAT_LABELS = {"docx": "Word", "xlsx": "Excel"}
NO_INSPECTION_AUDITS = (
    "The inspectors have not asked for any audits yet. During an inspection call, paste "
    'their list: "inspectors\' cases: CR-1001, CR-1002".'
)


class AuditReportDialog:
    """The report cards and their download links."""

    def __init__(self, form: AuditForm, export_base_url: str) -> None:
        self.form = form
        self._base_url = export_base_url.rstrip("/")

    async def month_summary(self, session: AsyncSession, month: str | None, today: date) -> Reply:
        """The month's summary card (this month unless one is named)."""
        try:
            first = parse_month(month) if month else today.replace(day=1)
        except ReportMonthError as exc:
            return Reply(text=f"Sorry: {exc}.")
        report = await month_report(session, self.form, first, today)
        download = {"action": "report_download", "month": f"{first:%Y-%m}"}
        return Reply(card=self._card(report, download))

    async def call_summary(self, session: AsyncSession, today: date) -> Reply:
        """The summary of the audits the inspectors asked for, for the latest such call."""
        call = await call_audits.latest_call_with_audits(session)
        if call is None:
            return Reply(text=NO_INSPECTION_AUDITS)
        report = await call_report(session, self.form, call.id, call.called_at.date(), today)
        return Reply(card=self._card(report, {"action": "report_download", "call": call.id}))

    async def download(
        self, session: AsyncSession, person: Person, data: dict[str, Any], now: datetime
    ) -> Reply:
        """A single-use link to the report as a Word or Excel file."""
        file_format = data.get("file_format")
        if file_format not in FORMATS:
            raise CardActionError("choose Word or Excel")
        month, call_id, what = await self._subject(session, data)
        token = secrets.token_urlsafe(32)
        expires = now + LINK_LIFETIME
        await report_exports.save(
            session,
            hash_token(token),
            month=month,
            call_id=call_id,
            file_format=str(file_format),
            staff_id=int(person.staff_id or 0),
            now=now,
            expires_at=expires,
        )
        audit_log.record_change(
            session,
            actor=person.email or "unknown",
            entity="audit_report",
            key=month or f"call {call_id}",
            field="exported",
            old=None,
            new=f"{file_format} download link until {expires.isoformat()}",
        )
        label = FORMAT_LABELS[str(file_format)]
        card = render_card(
            "report_link",
            title=f"{what} ({label})",
            label=label,
            url=f"{self._base_url}/exports/{token}",
            minutes=int(LINK_LIFETIME.total_seconds() // 60),
        )
        return Reply(
            text=f"I have sent you a download link for the report ({label}).",
            follow_up=Reply(text=f"{what} ({label})", card=card),
        )

    async def _subject(
        self, session: AsyncSession, data: dict[str, Any]
    ) -> tuple[str | None, int | None, str]:
        if data.get("call") is not None:
            call_id = parse_id(data.get("call"))
            call = await session.get(InspectionCall, call_id) if call_id is not None else None
            if call is None:
                raise CardActionError("that inspection call is not one I know")
            return None, call.id, "The inspectors' cases: audit report"
        try:
            first = parse_month(str(data.get("month") or ""))
        except ReportMonthError as exc:
            raise CardActionError(str(exc)) from None
        return f"{first:%Y-%m}", None, f"Audit report for {month_label(first)}"

    def _card(self, report: AuditReport, download: dict[str, Any]) -> dict[str, Any]:
        s = report.summary

        def pct(value: int | None) -> str:
            return "n/a" if value is None else f"{value}%"

        facts = [
            ("Audits", s.audits),
            ("Completed", f"{s.completed} ({pct(s.completion_pct)})"),
            ("Overdue", s.overdue),
            ("Good or better", f"{s.good_or_better} of {s.graded} graded ({pct(s.good_pct)})"),
            (
                "Moderation",
                f"{s.moderated} decided, agreement {pct(s.agreement_pct)}; "
                f"{report.moderation_pending} waiting",
            ),
            (
                "Follow-up actions",
                f"{report.follow_ups_open} open, {report.follow_ups_overdue} overdue",
            ),
        ]
        lines = [
            f"{p.label}: {p.audits} audits, {pct(p.completion_pct)} completed, "
            f"{pct(p.good_pct)} good or better"
            for p in report.trend[:-1]
        ]
        if lines:
            lines.insert(0, "The months before:")
        return render_card(
            "audit_report", title=report.title, facts=facts, lines=lines, download=download
        )
