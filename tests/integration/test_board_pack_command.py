"""`inspection-ready board-pack`: the pack for a meeting, and a clear error for anything else."""

from __future__ import annotations

import asyncio
import io
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from bot.cli import main
from store.db import Database
from store.repositories import board
from tests.conftest import sqlite_url


@pytest.fixture
def database_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = sqlite_url(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["demo"]) == 0
    return url


def board_dates(url: str) -> list[str]:
    async def read() -> list[str]:
        database = Database(url)
        try:
            async with database.sessions() as session:
                return [m.date.isoformat() for m in await board.meetings(session)]
        finally:
            await database.dispose()

    return asyncio.run(read())


def test_writes_the_pack_as_word_and_as_excel(
    database_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting = board_dates(database_env)[-1]
    day = date.fromisoformat(meeting)
    docx, xlsx = tmp_path / "pack.docx", tmp_path / "pack.xlsx"

    assert main(["board-pack", "--meeting", meeting, "--output", str(docx)]) == 0
    assert main(["board-pack", "--meeting", meeting, "--output", str(xlsx)]) == 0

    out = capsys.readouterr().out
    assert f"written to {docx}" in out
    document = Document(io.BytesIO(docx.read_bytes()))
    assert document.paragraphs[0].text == "Improvement Board pack"
    assert document.paragraphs[1].text.startswith(f"Improvement Board, {day:%A %d %B %Y};")
    assert len(document.inline_shapes) == 2
    workbook = openpyxl.load_workbook(xlsx)
    updates = list(workbook["Updates"].iter_rows(min_row=2, values_only=True))
    # Every action in the demo plan is in the pack once.
    assert len(updates) == len({row[0] for row in updates}) > 20
    assert not list(tmp_path.glob(".*.partial"))


def test_a_date_that_is_not_a_board_meeting_lists_the_meetings(
    database_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "pack.docx"

    assert main(["board-pack", "--meeting", "2026-01-05", "--output", str(output)]) == 1

    error = capsys.readouterr().err
    listed = ", ".join(board_dates(database_env))
    assert error == (
        "inspection-ready: 2026-01-05 is not an Improvement Board meeting; "
        f"the meetings are {listed}\n"
    )
    assert not output.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--meeting", "17/12/2026", "--output", "pack.docx"],
            "board-pack --meeting must be a date as YYYY-MM-DD, got '17/12/2026'",
        ),
        (
            ["--meeting", "2026-12-17", "--output", "pack.pdf"],
            "board-pack --output must end in .docx or .xlsx, got pack.pdf",
        ),
        (
            ["--meeting", "2026-12-17", "--output", "no/such/folder/pack.docx"],
            "the folder no/such/folder does not exist",
        ),
    ],
)
def test_bad_arguments_exit_2_and_say_why(
    database_env: str,
    arguments: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)

    assert main(["board-pack", *arguments]) == 2

    assert capsys.readouterr().err == f"inspection-ready: {message}\n"
    assert list(tmp_path.iterdir()) == [tmp_path / "inspection-ready.db"]


def test_with_no_meetings_on_the_calendar_it_says_how_to_add_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url(tmp_path))

    assert (
        main(["board-pack", "--meeting", "2026-12-17", "--output", str(tmp_path / "p.xlsx")]) == 1
    )

    assert "the meetings are none: import events with kind improvement_board" in (
        capsys.readouterr().err
    )


STANDING_LABELS = ["On track", "At risk", "Off track", "No update", "Complete"]


def actions_by_group(url: str, day: date) -> tuple[int, Counter[str], Counter[str]]:
    async def read() -> tuple[int, Counter[str], Counter[str]]:
        database = Database(url)
        try:
            async with database.sessions() as session:
                data = await board.pack_data(session, day)
        finally:
            await database.dispose()
        areas = Counter(a.priority_area.casefold() for a in data.actions)
        recommendations = Counter(a.recommendation or "(no recommendation)" for a in data.actions)
        return len(data.actions), areas, recommendations

    return asyncio.run(read())


def test_every_standing_table_adds_up_to_the_actions_it_covers(
    database_env: str, tmp_path: Path
) -> None:
    day = date(2026, 12, 29)
    docx, xlsx = tmp_path / "pack.docx", tmp_path / "pack.xlsx"
    assert main(["board-pack", "--meeting", day.isoformat(), "--output", str(docx)]) == 0
    assert main(["board-pack", "--meeting", day.isoformat(), "--output", str(xlsx)]) == 0
    total, by_area, by_recommendation = actions_by_group(database_env, day)

    workbook = openpyxl.load_workbook(xlsx)
    summary = {str(row[0]): str(row[1]) for row in workbook["Summary"].iter_rows(values_only=True)}
    assert sum(int(summary[s.lower()]) for s in STANDING_LABELS) == total == 43
    sums: dict[str, list[tuple[str, int]]] = {}
    for sheet in ("Areas", "Recommendations"):
        header, *rows = list(workbook[sheet].iter_rows(values_only=True))
        now = [header.index(f"{s.lower()} now") for s in STANDING_LABELS]
        sums[sheet] = [(str(row[0]), sum(int(str(row[i])) for i in now)) for row in rows]
    assert {name.casefold(): n for name, n in sums["Areas"]} == dict(by_area)
    assert dict(sums["Recommendations"]) == dict(by_recommendation)

    document = Document(io.BytesIO(docx.read_bytes()))
    standing_tables = [
        t for t in document.tables if [r.cells[0].text for r in t.rows][1:] == STANDING_LABELS
    ]
    table_sums = [sum(int(r.cells[1].text) for r in t.rows[1:]) for t in standing_tables]
    # The whole plan, then each priority area and each recommendation, as in the workbook.
    expected = [total, *(n for _, n in sums["Areas"]), *(n for _, n in sums["Recommendations"])]
    assert sorted(table_sums) == sorted(expected)
    assert table_sums[0] == total
