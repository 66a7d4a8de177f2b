"""The board pack's audit programme section from a real database: the audits of the month
before the meeting, read back from the Word document and the workbook, with no case in it."""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import main
from knowledge.working_days import WorkingDays
from notifications.board_pack import build_pack
from notifications.board_pack_audits import gather_audits
from notifications.board_pack_docx import pack_docx
from notifications.board_pack_xlsx import pack_xlsx
from store.db import Database
from store.migrate import upgrade_database
from store.models import CalendarEvent, EventKind
from store.repositories import board
from tests.conftest import sqlite_url
from tests.integration.test_audit_report import FORM, TODAY, seed

# An April meeting: the pack reports March 2025, the month the audit report's seed fills.
MEETING = date(2025, 4, 17)
# March as at the meeting (the seed's follow-up due 10 April is overdue by then).
MARCH = [
    ("Audits", 4),
    ("Completed", 3),
    ("Overdue", 1),
    ("Graded (findings recorded)", 3),
    ("Good or better overall", 2),
    ("Child's voice considered", 2),
    ("Equality and diversity considered", 1),
    ("Moderations decided", 2),
    ("Moderations agreed", 1),
    ("Moderations changed", 1),
    ("Moderations waiting", 0),
    ("Agreement rate (%)", 50),
    ("Follow-up actions created", 2),
    ("Follow-up actions open", 1),
    ("Follow-up actions overdue", 1),
]
TREND = [
    ("December 2024", 0, 0, 0, 0, None),
    ("January 2025", 0, 0, 0, 0, None),
    ("February 2025", 3, 2, 1, 1, None),
    ("March 2025", 4, 3, 1, 2, 50),
]


async def seed_meeting(session: AsyncSession) -> None:
    await seed(session)
    session.add(
        CalendarEvent(
            title="Improvement Board April",
            date=MEETING,
            kind=EventKind.IMPROVEMENT_BOARD,
            audience="board",
        )
    )


def written_text(body: bytes) -> bytes:
    """Every written part of a .docx or .xlsx (not the charts' pictures)."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return b"".join(
            archive.read(name) for name in archive.namelist() if name.endswith((".xml", ".rels"))
        )


async def test_the_pack_has_the_month_before_the_meeting(database: Database) -> None:
    async with database.sessions() as session, session.begin():
        await seed_meeting(session)
    async with database.sessions() as session:
        data = await board.pack_data(session, MEETING)
        audits = await gather_audits(session, MEETING, TODAY)

    pack = build_pack(data, audits, FORM, TODAY, WorkingDays())
    docx, xlsx = pack_docx(pack), pack_xlsx(pack)

    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx))["Audit programme"].values)
    assert rows[0][0] == "Audit programme: March 2025"
    assert "figures as at 17 April 2025" in str(rows[1][0])
    start = rows.index(("Figure", "March 2025", None, None, None, None))
    assert [r[:2] for r in rows[start + 1 : start + 1 + len(MARCH)]] == MARCH
    assert rows[-len(TREND) :] == TREND
    tables = [
        [[c.text for c in r.cells] for r in t.rows] for t in Document(io.BytesIO(docx)).tables
    ]
    headlines = next(t for t in tables if t[0] == ["Figure", "March 2025"])
    assert headlines[1:] == [[name, str(value)] for name, value in MARCH]
    planning = next(t for t in tables if t[0][0] == "Domain")[2]
    # The moderator's grade counts where they changed it, as in the audit report.
    assert planning == ["Planning, review and progress of the plan", "1", "1", "0", "1", "0"]
    for body in (docx, xlsx):
        # The seed's cases (CR-1 to CR-4), the audits and the teams are in no part of the
        # pack. (The auditor's name is: as the owner of the follow-up actions, which are
        # actions of the plan like any other.)
        text = written_text(body)
        assert b"CR-" not in text
        assert b"aud@x.gov.uk" not in text
        assert b"Front door" not in text
        assert b"Children in care" not in text


def test_the_command_writes_the_audit_programme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = sqlite_url(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)

    async def prepare() -> None:
        database = Database(url)
        try:
            await upgrade_database(database)
            async with database.sessions() as session, session.begin():
                await seed_meeting(session)
        finally:
            await database.dispose()

    asyncio.run(prepare())
    output = tmp_path / "pack.docx"

    assert main(["board-pack", "--meeting", MEETING.isoformat(), "--output", str(output)]) == 0

    document = Document(io.BytesIO(output.read_bytes()))
    text = [p.text for p in document.paragraphs]
    note = text[text.index("Audit programme") + 1]
    assert note.startswith("Case audits due in March 2025, the last complete month before")
    assert b"CR-" not in written_text(output.read_bytes())
