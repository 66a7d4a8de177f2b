"""The board pack from a known data set: its counts, trends and lists, read back from the
Word document and the workbook."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
from docx import Document

from knowledge.working_days import WorkingDays
from notifications.board_pack import build_pack
from notifications.board_pack_docx import pack_docx
from notifications.board_pack_xlsx import pack_xlsx
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


def test_the_counts_trends_and_lists_for_a_known_plan() -> None:
    pack = build_pack(known_data(), date(2026, 12, 4), CALENDAR)

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
    pack = build_pack(known_data(), date(2026, 12, 4), CALENDAR)

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
    pack = build_pack(known_data(), date(2026, 12, 4), CALENDAR)

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
    pack = build_pack(_with(data, hostile), date(2026, 12, 4), CALENDAR)

    workbook = openpyxl.load_workbook(io.BytesIO(pack_xlsx(pack)))

    refs = [row[0] for row in workbook["Updates"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("x")' in refs


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
