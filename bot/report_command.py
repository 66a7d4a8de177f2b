"""This module contains the `audits report` command: a month's audit report, as text or a file."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from notifications.audit_form import AuditForm
from notifications.audit_report import (
    AuditReport,
    ReportMonthError,
    call_report,
    month_report,
    parse_month,
    report_text,
)
from notifications.audit_report_files import FORMATS, report_docx, report_xlsx
from store.db import Database
from store.migrate import upgrade_database
from store.models import InspectionCall

if TYPE_CHECKING:
    from bot.settings import Settings


def add_report_parser(audit_commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds `audits report` to the `inspection-ready audits` group."""
    command = audit_commands.add_parser(
        "report",
        help="the month's audit report (text, or a .docx or .xlsx file)",
        description="Completion and overdue audits, grades by domain, team and category, "
        "moderation agreement, follow-up actions open and overdue, and the month against the "
        "three before it. Without --output it is printed. With --call instead of --month: "
        "the audits the inspectors asked for during that inspection call.",
    )
    which = command.add_mutually_exclusive_group(required=True)
    which.add_argument("--month", help="the month, YYYY-MM")
    which.add_argument(
        "--call", type=int, help="the inspection call's number (on its status card and export)"
    )
    command.add_argument("--output", type=Path, help="write it to FILE.docx or FILE.xlsx")


def run_report(settings: Settings, args: argparse.Namespace) -> int:
    """Prints the report, or writes it to the file asked for; returns the exit code."""
    first: date | None = None
    if args.call is None:
        try:
            first = parse_month(args.month)
        except ReportMonthError as exc:
            sys.stderr.write(f"inspection-ready: audits report: {exc}\n")
            return 2
    output: Path | None = args.output
    kind = output.suffix.lower().lstrip(".") if output is not None else None
    if kind is not None and kind not in FORMATS:
        sys.stderr.write(
            f"inspection-ready: audits report: --output must end in .docx or .xlsx, got {output}\n"
        )
        return 2
    form = AuditForm.load(settings.audit_form)
    today = datetime.now(settings.timezone).date()
    report = asyncio.run(_report(settings, form, first, args.call, today))
    if report is None:
        sys.stderr.write(
            f"inspection-ready: audits report: there is no inspection call {args.call}\n"
        )
        return 1
    if output is None:
        sys.stdout.write(report_text(report, form))
        return 0
    # The command is run by whoever operates the service, who sees every audit anyway.
    content = (
        report_docx(report, form, with_audits=True)
        if kind == "docx"
        else report_xlsx(report, form, with_audits=True)
    )
    try:
        output.write_bytes(content)
    except OSError as exc:
        sys.stderr.write(f"inspection-ready: audits report: cannot write {output}: {exc}\n")
        return 1
    sys.stdout.write(f"Wrote the {report.summary.label} audit report to {output}.\n")
    return 0


async def _report(
    settings: Settings, form: AuditForm, first: date | None, call_id: int | None, today: date
) -> AuditReport | None:
    database = Database(settings.database_url)
    try:
        await upgrade_database(database)
        async with database.sessions() as session:
            if first is not None:
                return await month_report(session, form, first, today)
            call = await session.get(InspectionCall, call_id)
            if call is None:
                return None
            called = call.called_at.astimezone(settings.timezone).date()
            return await call_report(session, form, call.id, called, today)
    finally:
        await database.dispose()
