"""The board pack from a known data set: its counts, trends and lists, read back from the
Word document and the workbook."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import openpyxl
from docx import Document

from knowledge.working_days import WorkingDays
from notifications.audit_form import AuditForm
from notifications.audit_report import MonthRows
from notifications.board_pack import build_pack
from notifications.board_pack_audits import report_month
from notifications.board_pack_docx import pack_docx
from notifications.board_pack_xlsx import pack_xlsx
from store.repositories.audit_report import AuditRow
from store.repositories.board_pack_data import (
    PackAction,
    PackData,
    PackExtension,
    PackGroup,
    PackUpdate,
)

MEETING = date(2026, 12, 10)
LAST = date(2026, 11, 12)
CALENDAR = WorkingDays()
FORM = AuditForm.load()
GOOD = dict.fromkeys(("assessment", "planning", "direct_work", "management_oversight"), "good")


def action(
    ref: str, area: str, rec: str | None, status: str, due: date, done: date | None = None
) -> PackAction:
    return PackAction(ref, f"Do {ref}", area, rec, f"Owner of {ref}", status, due, done)


def update(ref: str, meeting: date, rag: str, reviewed: str = "accepted") -> PackUpdate:
    return PackUpdate(
        ref,
        meeting,
        rag,
        f"Progress on {ref}",
        f"Audit of {ref}",
        "https://intranet.example/e",
        "emerging",
        datetime(2026, 12, 1, 9, tzinfo=UTC),
        reviewed,
        "Lead" if reviewed == "accepted" else None,
    )


def known_data() -> PackData:
    return PackData(
        meeting=MEETING,
        meeting_title="Improvement Board December",
        meetings=(date(2026, 10, 8), LAST, MEETING, date(2027, 1, 14)),
        actions=(
            action("A1", "Front door", "R1", "in progress", date(2027, 1, 31)),
            action("A2", "Front door", "R1", "in progress", date(2026, 12, 1)),
            action("A3", "Front door", "R2", "complete", date(2026, 11, 30), date(2026, 11, 20)),
            action("A4", "Care leavers", "R2", "not started", date(2026, 11, 20)),
            action("A5", "Care leavers", None, "complete", date(2026, 10, 1), date(2026, 10, 1)),
        ),
        updates=(
            update("A1", LAST, "at risk"),
            update("A2", LAST, "on track"),
            update("A3", LAST, "on track"),
            update("A4", LAST, "off track"),
            update("A1", MEETING, "on track"),
            update("A2", MEETING, "off track", reviewed="pending"),
        ),
        extensions=(
            PackExtension(
                "A1",
                date(2026, 12, 31),
                date(2027, 1, 31),
                "Dana Lead",
                date(2026, 11, 25),
                "staffing",
            ),
            # Moved before the last meeting: not news for this one.
            PackExtension(
                "A4", date(2026, 10, 30), date(2026, 11, 20), "Dana Lead", date(2026, 10, 20), "x"
            ),
        ),
        areas=(
            PackGroup("Front door", "Front door", "Fran Lead"),
            PackGroup("Care leavers", "Care leavers", None),
        ),
        recommendations=(
            PackGroup("R1", "Strengthen the front door", "Rae Lead"),
            PackGroup("R2", "Plan for leaving care", None),
        ),
    )


def audit(
    ref: str,
    due: date,
    overall: str | None = None,
    grades: dict[str, str] | None = None,
    *,
    moderation: str | None = None,
    voice: bool = False,
    equality: bool = False,
    follow_ups: tuple[int, int, int] = (0, 0, 0),
) -> AuditRow:
    """An audit as the report counts it: complete when it has an overall grade."""
    return AuditRow(
        ref=ref,
        case_ref=f"CR-{ref}",
        audit_type="monthly",
        auditor=f"auditor.{ref}@example.gov.uk",
        due_date=due,
        status="complete" if overall else "assigned",
        completed_at=datetime(2026, 11, 25, 10, tzinfo=UTC) if overall else None,
        team="Team North",
        category="child in need",
        grades=grades,
        overall=overall,
        child_voice=voice if overall else None,
        equality_diversity=equality if overall else None,
        moderation=moderation,
        follow_ups=follow_ups[0],
        follow_ups_open=follow_ups[1],
        follow_ups_overdue=follow_ups[2],
    )


def known_audits() -> MonthRows:
    """November 2026 (the month before the meeting): four audits due, three complete."""
    november = [
        audit(
            "N1",
            date(2026, 11, 20),
            "good",
            GOOD,
            moderation="agreed",
            voice=True,
            equality=True,
            follow_ups=(1, 1, 0),
        ),
        audit(
            "N2",
            date(2026, 11, 27),
            "requires_improvement",
            {**GOOD, "assessment": "requires_improvement", "management_oversight": "inadequate"},
            moderation="changed",
            voice=True,
            follow_ups=(2, 2, 1),
        ),
        audit(
            "N3",
            date(2026, 11, 13),
            "outstanding",
            dict.fromkeys(GOOD, "outstanding"),
            moderation="pending",
            equality=True,
        ),
        # Not done, due before the figures' date: overdue.
        audit("N4", date(2026, 11, 30)),
    ]
    october = [
        audit("O1", date(2026, 10, 9), "good", GOOD, moderation="agreed"),
        audit("O2", date(2026, 10, 16), "inadequate", dict.fromkeys(GOOD, "inadequate")),
    ]
    return MonthRows(
        date(2026, 11, 1),
        november,
        [("August 2026", []), ("September 2026", []), ("October 2026", october)],
    )


def no_audits() -> MonthRows:
    return MonthRows(
        date(2026, 11, 1),
        [],
        [("August 2026", []), ("September 2026", []), ("October 2026", [])],
    )


def test_the_counts_trends_and_lists_for_a_known_plan() -> None:
    pack = build_pack(known_data(), known_audits(), FORM, date(2026, 12, 4), CALENDAR)

    assert pack.previous_meeting == LAST
    assert pack.as_of == date(2026, 12, 4)
    overall = pack.overall
    assert overall.now == {
        "on track": 1,
        "at risk": 0,
        "off track": 1,
        "no update": 1,
        "complete": 2,
    }
    assert overall.before == {
        "on track": 2,
        "at risk": 1,
        "off track": 1,
        "no update": 0,
        "complete": 1,
    }
    assert overall.change("complete") == 1
    assert [a.ref for a in overall.completed] == ["A3"]
    # A4 due Friday 20 November: 10 working days to Friday 4 December; A2 due 1 December: 3.
    assert [(o.action.ref, o.working_days) for o in overall.overdue] == [("A4", 10), ("A2", 3)]
    assert [(e.action_ref, e.approved_by) for e in overall.moved] == [("A1", "Dana Lead")]
    front_door = pack.areas[0]
    assert (front_door.name, front_door.lead) == ("Front door", "Fran Lead")
    assert front_door.now == {
        "on track": 1,
        "at risk": 0,
        "off track": 1,
        "no update": 0,
        "complete": 1,
    }
    assert [s.name for s in pack.recommendations] == ["R1", "R2", "(no recommendation)"]
    assert pack.recommendations[1].now["no update"] == 1
    assert pack.completion == ((date(2026, 10, 8), 1, 5), (LAST, 1, 5), (MEETING, 2, 5))
    a2 = next(line for line in overall.lines if line.action.ref == "A2")
    assert (a2.update is not None and a2.update.rag, a2.reviewed) == ("off track", False)


def test_the_word_document_says_the_numbers() -> None:
    pack = build_pack(known_data(), known_audits(), FORM, date(2026, 12, 4), CALENDAR)

    document = Document(io.BytesIO(pack_docx(pack)))

    text = [p.text for p in document.paragraphs]
    assert text[0] == "Improvement Board pack"
    assert text[1] == (
        "Improvement Board December, Thursday 10 December 2026; the last meeting was on "
        "12 November 2026. Figures as at 04 December 2026."
    )
    assert "1 completed since the last meeting; 2 overdue; 1 deadlines moved." in text
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert tables[0] == [
        ["", "Now", "Last meeting", "Change"],
        ["On track", "1", "2", "-1"],
        ["At risk", "0", "1", "-1"],
        ["Off track", "1", "1", "0"],
        ["No update", "1", "0", "+1"],
        ["Complete", "2", "1", "+1"],
    ]
    overdue = next(t for t in tables if t[0] == ["Action", "Owner", "Due", "Working days overdue"])
    assert overdue[1:] == [["A2", "Owner of A2", "01 Dec 2026", "3"]]
    moved = next(t for t in tables if t[0][:2] == ["Action", "From"])
    assert moved[1] == ["A1", "31 Dec 2026", "31 Jan 2027", "Dana Lead", "25 Nov 2026"]
    updates = next(t for t in tables if t[0][1] == "RAG and impact")
    # Front door's actions A1, A2, A3: A2's update is not reviewed yet.
    assert updates[2] == [
        "A2\nOwner of A2\nin progress",
        "off track\nimpact emerging",
        "Progress on A2\n(for 10 Dec 2026)",
        "Audit of A2\nhttps://intranet.example/e",
        "not reviewed yet",
    ]
    by_recommendation = next(
        t for t in tables if t[0] == ["Action", "Priority area", "RAG", "Lead's review"]
    )
    assert by_recommendation[1:] == [
        ["A1", "Front door", "on track", "reviewed"],
        ["A2", "Front door", "off track", "not reviewed yet"],
    ]
    # The two charts are drawn into the document.
    assert len(document.inline_shapes) == 2


def test_the_workbook_has_a_sheet_per_section_with_the_numbers() -> None:
    pack = build_pack(known_data(), known_audits(), FORM, date(2026, 12, 4), CALENDAR)

    workbook = openpyxl.load_workbook(io.BytesIO(pack_xlsx(pack)))

    assert workbook.sheetnames == [
        "Summary",
        "Areas",
        "Recommendations",
        "Completed",
        "Overdue",
        "Deadlines moved",
        "Updates",
        "Completion over time",
        "Audit programme",
    ]
    summary = [row for row in workbook["Summary"].iter_rows(values_only=True)]
    assert ("on track", 1, 2, -1) in summary
    assert ("Overdue", 2, None, None) in summary
    areas = list(workbook["Areas"].iter_rows(values_only=True))
    assert areas[1][:7] == ("Front door", "Fran Lead", 1, 0, 1, 0, 1)
    assert list(workbook["Overdue"].iter_rows(values_only=True))[1:] == [
        ("A4", "Care leavers", "R2", "Owner of A4", "2026-11-20", 10),
        ("A2", "Front door", "R1", "Owner of A2", "2026-12-01", 3),
    ]
    # Native charts, drawn by Excel itself.
    assert [
        len(vars(workbook[name])["_charts"]) for name in ("Areas", "Completion over time")
    ] == [
        1,
        1,
    ]


def test_text_that_looks_like_a_formula_is_never_run() -> None:
    data = known_data()
    hostile = PackAction(
        '=HYPERLINK("x")', "d", "Front door", None, "@owner", "in progress", date(2027, 1, 1), None
    )
    pack = build_pack(_with(data, hostile), known_audits(), FORM, date(2026, 12, 4), CALENDAR)

    workbook = openpyxl.load_workbook(io.BytesIO(pack_xlsx(pack)))

    refs = [row[0] for row in workbook["Updates"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("x")' in refs


# What the audit programme section of the pack says about known_audits(), by hand.
AUDIT_HEADLINES = [
    ("Audits", 4),
    ("Completed", 3),
    ("Overdue", 1),
    ("Graded (findings recorded)", 3),
    ("Good or better overall", 2),
    ("Child's voice considered", 2),
    ("Equality and diversity considered", 2),
    ("Moderations decided", 2),
    ("Moderations agreed", 1),
    ("Moderations changed", 1),
    ("Moderations waiting", 1),
    ("Agreement rate (%)", 50),
    ("Follow-up actions created", 3),
    ("Follow-up actions open", 3),
    ("Follow-up actions overdue", 1),
]
GRADE_HEADINGS = [
    "Domain",
    "Outstanding",
    "Good",
    "Requires improvement to be good",
    "Inadequate",
    "Not applicable",
]
AUDIT_DOMAINS = [
    ("Assessment of the child's needs and risks", 1, 1, 1, 0, 0),
    ("Planning, review and progress of the plan", 1, 2, 0, 0, 0),
    ("Direct work and the child's lived experience", 1, 2, 0, 0, 0),
    ("Management oversight and supervision", 1, 1, 0, 1, 0),
    ("Overall", 1, 1, 1, 0, 0),
]
AUDIT_TREND = [
    ("August 2026", 0, 0, 0, 0, None),
    ("September 2026", 0, 0, 0, 0, None),
    ("October 2026", 2, 2, 0, 1, 100),
    ("November 2026", 4, 3, 1, 2, 50),
]


def test_the_audit_month_is_the_last_complete_month_before_the_meeting() -> None:
    assert report_month(date(2026, 12, 17)) == date(2026, 11, 1)
    assert report_month(date(2026, 12, 1)) == date(2026, 11, 1)
    assert report_month(date(2027, 1, 14)) == date(2026, 12, 1)


def test_the_word_document_has_the_audit_programme() -> None:
    pack = build_pack(known_data(), known_audits(), FORM, date(2026, 12, 4), CALENDAR)

    document = Document(io.BytesIO(pack_docx(pack)))

    text = [p.text for p in document.paragraphs]
    heading = text.index("Audit programme")
    assert text[heading + 1].startswith(
        "Case audits due in November 2026, the last complete month before the meeting"
    )
    assert "figures as at 04 December 2026" in text[heading + 1]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    headlines = next(t for t in tables if t[0] == ["Figure", "November 2026"])
    assert headlines[1:] == [[name, str(value)] for name, value in AUDIT_HEADLINES]
    domains = next(t for t in tables if t[0] == GRADE_HEADINGS)
    assert domains[1:] == [[str(v) for v in row] for row in AUDIT_DOMAINS]
    trend = next(t for t in tables if t[0][0] == "Month")
    assert trend[1:] == [["n/a" if v is None else str(v) for v in row] for row in AUDIT_TREND]


def test_the_workbook_has_the_audit_programme() -> None:
    pack = build_pack(known_data(), known_audits(), FORM, date(2026, 12, 4), CALENDAR)

    workbook = openpyxl.load_workbook(io.BytesIO(pack_xlsx(pack)))

    rows = list(workbook["Audit programme"].iter_rows(values_only=True))
    assert rows[0][0] == "Audit programme: November 2026"
    start = rows.index(("Figure", "November 2026", None, None, None, None))
    assert [r[:2] for r in rows[start + 1 : start + 16]] == AUDIT_HEADLINES
    start = rows.index(tuple(GRADE_HEADINGS))
    assert rows[start + 1 : start + 6] == AUDIT_DOMAINS
    start = rows.index(
        ("Month", "Audits", "Completed", "Overdue", "Good or better", "Agreement %")
    )
    assert rows[start + 1 :] == AUDIT_TREND


def test_a_month_with_no_audits_due_is_one_line() -> None:
    pack = build_pack(known_data(), no_audits(), FORM, date(2026, 12, 4), CALENDAR)

    document = Document(io.BytesIO(pack_docx(pack)))
    workbook = openpyxl.load_workbook(io.BytesIO(pack_xlsx(pack)))

    text = [p.text for p in document.paragraphs]
    heading = text.index("Audit programme")
    line = "No case audits were due in November 2026, the last complete month before the meeting."
    assert text[heading + 1] == line
    assert text[heading + 2] == "By priority area"
    assert not [t for t in document.tables if t.rows[0].cells[0].text in ("Figure", "Month")]
    assert list(workbook["Audit programme"].iter_rows(values_only=True)) == [
        ("Audit programme: November 2026",),
        (line,),
    ]


def test_no_case_reference_or_auditor_is_anywhere_in_the_pack() -> None:
    pack = build_pack(known_data(), known_audits(), FORM, date(2026, 12, 4), CALENDAR)

    for body in (pack_docx(pack), pack_xlsx(pack)):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            # Every written part of the file: text, shared strings, sheet names, properties
            # (the charts' pictures are left out: their bytes are not text).
            everything = b"".join(
                archive.read(name)
                for name in archive.namelist()
                if name.endswith((".xml", ".rels"))
            )
        # The audits are in the pack (their figures), the cases and auditors are not.
        assert b"November 2026" in everything
        assert b"CR-" not in everything
        assert b"auditor." not in everything
        assert b"Team North" not in everything


def _with(data: PackData, extra: PackAction) -> PackData:
    return PackData(
        data.meeting,
        data.meeting_title,
        data.meetings,
        (*data.actions, extra),
        data.updates,
        data.extensions,
        data.areas,
        data.recommendations,
    )
