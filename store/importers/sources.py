"""This module reads an import file, CSV or the first sheet of an XLSX, into text rows."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from store.importers.problems import HEADER_ROW, ImportFileError

SUPPORTED_EXTENSIONS = (".csv", ".xlsx")


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its row number as a spreadsheet shows it, and its cells by column."""

    number: int
    cells: dict[str, str]


@dataclass(frozen=True, slots=True)
class Table:
    """A file's header (as written) and its non-empty data rows."""

    name: str
    header: list[str]
    rows: list[Row]


def read_table(path: Path, display_name: str | None = None) -> Table:
    """Reads `path` by its extension; every cell comes back as stripped text.

    Raises:
        ImportFileError: the file is missing, not CSV or XLSX, unreadable, or has no header.
    """
    name = display_name or str(path)
    extension = path.suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise ImportFileError(f"{name}: not a .csv or .xlsx file")
    if not path.is_file():
        raise ImportFileError(f"{name}: no such file")
    records = _read_csv(path, name) if extension == ".csv" else _read_xlsx(path, name)
    header_cells = next(records, None)
    if header_cells is None or not any(cell for cell in header_cells):
        raise ImportFileError(f"{name}: the file is empty; the first row must name the columns")
    header = [cell.strip() for cell in header_cells]
    rows = []
    for number, cells in enumerate(records, start=HEADER_ROW + 1):
        if not any(cell.strip() for cell in cells):
            continue
        padded = [*cells, *([""] * (len(header) - len(cells)))]
        rows.append(
            Row(
                number,
                {column: value.strip() for column, value in zip(header, padded, strict=False)},
            )
        )
    return Table(name, header, rows)


def _read_csv(path: Path, name: str) -> Any:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page unless told otherwise.
        text = raw.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ImportFileError(f"{name}: this is not a text CSV file")
    return iter(list(csv.reader(io.StringIO(text, newline=""))))


def _read_xlsx(path: Path, name: str) -> Any:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ImportFileError(f"{name}: not a readable .xlsx workbook") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return iter(rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # A date typed into Excel arrives as a datetime at midnight: keep the date.
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
