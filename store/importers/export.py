"""This module writes the current state of one kind of record as its import file.

Teams is the system of record; a spreadsheet is a way in and out. An export has exactly
the import file's columns, people by email and dates as YYYY-MM-DD, so it can be edited
and imported back: importing it unchanged changes nothing.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from sqlalchemy import select

from store.importers.csv_cells import neutralise
from store.importers.problems import ImportFileError
from store.importers.runner import IMPORTERS, ImportKind
from store.importers.sources import SUPPORTED_EXTENSIONS
from store.importers.upsert import shower
from store.models import (
    Action,
    AuditAssignment,
    Base,
    CalendarEvent,
    PriorityArea,
    Recommendation,
    Staff,
    Team,
)

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from store.db import Database

MODELS: dict[ImportKind, type[Base]] = {
    ImportKind.STAFF: Staff,
    ImportKind.ACTIONS: Action,
    ImportKind.AUDITS: AuditAssignment,
    ImportKind.EVENTS: CalendarEvent,
    ImportKind.RECOMMENDATIONS: Recommendation,
    ImportKind.AREAS: PriorityArea,
}
# Columns written as they are stored, outside the fields a re-import merges.
UNMERGED_COLUMNS = {"aad_object_id": "aad_object_id"}


async def export_file(database: Database, kind: ImportKind, path: Path) -> int:
    """Writes every record of `kind` to `path` (.csv or .xlsx); returns how many.

    Raises:
        ImportFileError: the extension is neither, or the file cannot be written.
    """
    extension = path.suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise ImportFileError(f"{path}: the export must be a .csv or .xlsx file")
    async with database.sessions() as session:
        header, rows = await export_rows(session, kind)
    try:
        if extension == ".csv":
            write_csv(path, header, rows)
        else:
            write_xlsx(path, header, rows)
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be written ({exc.strerror})") from exc
    return len(rows)


async def export_rows(
    session: AsyncSession, kind: ImportKind
) -> tuple[list[str], list[list[str]]]:
    """The import file's header and one row of text per record, in key order."""
    importer = IMPORTERS[kind]
    header = [column.name for column in importer.COLUMNS]
    fields_by_column = {column: name for name, column in importer.FIELDS.items()}
    fields_by_column.update(UNMERGED_COLUMNS)
    shown = shower(await _labels(session))
    records: list[Any] = list((await session.execute(select(MODELS[kind]))).scalars())
    rows = [
        [
            shown(fields_by_column[column], getattr(record, fields_by_column[column])) or ""
            for column in header
        ]
        for record in records
    ]
    return header, sorted(rows)


async def _labels(session: AsyncSession) -> dict[str, dict[Any, str]]:
    """How each reference is written in a file: people by email, teams and refs by name."""
    emails: dict[Any, str] = {
        i: e for i, e in await session.execute(select(Staff.id, Staff.email))
    }
    teams: dict[Any, str] = {i: n for i, n in await session.execute(select(Team.id, Team.name))}
    refs: dict[Any, str] = {
        i: r for i, r in await session.execute(select(Recommendation.id, Recommendation.ref))
    }
    people = {name: emails for name in ("owner_id", "auditor_id", "manager_id", "lead_id")}
    return {**people, "team_id": teams, "recommendation_id": refs}


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    # UTF-8 with a byte-order mark, so that Excel opens names with accents correctly.
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        # Text typed in Teams is never a formula in the coordinator's spreadsheet.
        writer.writerows([neutralise(value) for value in row] for row in rows)


def write_xlsx(path: Path, header: list[str], rows: list[list[str]]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(header)
    for row in rows:
        # Every cell as text: a description starting with "=" is not a formula to run,
        # and a date stays YYYY-MM-DD whatever Excel's locale.
        sheet.append([_text_cell(sheet, value) for value in row])
    workbook.save(path)


def _text_cell(sheet: Any, value: str) -> Cell | None:
    if not value:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    # openpyxl takes a string starting with "=" for a formula; this one is text.
    cell.data_type = "s"
    return cell
