"""This module writes the board pack as an Excel workbook: one sheet per section, with
native charts."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from notifications.board_pack import RAGS, STANDINGS, Pack, Section
from notifications.board_pack_audits import TREND_HEADINGS, AuditSection
from store.importers.csv_cells import neutralise

Cell = str | int | None


def pack_xlsx(pack: Pack) -> bytes:
    """The pack as .xlsx bytes: Summary, Areas, Recommendations, Completed, Overdue,
    Deadlines moved, Updates, Completion over time and Audit programme."""
    workbook = Workbook()
    summary = workbook.worksheets[0]
    summary.title = "Summary"
    _summary(summary, pack)
    _standings(workbook.create_sheet("Areas"), pack.areas, pack, chart=True)
    _standings(workbook.create_sheet("Recommendations"), pack.recommendations, pack)
    _rows(
        workbook.create_sheet("Completed"),
        ("Action", "Priority area", "Recommendation", "Owner", "Completed"),
        [
            (
                a.ref,
                a.priority_area,
                a.recommendation,
                a.owner,
                a.completed_on.isoformat() if a.completed_on else None,
            )
            for a in pack.overall.completed
        ],
    )
    _rows(
        workbook.create_sheet("Overdue"),
        ("Action", "Priority area", "Recommendation", "Owner", "Due", "Working days overdue"),
        [
            (
                o.action.ref,
                o.action.priority_area,
                o.action.recommendation,
                o.action.owner,
                o.action.due_date.isoformat(),
                o.working_days,
            )
            for o in pack.overall.overdue
        ],
    )
    _rows(
        workbook.create_sheet("Deadlines moved"),
        ("Action", "From", "To", "Approved by", "Approved on", "Reason"),
        [
            (
                e.action_ref,
                e.from_date.isoformat(),
                e.to_date.isoformat(),
                e.approved_by,
                e.approved_on.isoformat(),
                e.reason,
            )
            for e in pack.overall.moved
        ],
    )
    _updates(workbook.create_sheet("Updates"), pack)
    _completion(workbook.create_sheet("Completion over time"), pack)
    _audits(workbook.create_sheet("Audit programme"), pack.audits)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _summary(sheet: Worksheet, pack: Pack) -> None:
    sheet.append([f"Improvement Board pack, {pack.meeting:%d %B %Y}: {pack.meeting_title}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Meeting", pack.meeting.isoformat()])
    sheet.append(
        ["Last meeting", pack.previous_meeting.isoformat() if pack.previous_meeting else "none"]
    )
    sheet.append(["Figures as at", pack.as_of.isoformat()])
    sheet.append([])
    sheet.append(["Standing", "Now", "Last meeting", "Change"])
    for standing in STANDINGS:
        before = pack.overall.before[standing] if pack.overall.before is not None else None
        sheet.append([standing, pack.overall.now[standing], before, pack.overall.change(standing)])
    sheet.append([])
    sheet.append(["Completed since the last meeting", len(pack.overall.completed)])
    sheet.append(["Overdue", len(pack.overall.overdue)])
    sheet.append(["Deadlines moved", len(pack.overall.moved)])


def _standings(
    sheet: Worksheet, sections: Sequence[Section], pack: Pack, *, chart: bool = False
) -> None:
    header: list[str] = ["Name", "Lead"]
    header += [f"{s} now" for s in STANDINGS]
    header += [f"{s} change" for s in STANDINGS]
    header += ["Completed since last meeting", "Overdue", "Deadlines moved"]
    rows = []
    for section in sections:
        rows.append(
            (
                section.name,
                section.lead,
                *(section.now[s] for s in STANDINGS),
                *(section.change(s) for s in STANDINGS),
                len(section.completed),
                len(section.overdue),
                len(section.moved),
            )
        )
    _rows(sheet, header, rows)
    if chart and rows:
        bar = BarChart()
        bar.type = "bar"
        bar.grouping = "stacked"
        bar.overlap = 100
        bar.title = f"RAG by priority area, {pack.meeting:%d %B %Y}"
        # The RAG columns and "no update": the third column on.
        data = Reference(sheet, min_col=3, max_col=3 + len(RAGS), min_row=1, max_row=len(rows) + 1)
        bar.add_data(data, titles_from_data=True)
        bar.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(rows) + 1))
        sheet.add_chart(bar, f"A{len(rows) + 4}")


def _updates(sheet: Worksheet, pack: Pack) -> None:
    rows = []
    for line in pack.overall.lines:
        a, u = line.action, line.update
        rows.append(
            (
                a.ref,
                a.priority_area,
                a.recommendation,
                a.owner,
                a.status,
                a.due_date.isoformat(),
                u.rag if u else None,
                u.note if u else "No update yet",
                u.evidence_text if u else None,
                u.evidence_link if u else None,
                u.impact if u else None,
                u.meeting.isoformat() if u else None,
                ("reviewed" if line.reviewed else "not reviewed yet") if u else None,
            )
        )
    _rows(
        sheet,
        (
            "Action",
            "Priority area",
            "Recommendation",
            "Owner",
            "Status",
            "Due",
            "RAG",
            "Update",
            "Evidence",
            "Evidence link",
            "Impact",
            "For meeting",
            "Lead's review",
        ),
        rows,
    )


def _completion(sheet: Worksheet, pack: Pack) -> None:
    _rows(
        sheet,
        ("Meeting", "Complete", "In the plan"),
        [(m.isoformat(), done, total) for m, done, total in pack.completion],
    )
    if pack.completion:
        line = LineChart()
        line.title = "Completion over time"
        line.add_data(
            Reference(sheet, min_col=2, max_col=3, min_row=1, max_row=len(pack.completion) + 1),
            titles_from_data=True,
        )
        line.set_categories(
            Reference(sheet, min_col=1, min_row=2, max_row=len(pack.completion) + 1)
        )
        sheet.add_chart(line, "E2")


def _audits(sheet: Worksheet, audits: AuditSection) -> None:
    sheet.append([f"Audit programme: {audits.month}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([audits.note])
    if not audits.has_audits:
        return
    sheet.append([])
    _bold_row(sheet, ("Figure", audits.month))
    for name, value in audits.headlines:
        sheet.append([name, value])
    sheet.append([])
    _bold_row(sheet, audits.domain_headings)
    for name, counts in audits.domains:
        sheet.append([neutralise(name), *counts])
    sheet.append([])
    _bold_row(sheet, TREND_HEADINGS)
    for month in audits.trend:
        sheet.append([None if v == -1 else v for v in month])


def _bold_row(sheet: Worksheet, values: Sequence[str]) -> None:
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _rows(sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Text from import files and chat could start like a formula: shown, never run.
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
    sheet.freeze_panes = "A2"
