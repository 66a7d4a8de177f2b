"""The audit report on a known set of audits: the numbers, as text, Word and Excel."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import main
from notifications.audit_form import AuditForm
from notifications.audit_report import month_report, parse_month
from notifications.audit_report_files import report_docx, report_xlsx
from store.db import Database
from store.migrate import upgrade_database
from store.models import (
    Action,
    ActionStatus,
    AuditAssignment,
    AuditFinding,
    AuditFollowUp,
    AuditModeration,
    AuditStatus,
    AuditType,
    CallAudit,
    CallStatus,
    Case,
    CaseCategory,
    InspectionCall,
    ModerationStatus,
    Staff,
    StaffRole,
    Team,
)
from tests.conftest import sqlite_url

FORM = AuditForm.load()
TODAY = date(2025, 6, 2)
DOMAINS = [d.key for d in FORM.domains]


def grades(value: str, **changed: str) -> dict[str, str]:
    return {key: changed.get(key, value) for key in DOMAINS}


async def seed(session: AsyncSession) -> None:
    """March 2025: four audits, three complete (one moderated and agreed, one changed from
    Inadequate, one with two follow-ups), one overdue. February: three, two complete, one of
    them imported as complete without findings."""
    front, care = Team(name="Front door"), Team(name="Children in care")
    session.add_all([front, care])
    await session.flush()
    auditor = Staff(email="aud@x.gov.uk", name="Ann Auditor", role=StaffRole.MANAGER)
    coordinator = Staff(email="co@x.gov.uk", name="Cal Coord", role=StaffRole.COORDINATOR)
    session.add_all([auditor, coordinator])
    await session.flush()
    session.add_all(
        [
            Case(case_ref="CR-1", category=CaseCategory.CHILD_IN_NEED, team_id=front.id),
            Case(case_ref="CR-2", category=CaseCategory.CHILD_IN_CARE, team_id=care.id),
            Case(case_ref="CR-3", category=CaseCategory.CHILD_PROTECTION, team_id=front.id),
        ]
    )
    done = datetime(2025, 3, 20, 10, tzinfo=UTC)

    async def audit(ref: str, case: str, due: date, status: AuditStatus) -> AuditAssignment:
        row = AuditAssignment(
            ref=ref,
            case_ref=case,
            audit_type=AuditType.MONTHLY,
            auditor_id=auditor.id,
            due_date=due,
            status=status,
            completed_at=done if status is AuditStatus.COMPLETE else None,
        )
        session.add(row)
        await session.flush()
        return row

    async def finding(
        row: AuditAssignment, sequence: int, found: dict[str, str], overall: str
    ) -> AuditFinding:
        result = AuditFinding(
            audit_id=row.id,
            month=f"{row.due_date:%Y-%m}",
            month_sequence=sequence,
            grades=found,
            overall=overall,
            strengths="s",
            development="d",
            child_voice=sequence != 2,
            equality_diversity=sequence == 1,
            completed_by_id=auditor.id,
            completed_at=done,
        )
        session.add(result)
        await session.flush()
        return result

    march = date(2025, 3, 31)
    a1 = await finding(
        await audit("A1", "CR-1", march, AuditStatus.COMPLETE), 1, grades("good"), "good"
    )
    a2 = await finding(
        await audit("A2", "CR-2", march, AuditStatus.COMPLETE),
        2,
        grades("inadequate"),
        "inadequate",
    )
    a3 = await finding(
        await audit("A3", "CR-3", march, AuditStatus.COMPLETE),
        3,
        grades("outstanding"),
        "outstanding",
    )
    a4 = await audit("A4", "CR-4", march, AuditStatus.IN_PROGRESS)
    # Inspection call 1 (stood down) asked for A1 and A4.
    call = InspectionCall(
        inspection_type="ilacs_short",
        on_site=date(2025, 3, 24),
        drill=False,
        status=CallStatus.STOOD_DOWN,
        called_at=datetime(2025, 3, 17, 9, tzinfo=UTC),
    )
    session.add(call)
    await session.flush()
    session.add_all(
        [
            CallAudit(call_id=call.id, audit_id=a1.audit_id),
            CallAudit(call_id=call.id, audit_id=a4.id),
        ]
    )
    session.add_all(
        [
            AuditModeration(
                finding_id=a1.id,
                moderator_id=coordinator.id,
                status=ModerationStatus.AGREED,
                grades=a1.grades,
                overall="good",
            ),
            AuditModeration(
                finding_id=a2.id,
                moderator_id=coordinator.id,
                status=ModerationStatus.CHANGED,
                grades=grades("requires_improvement", planning="inadequate"),
                overall="requires_improvement",
                reason="r",
            ),
        ]
    )
    for n, (status, due) in enumerate(
        [(ActionStatus.COMPLETE, date(2025, 4, 1)), (ActionStatus.IN_PROGRESS, date(2025, 4, 10))],
        1,
    ):
        action = Action(
            ref=f"A3-F{n}",
            priority_area="Audit follow-up",
            description="x",
            owner_id=auditor.id,
            due_date=due,
            status=status,
        )
        session.add(action)
        await session.flush()
        session.add(AuditFollowUp(finding_id=a3.id, action_id=action.id))
    february = date(2025, 2, 28)
    await finding(
        await audit("B1", "CR-1", february, AuditStatus.COMPLETE), 1, grades("good"), "good"
    )
    await audit("B2", "CR-2", february, AuditStatus.ASSIGNED)
    # Imported as complete: no findings, so complete but not graded.
    await audit("B3", "CR-3", february, AuditStatus.COMPLETE)


async def test_the_months_numbers(database: Database) -> None:
    async with database.sessions() as session, session.begin():
        await seed(session)
    async with database.sessions() as session:
        report = await month_report(session, FORM, date(2025, 3, 1), TODAY)

    s = report.summary
    assert (s.audits, s.completed, s.overdue, s.good_or_better, s.graded) == (4, 3, 1, 2, 3)
    assert report.trend[-2].good_pct == 100  # of the one graded, not of the two complete
    assert (s.moderated, s.agreed, s.agreement_pct) == (2, 1, 50)
    assert (report.moderation_changed, report.moderation_pending) == (1, 0)
    assert (report.follow_ups, report.follow_ups_open, report.follow_ups_overdue) == (2, 1, 1)
    assert (report.child_voice, report.equality_diversity) == (2, 1)
    planning = dict(report.domains.rows)["Planning, review and progress of the plan"]
    # The moderator's grade counts where they changed it.
    assert dict(planning) == {"good": 1, "inadequate": 1, "outstanding": 1}
    assert [(name, dict(c)) for name, c in report.teams.rows] == [
        ("Children in care", {"requires_improvement": 1}),
        ("Front door", {"good": 1, "outstanding": 1}),
    ]
    assert [name for name, _ in report.categories.rows] == [
        "child in care",
        "child in need",
        "child protection",
    ]
    assert [(p.label, p.audits, p.completed) for p in report.trend] == [
        ("December 2024", 0, 0),
        ("January 2025", 0, 0),
        ("February 2025", 3, 2),
        ("March 2025", 4, 3),
    ]

    document = Document(io.BytesIO(report_docx(report, FORM, with_audits=True)))
    headline = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert headline["Audits"] == "4"
    assert headline["Completed"] == "3"
    assert headline["Overdue"] == "1"
    assert headline["Agreement rate (%)"] == "50"
    assert headline["Follow-up actions overdue"] == "1"
    domains = document.tables[1]
    assert [c.text for c in domains.rows[0].cells] == [
        "Domain",
        "Outstanding",
        "Good",
        "Requires improvement to be good",
        "Inadequate",
        "Not applicable",
    ]
    overall = next(r for r in domains.rows if r.cells[0].text == "Overall")
    assert [c.text for c in overall.cells[1:]] == ["1", "1", "1", "0", "0"]

    book = load_workbook(io.BytesIO(report_xlsx(report, FORM, with_audits=True)))
    assert book.sheetnames == ["Summary", "Domains", "Teams", "Categories", "Trend", "Audits"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert (summary["Audits"], summary["Completed"], summary["Moderations agreed"]) == (4, 3, 1)
    teams = list(book["Teams"].iter_rows(min_row=2, values_only=True))
    assert teams == [("Children in care", 0, 0, 1, 0, 0), ("Front door", 1, 1, 0, 0, 0)]
    trend = list(book["Trend"].iter_rows(min_row=2, values_only=True))
    assert trend[-2:] == [("February 2025", 3, 2, 1, 1, None), ("March 2025", 4, 3, 1, 2, 50)]
    audits = list(book["Audits"].iter_rows(min_row=2, values_only=True))
    assert [(a[0], a[8], a[9]) for a in audits] == [
        ("A1", "Good", "agreed"),
        ("A2", "Requires improvement to be good", "changed"),
        ("A3", "Outstanding", None),
        ("A4", None, None),
    ]


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    url = sqlite_url(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)

    async def prepare() -> None:
        database = Database(url)
        await upgrade_database(database)
        async with database.sessions() as session, session.begin():
            await seed(session)
        await database.dispose()

    asyncio.run(prepare())
    return tmp_path


def test_the_command_prints_the_report_or_writes_the_file(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audits", "report", "--month", "2025-03"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Case audits due in March 2025\n")
    assert "Audits: 4; completed 3 (75%); overdue 1." in text
    assert "agreement rate 50%" in text
    assert "  February 2025: 3 audits, 67% completed, 100% good or better, agreement n/a" in text

    for suffix in ("docx", "xlsx"):
        output = seeded / f"report.{suffix}"
        assert main(["audits", "report", "--month", "2025-03", "--output", str(output)]) == 0
        assert output.stat().st_size > 0
    assert Document(str(seeded / "report.docx")).tables[0].rows[0].cells[1].text == "4"
    capsys.readouterr()

    assert main(["audits", "report", "--call", "1"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Audits the inspectors asked for (inspection call of 17 March 2025)\n")
    assert "Audits: 2; completed 1 (50%); overdue 1." in text
    assert main(["audits", "report", "--call", "99"]) == 1
    assert "there is no inspection call 99" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "March"], "the month must be written YYYY-MM"),
        (["--month", "2025-13"], "the month must be written YYYY-MM"),
        (["--month", "2025-03", "--output", "report.pdf"], "must end in .docx or .xlsx"),
    ],
)
def test_a_bad_month_or_file_type_exits_2(
    seeded: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["audits", "report", *args]) == 2
    assert message in capsys.readouterr().err
    assert parse_month("2025-03") == date(2025, 3, 1)
