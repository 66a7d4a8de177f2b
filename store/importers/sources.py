"""This module reads an import file, CSV or the first sheet of an XLSX, into text rows."""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import zipfile
import zlib
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree as defused_tree
from openpyxl import load_workbook
from openpyxl import xml as openpyxl_xml
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHARED_STRINGS

from store.importers.csv_cells import restore
from store.importers.limits import (
    DEFAULT_LIMITS,
    SHARED_STRINGS_FACTOR,
    ImportLimits,
    check_file_size,
    check_shared_strings,
    check_unpacked_size,
    too_many_rows,
)
from store.importers.problems import (
    HEADER_ROW,
    NO_COLUMN,
    ImportFileError,
    Problem,
    escape_unprintable,
)

SUPPORTED_EXTENSIONS = (".csv", ".xlsx")
# A workbook's list of part types is a few kilobytes.
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

# The widest import file has eight columns, and a column the importer does not know is a
# problem anyway; a wider header is not an import file. Every row is read only as wide as
# the header, so this also bounds the work a row can cause.
MAX_COLUMNS = 50
# Excel's last row. openpyxl yields an empty row for every row number a sheet skips, so a
# row numbered in the billions would otherwise keep it busy for hours.
EXCEL_MAX_ROWS = 1_048_576
# An XML document type or entity declaration, in any case, with any spacing.
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# What openpyxl raises on a corrupt workbook, a hostile one (defusedxml's refusals of entity
# declarations are ValueErrors) or XML that does not parse.
UNREADABLE_WORKBOOK = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    IndexError,
    KeyError,
    OSError,
    ParseError,
    ValueError,
)

Record = Sequence[object]


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its row number as a spreadsheet shows it, and its cells by column.

    Only the row's non-empty cells under a named column are kept: read a cell with
    `cells.get(column, "")`.
    """

    number: int
    cells: dict[str, str]


@dataclass(frozen=True, slots=True)
class Table:
    """A file's header (as written), its non-empty data rows, and rows it could not read."""

    name: str
    header: list[str]
    rows: list[Row]
    problems: list[Problem] = field(default_factory=list)


def read_table(
    path: Path, display_name: str | None = None, limits: ImportLimits = DEFAULT_LIMITS
) -> Table:
    """Reads `path` by its extension; every cell comes back as stripped text.

    A CSV row that cannot be parsed becomes one of the table's problems, at its row. The
    table's name is safe to print (see `escape_unprintable`).

    Raises:
        ImportFileError: the file is missing, not CSV or XLSX, unreadable, has no header, or
            is over one of `limits`.
    """
    name = escape_unprintable(display_name or str(path))
    extension = path.suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise ImportFileError(f"{name}: not a .csv or .xlsx file")
    if not path.is_file():
        raise ImportFileError(f"{name}: no such file")
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ImportFileError(f"{name}: cannot be opened ({exc.strerror})") from exc
    with handle:
        # One open file throughout, so the file whose size was checked is the file read.
        check_file_size(name, os.fstat(handle.fileno()).st_size, limits)
        problems: list[Problem] = []
        records = (
            _csv_records(handle, name, limits, problems)
            if extension == ".csv"
            else _xlsx_records(handle, name, limits)
        )
        # Closing the generator closes the workbook when reading stops early.
        with closing(records):
            return _collect(name, records, limits, problems)


def _collect(
    name: str, records: Iterator[Record], limits: ImportLimits, problems: list[Problem]
) -> Table:
    header_cells = next(records, None)
    header = [_cell_text(value).strip() for value in header_cells or ()]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise ImportFileError(f"{name}: the file is empty; the first row must name the columns")
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(
            f"{name}: the first row has more than {MAX_COLUMNS} columns; it must name only "
            "the file's columns"
        )
    rows = []
    for number, record in enumerate(records, start=HEADER_ROW + 1):
        if _blank(record):
            continue
        cells = {}
        for column, value in zip(header, record, strict=False):
            text = _cell_text(value).strip()
            if column and text:
                cells[column] = text
        beyond = sum(1 for value in record[len(header) :] if _cell_text(value).strip())
        if beyond:
            # Values with no column name would be dropped without a word: say so instead.
            problems.append(
                Problem(name, number, NO_COLUMN, f"{beyond} value(s) past the last named column")
            )
        rows.append(Row(number, cells))
        # Checked as each row is added, so a file over the limit is not read to its end.
        if len(rows) > limits.max_rows:
            raise too_many_rows(name, limits)
    return Table(name, header, rows, problems)


def _blank(record: Record) -> bool:
    # Most blank rows of a workbook are all None: counting them is quick.
    if record.count(None) == len(record):
        return True
    return not any(_cell_text(value).strip() for value in record)


