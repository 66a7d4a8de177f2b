"""Exports: exactly the import columns, dates as YYYY-MM-DD, and a round trip changes nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from demo.loader import DEMO_ANCHOR, load_demo
from store.db import Database
from store.importers.export import MODELS, export_file
from store.importers.problems import ImportFileError
from store.importers.runner import IMPORTERS, ImportKind
from store.importers.upsert import UpsertCounts
from store.models import Action
from tests.importing import row_counts, run

KINDS = list(MODELS)
DEMO_ROWS = {
    ImportKind.STAFF: 30,
    ImportKind.ACTIONS: 43,
    ImportKind.AUDITS: 60,
    ImportKind.EVENTS: 12,
    ImportKind.RECOMMENDATIONS: 8,
    ImportKind.AREAS: 9,
}


async def demo(database: Database) -> None:
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)


def read_back(path: Path) -> list[list[str]]:
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return list(csv.reader(handle))
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    rows = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return rows


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("kind", KINDS)
async def test_exporting_then_importing_unchanged_reports_nothing_updated(
    database: Database, tmp_path: Path, kind: ImportKind, suffix: str
) -> None:
    await demo(database)
    path = tmp_path / f"{kind}{suffix}"

    assert await export_file(database, kind, path) == DEMO_ROWS[kind]
    before = await row_counts(database)
    result = await run(database, kind, path)

    assert result.counts == UpsertCounts(unchanged=DEMO_ROWS[kind])
    assert (result.reports, result.not_in_file) == ((), 0)
    # Nothing written, not even to the audit log.
    assert await row_counts(database) == before


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("kind", KINDS)
async def test_an_export_has_exactly_the_import_columns(
    database: Database, tmp_path: Path, kind: ImportKind, suffix: str
) -> None:
    await demo(database)
    path = tmp_path / f"{kind}{suffix}"
    await export_file(database, kind, path)

    header, *rows = read_back(path)

    assert header == [column.name for column in IMPORTERS[kind].COLUMNS]
    assert len(rows) == DEMO_ROWS[kind]


async def test_actions_export_people_by_email_dates_iso_and_the_recommendation_ref(
    database: Database, tmp_path: Path
) -> None:
    await demo(database)
    path = tmp_path / "actions.csv"
    await export_file(database, ImportKind.ACTIONS, path)

    rows = {row[0]: row for row in read_back(path)[1:]}

    assert rows["PA1.3"] == [
        "PA1.3",
        "Management oversight and supervision",
        "Run a monthly half-day leadership session for team managers on oversight, "
        "challenge and grip.",
        "rachelo@example.com",
        "2026-10-30",
        "complete",
        "Attendance list and session evaluations",
        "R1",
    ]
    assert rows["PA9.1"][-1] == ""


async def test_an_xlsx_export_keeps_text_that_looks_like_a_formula_as_text(
    database: Database, tmp_path: Path
) -> None:
    await demo(database)
    async with database.sessions() as session, session.begin():
        await session.execute(
            update(Action).where(Action.ref == "PA1.1").values(description="=HYPERLINK(1)")
        )
    path = tmp_path / "actions.xlsx"
    await export_file(database, ImportKind.ACTIONS, path)

    workbook = load_workbook(path)
    [cell] = [c for row in workbook.worksheets[0].iter_rows() for c in row if c.row == 2][2:3]
    workbook.close()

    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


async def test_a_csv_export_guards_formulas_and_its_round_trip_still_changes_nothing(
    database: Database, tmp_path: Path
) -> None:
    await demo(database)
    typed = {"PA1.1": "=HYPERLINK(1)", "PA1.2": "- first, the audit", "PA2.1": "@SUM(A1)"}
    # Imported from a file, so that the file's value is also the last one imported.
    path = tmp_path / "actions.csv"
    await export_file(database, ImportKind.ACTIONS, path)
    rows = read_back(path)
    for row in rows[1:]:
        row[2] = typed.get(row[0], row[2])
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows(rows)
    assert (await run(database, ImportKind.ACTIONS, path)).counts.updated == len(typed)

    await export_file(database, ImportKind.ACTIONS, path)
    cells = {row[0]: row[2] for row in read_back(path)[1:]}
    # A spreadsheet shows each as text, never runs it.
    assert {ref: cells[ref] for ref in typed} == {ref: f"'{text}" for ref, text in typed.items()}
    result = await run(database, ImportKind.ACTIONS, path)

    assert result.counts == UpsertCounts(unchanged=DEMO_ROWS[ImportKind.ACTIONS])
    assert result.reports == ()
    async with database.sessions() as session:
        stored = await session.execute(select(Action.ref, Action.description))
        assert {ref: text for ref, text in stored if ref in typed} == typed


async def test_an_export_to_another_kind_of_file_is_refused(
    database: Database, tmp_path: Path
) -> None:
    with pytest.raises(ImportFileError, match="must be a .csv or .xlsx file"):
        await export_file(database, ImportKind.ACTIONS, tmp_path / "actions.txt")
    assert not (tmp_path / "actions.txt").exists()
