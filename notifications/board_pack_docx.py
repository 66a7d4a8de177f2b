"""This module writes the board pack as a Word document (python-docx)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.shared import Cm, Pt

from notifications.board_pack import STANDINGS, ActionLine, Pack, Section
from notifications.board_pack_audits import TREND_HEADINGS, AuditSection
from notifications.board_pack_charts import completion_over_time, rag_by_area

TABLE_STYLE = "Light Grid Accent 1"


def pack_docx(pack: Pack) -> bytes:
    """The pack as .docx bytes: the summary and charts first, the audit programme, then
    each area and recommendation."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    for page in document.sections:
        page.left_margin = page.right_margin = Cm(2)
    document.add_heading("Improvement Board pack", level=0)
    document.add_paragraph(_dates(pack))
    document.add_heading("The whole plan", level=1)
    _standing_table(document, pack.overall, pack)
    document.add_paragraph(
        f"{len(pack.overall.completed)} completed since the last meeting; "
        f"{len(pack.overall.overdue)} overdue; {len(pack.overall.moved)} deadlines moved."
    )
    document.add_picture(io.BytesIO(rag_by_area(pack)), width=Cm(16))
    document.add_picture(io.BytesIO(completion_over_time(pack)), width=Cm(16))
    _audits(document, pack.audits)
    for heading, sections in (
        ("By priority area", pack.areas),
        ("By recommendation", pack.recommendations),
    ):
        # Each part starts a page of its own.
        document.add_heading(heading, level=1).paragraph_format.page_break_before = True
        for section in sections:
            # Updates in full once, under their area; recommendations list their actions.
            _section(document, section, pack, in_full=sections is pack.areas)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _audits(document: DocumentType, audits: AuditSection) -> None:
    document.add_heading("Audit programme", level=1).paragraph_format.page_break_before = True
    document.add_paragraph(audits.note)
    if not audits.has_audits:
        return
    _table(document, ("Figure", audits.month), [(n, str(v)) for n, v in audits.headlines])
    document.add_heading("Grades by domain", level=2)
    _table(
        document,
        audits.domain_headings,
        [(name, *(str(c) for c in counts)) for name, counts in audits.domains],
    )
    document.add_heading("Against the previous months", level=2)
    _table(
        document,
        TREND_HEADINGS,
        [tuple("n/a" if v == -1 else str(v) for v in month) for month in audits.trend],
    )


def _dates(pack: Pack) -> str:
    last = (
        f"the last meeting was on {pack.previous_meeting:%d %B %Y}"
        if pack.previous_meeting
        else "this is the first board meeting on record"
    )
    return (
        f"{pack.meeting_title}, {pack.meeting:%A %d %B %Y}; {last}. "
        f"Figures as at {pack.as_of:%d %B %Y}."
    )


def _section(document: DocumentType, section: Section, pack: Pack, *, in_full: bool) -> None:
    document.add_heading(section.name, level=2)
    if section.title != section.name:
        document.add_paragraph(section.title)
    document.add_paragraph(f"Lead: {section.lead or 'none named'}")
    _standing_table(document, section, pack)
    if section.completed:
        document.add_heading("Completed since the last meeting", level=3)
        _table(
            document,
            ("Action", "Owner", "Completed"),
            [
                (a.ref, a.owner, f"{a.completed_on:%d %b %Y}" if a.completed_on else "")
                for a in section.completed
            ],
        )
    if section.overdue:
        document.add_heading("Overdue", level=3)
        _table(
            document,
            ("Action", "Owner", "Due", "Working days overdue"),
            [
                (
                    o.action.ref,
                    o.action.owner,
                    f"{o.action.due_date:%d %b %Y}",
                    str(o.working_days),
                )
                for o in section.overdue
            ],
        )
    if section.moved:
        document.add_heading("Deadlines moved", level=3)
        _table(
            document,
            ("Action", "From", "To", "Approved by", "On"),
            [
                (
                    e.action_ref,
                    f"{e.from_date:%d %b %Y}",
                    f"{e.to_date:%d %b %Y}",
                    e.approved_by,
                    f"{e.approved_on:%d %b %Y}",
                )
                for e in section.moved
            ],
        )
    if section.lines and in_full:
        document.add_heading("Latest updates", level=3)
        _table(
            document,
            ("Action", "RAG and impact", "Update", "Evidence", "Lead's review"),
            [_update_row(line) for line in section.lines],
        )
    elif section.lines:
        document.add_heading("Actions", level=3)
        document.add_paragraph("Each action's update in full is under its priority area.")
        _table(
            document,
            ("Action", "Priority area", "RAG", "Lead's review"),
            [
                (
                    line.action.ref,
                    line.action.priority_area,
                    line.update.rag if line.update else "no update",
                    _review(line),
                )
                for line in section.lines
            ],
        )


def _update_row(line: ActionLine) -> tuple[str, ...]:
    action, update = line.action, line.update
    who = f"{action.ref}\n{action.owner}\n{action.status}"
    if update is None:
        return (who, "", "No update yet", "", "")
    evidence = "\n".join(p for p in (update.evidence_text, update.evidence_link) if p)
    return (
        who,
        f"{update.rag}\nimpact {update.impact}",
        f"{update.note}\n(for {update.meeting:%d %b %Y})",
        evidence,
        _review(line),
    )


def _review(line: ActionLine) -> str:
    if line.update is None:
        return ""
    return "reviewed" if line.reviewed else "not reviewed yet"


def _standing_table(document: DocumentType, section: Section, pack: Pack) -> None:
    header = ("", "Now", "Last meeting", "Change") if pack.previous_meeting else ("", "Now")
    rows = []
    for standing in STANDINGS:
        row = [standing.capitalize(), str(section.now[standing])]
        if section.before is not None:
            change = section.change(standing) or 0
            row += [str(section.before[standing]), f"{change:+d}" if change else "0"]
        elif pack.previous_meeting:
            row += ["", ""]
        rows.append(tuple(row))
    _table(document, header, rows)


def _table(document: DocumentType, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = TABLE_STYLE
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