def _csv_records(
    handle: BinaryIO, name: str, limits: ImportLimits, problems: list[Problem]
) -> Generator[Record, None, None]:
    # Never more than one byte past the limit, whatever the size on disk said.
    raw = handle.read(limits.max_bytes + 1)
    check_file_size(name, len(raw), limits)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page unless told otherwise.
        text = raw.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ImportFileError(f"{name}: this is not a text CSV file")
    # strict: a quote left open would otherwise swallow the rest of the file into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    for number in itertools.count(HEADER_ROW):
        try:
            record: list[str] = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # E.g. a cell longer than csv.field_size_limit(). The reader goes on at the next
            # line, so every such row is reported, not just the first.
            if number == HEADER_ROW:
                raise ImportFileError(
                    f"{name}: the first row is not readable as CSV ({exc})"
                ) from exc
            problems.append(Problem(name, number, NO_COLUMN, f"not readable as CSV ({exc})"))
            record = []  # an empty record keeps the rows after it numbered as they are
        # An export's guard against formulas comes off (see csv_cells).
        yield [restore(cell) for cell in record]


def _shared_strings_size(archive: zipfile.ZipFile) -> int:
    """The unpacked size of the shared-strings parts, found as openpyxl finds them.

    openpyxl reads the part that [Content_Types].xml names, whatever it is called; so does
    this check. The content types are read with defusedxml and only up to a size no real
    workbook's reaches.
    """
    try:
        types = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return 0
    if types.file_size > MAX_CONTENT_TYPES_BYTES:
        return types.file_size * SHARED_STRINGS_FACTOR
    root = defused_tree.fromstring(archive.read(types))
    parts = {
        str(override.get("PartName", "")).lstrip("/")
        for override in root.iter()
        if override.get("ContentType") == SHARED_STRINGS
    }
    sizes = {item.filename: item.file_size for item in archive.infolist()}
    return sum(sizes.get(part, 0) for part in parts)


def _refuse_declarations(archive: zipfile.ZipFile, name: str) -> None:
    """Refuses a workbook any of whose parts declares a DTD or entities.

    openpyxl parses with defusedxml, which refuses them, only where lxml is not installed;
    python-docx brings lxml, and lxml expands internal entities. No workbook Excel writes
    has a DOCTYPE, so one anywhere is refused before any parser sees it. NUL bytes are
    dropped first, so a part in UTF-16 or UTF-32 cannot hide its declarations.
    """
    for item in archive.infolist():
        if _DECLARATION.search(archive.read(item).replace(b"\x00", b"")):
            raise ImportFileError(
                f"{name}: not a readable .xlsx workbook (it declares XML entities, which no "
                "spreadsheet needs)"
            )


def _xlsx_records(
    handle: BinaryIO, name: str, limits: ImportLimits
) -> Generator[Record, None, None]:
    if not openpyxl_xml.DEFUSEDXML:
        # OPENPYXL_DEFUSEDXML=False in the environment would switch the protection off
        # silently; an untrusted workbook is then not read at all.
        raise ImportFileError(
            f"{name}: workbooks cannot be read safely here: defusedxml is missing or "
            "OPENPYXL_DEFUSEDXML is set to something other than True"
        )
    try:
        with zipfile.ZipFile(handle) as archive:
            # zipfile never returns more than a member's declared size, so the declared
            # sizes bound what openpyxl can unpack.
            check_unpacked_size(name, sum(item.file_size for item in archive.infolist()), limits)
            check_shared_strings(name, _shared_strings_size(archive), limits)
            _refuse_declarations(archive, name)
        handle.seek(0)
        # Declarations were refused above; openpyxl also parses with defusedxml where
        # lxml is absent ("billion laughs").
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except UNREADABLE_WORKBOOK as exc:
        raise ImportFileError(f"{name}: not a readable .xlsx workbook") from exc
    try:
        sheet = workbook.worksheets[0]
        if not isinstance(sheet, ReadOnlyWorksheet):
            raise ImportFileError(f"{name}: not a readable .xlsx workbook")
        # The sheet's own <dimension> is not trusted: openpyxl would stop after the last row
        # it claims and pad rows to the width it claims. Rows are read as wide as the header
        # may be, and no wider.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        for number, values in enumerate(rows, start=HEADER_ROW):
            if number > EXCEL_MAX_ROWS:
                raise ImportFileError(
                    f"{name}: not a readable .xlsx workbook (it has rows past row "
                    f"{EXCEL_MAX_ROWS:,}, Excel's last)"
                )
            yield values
    except UNREADABLE_WORKBOOK as exc:
        raise ImportFileError(f"{name}: not a readable .xlsx workbook") from exc
    finally:
        workbook.close()


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
