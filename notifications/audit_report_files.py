"""This module writes the audit report as a Word document or an Excel workbook."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import Workbook

from notifications.audit_form import AuditForm
from notifications.audit_report import AuditReport, GradeTable, grade_columns
from store.importers.csv_cells import neutralise

FORMATS = ("docx", "xlsx")
# Managers get the council's figures; the list of audits names cases (and their auditors)
# across every team, so it is for the coordinators who run the programme.
AUDITS_FOR_COORDINATORS = (
    "The list of audits, with their case references, is in the coordinators' copy of this "
    "report only."
)
AUDIT_COLUMNS = (
    "ref",
    "case_ref",
    "audit_type",
    "auditor",
    "due_date",
    "status",
    "team",
    "category",
    "overall",
    "moderation",
    "follow_ups_open",
    "follow_ups_overdue",
)


def headline_rows(report: AuditReport) -> list[tuple[str, int | str]]:
    """The summary's figures, one per row, the same in both formats."""
    s = report.summary
    return [
        ("Audits", s.audits),
        ("Completed", s.completed),
        ("Overdue", s.overdue),
        ("Graded (findings recorded)", s.graded),
        ("Good or better overall", s.good_or_better),
        ("Child's voice considered", report.child_voice),
        ("Equality and diversity considered", report.equality_diversity),
        ("Moderations decided", s.moderated),
        ("Moderations agreed", s.agreed),
        ("Moderations changed", report.moderation_changed),
        ("Moderations waiting", report.moderation_pending),
        ("Agreement rate (%)", "n/a" if s.agreement_pct is None else s.agreement_pct),
        ("Follow-up actions created", report.follow_ups),
        ("Follow-up actions open", report.follow_ups_open),
        ("Follow-up actions overdue", report.follow_ups_overdue),
    ]


def trend_rows(report: AuditReport) -> list[tuple[str, int, int, int, int, int]]:
    """Each month: audits, completed, overdue, good or better, agreement %-points (or -1)."""
    return [
        (
            p.label,
            p.audits,
            p.completed,
            p.overdue,
            p.good_or_better,
            -1 if p.agreement_pct is None else p.agreement_pct,
        )
        for p in report.trend
    ]


def report_docx(report: AuditReport, form: AuditForm, *, with_audits: bool) -> bytes:
    """The report as a Word document: headline figures, grade tables, trend, and (with
    `with_audits`, for coordinators) every audit by case reference."""
    document = Document()
    document.add_heading(report.title, level=1)
    summary = document.add_table(rows=0, cols=2)
    for name, value in headline_rows(report):
        cells = summary.add_row().cells
        cells[0].text, cells[1].text = name, str(value)
    columns = grade_columns(form)
    for table in (report.domains, report.teams, report.categories):
        document.add_heading(f"Grades by {table.heading.lower()}", level=2)
        grid = document.add_table(rows=1, cols=len(columns) + 1)
        for cell, text in zip(
            grid.rows[0].cells, [table.heading, *(label for _, label in columns)], strict=True
        ):
            cell.text = text
        for name, counts in table.rows:
            cells = grid.add_row().cells
            cells[0].text = name
            for cell, (key, _) in zip(cells[1:], columns, strict=True):
                cell.text = str(counts[key])
    if len(report.trend) > 1:
        document.add_heading("Against the previous months", level=2)
        grid = document.add_table(rows=1, cols=6)
        heads = ("Month", "Audits", "Completed", "Overdue", "Good or better", "Agreement %")
        for cell, text in zip(grid.rows[0].cells, heads, strict=True):
            cell.text = text
        for month in trend_rows(report):
            cells = grid.add_row().cells
            for cell, figure in zip(cells, month, strict=True):
                cell.text = "n/a" if figure == -1 else str(figure)
    document.add_heading("Audits", level=2)
    if not with_audits:
        document.add_paragraph(AUDITS_FOR_COORDINATORS)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    grid = document.add_table(rows=1, cols=len(AUDIT_COLUMNS))
    for cell, text in zip(grid.rows[0].cells, AUDIT_COLUMNS, strict=True):
        cell.text = text
    for values in _audit_values(report, form):
        for cell, value in zip(grid.add_row().cells, values, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_xlsx(report: AuditReport, form: AuditForm, *, with_audits: bool) -> bytes:
    """The report as a workbook: Summary, Domains, Teams, Categories, Trend, Audits (every
    audit by case reference with `with_audits`, for coordinators; else a note)."""
    book = Workbook()
    # A new workbook comes with an empty sheet; the report's sheets are made by name.
    book.remove(book.worksheets[0])
    summary = book.create_sheet("Summary")
    summary.append([report.title])
    for headline in headline_rows(report):
        summary.append(list(headline))
    columns = grade_columns(form)
    for title, table in (
        ("Domains", report.domains),
        ("Teams", report.teams),
        ("Categories", report.categories),
    ):
        _grade_sheet(book, title, table, columns)
    trend = book.create_sheet("Trend")
    trend.append(["Month", "Audits", "Completed", "Overdue", "Good or better", "Agreement %"])
    for month in trend_rows(report):
        trend.append([None if v == -1 else v for v in month])
    audits = book.create_sheet("Audits")
    if not with_audits:
        audits.append([AUDITS_FOR_COORDINATORS])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    audits.append(list(AUDIT_COLUMNS))
    for values in _audit_values(report, form):
        # Case refs and names come from import files: never run as a formula.
        audits.append([neutralise(v) for v in values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _grade_sheet(
    book: Workbook, title: str, table: GradeTable, columns: list[tuple[str, str]]
) -> None:
    sheet = book.create_sheet(title)
    sheet.append([table.heading, *(label for _, label in columns)])
    for name, counts in table.rows:
        sheet.append([neutralise(name), *(counts[key] for key, _ in columns)])


def _audit_values(report: AuditReport, form: AuditForm) -> list[list[str]]:
    return [
        [
            row.ref,
            row.case_ref,
            row.audit_type,
            row.auditor,
            row.due_date.isoformat(),
            row.status,
            row.team or "",
            row.category or "",
            form.label(row.overall) if row.overall else "",
            row.moderation or "",
            str(row.follow_ups_open),
            str(row.follow_ups_overdue),
        ]
        for row in report.audits
    ]
