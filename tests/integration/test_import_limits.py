"""Untrusted import files: size, row and unpacked-size limits, hostile XML, names made safe."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import xml as openpyxl_xml

from store.db import Database
from store.importers.limits import DEFAULT_LIMITS, MEGABYTE, ImportLimits, check_file_size
from store.importers.problems import ImportFileError, Problem, escape_unprintable
from store.importers.sources import read_table
from store.importers.upsert import UpsertCounts
from tests.importing import STAFF_HEADER, csv_to_xlsx, problems_of, row_counts, run, write_csv

SMALL = ImportLimits(max_bytes=2048, max_rows=5)
# The smallest workbook openpyxl writes is about 5 KB and unpacks to about 17 KB.
SMALL_FOR_XLSX = ImportLimits(max_bytes=8192, max_rows=5)
SHEET = "xl/worksheets/sheet1.xml"


def staff_rows(count: int) -> str:
    rows = "\n".join(f"p{n}@example.com,Person {n},practitioner,,," for n in range(count))
    return f"{STAFF_HEADER}\n{rows}"


def rewrite_member(
    path: Path, member: str, change: Callable[[str], str], encoding: str = "utf-8"
) -> Path:
    """Rewrites one part of a workbook openpyxl wrote, keeping every other part as it was."""
    with zipfile.ZipFile(path) as source:
        parts = {item.filename: source.read(item) for item in source.infolist()}
    parts[member] = change(parts[member].decode("utf-8")).encode(encoding)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def add_shared_strings(path: Path, table: str) -> None:
    """Gives a workbook a shared-strings part, named in its content types as Excel does."""
    part = "xl/strings-elsewhere.xml"
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(part, table)
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    rewrite_member(
        path,
        "[Content_Types].xml",
        lambda types: types.replace(
            "</Types>", f'<Override PartName="/{part}" ContentType="{kind}"/></Types>'
        ),
    )


def staff_workbook(tmp_path: Path, rows: int) -> Path:
    source = write_csv(tmp_path / "staff-source.csv", staff_rows(rows))
    return csv_to_xlsx(source, tmp_path / "staff.xlsx")


async def assert_refused(
    database: Database, path: Path, message: str, limits: ImportLimits = DEFAULT_LIMITS
) -> None:
    before = await row_counts(database)

    with pytest.raises(ImportFileError) as refusal:
        await run(database, "staff", path, limits=limits)

    assert str(refusal.value) == message
    assert await row_counts(database) == before


def test_limits_default_to_the_settings_defaults_and_come_from_megabytes() -> None:
    assert ImportLimits() == ImportLimits(max_bytes=50 * 1024 * 1024, max_rows=100_000)
    assert ImportLimits.from_megabytes(2, rows=10) == ImportLimits(2 * 1024 * 1024, 10)
    with pytest.raises(ValueError, match="import limits must be positive"):
        ImportLimits.from_megabytes(0, rows=10)
    with pytest.raises(ValueError, match="import limits must be positive"):
        ImportLimits(max_rows=0)


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (
            int(62.3 * MEGABYTE),
            "staff.csv: the file is 62.3 MB; the limit is 50 MB (INSPECTION_READY_IMPORT_MAX_MB)",
        ),
        (
            50 * MEGABYTE + 1,
            "staff.csv: the file is 50.1 MB; the limit is 50 MB (INSPECTION_READY_IMPORT_MAX_MB)",
        ),
    ],
)
def test_the_size_message_never_shows_a_file_over_the_limit_as_its_size(
    size: int, message: str
) -> None:
    with pytest.raises(ImportFileError) as refusal:
        check_file_size("staff.csv", size, DEFAULT_LIMITS)

    assert str(refusal.value) == message


def test_a_file_at_the_limit_is_accepted() -> None:
    check_file_size("staff.csv", DEFAULT_LIMITS.max_bytes, DEFAULT_LIMITS)


async def test_a_csv_over_the_size_limit_is_refused_before_it_is_read(
    database: Database, tmp_path: Path
) -> None:
    # NULs would make it "not a text CSV file" if it were read at all.
    path = tmp_path / "staff.csv"
    path.write_bytes(b"\x00" * 2049)

    await assert_refused(
        database,
        path,
        f"{path}: the file is 2.1 KB; the limit is 2 KB (INSPECTION_READY_IMPORT_MAX_MB)",
        SMALL,
    )


async def test_an_xlsx_over_the_size_limit_is_refused_before_it_is_opened(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "staff.xlsx"
    path.write_bytes(b"not a workbook" * 300)

    await assert_refused(
        database,
        path,
        f"{path}: the file is 4.2 KB; the limit is 2 KB (INSPECTION_READY_IMPORT_MAX_MB)",
        SMALL,
    )


async def test_a_file_of_exactly_the_limit_imports(database: Database, tmp_path: Path) -> None:
    text = staff_rows(2) + "\n"
    path = tmp_path / "staff.csv"
    path.write_text(text, encoding="utf-8")

    result = await run(
        database, "staff", path, limits=ImportLimits(max_bytes=len(text), max_rows=5)
    )

    assert result.counts == UpsertCounts(new=2)


async def test_rows_up_to_the_limit_import_and_blank_rows_do_not_count(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "staff.csv", staff_rows(5) + "\n,,,,,\n\n\n")

    result = await run(database, "staff", path, limits=SMALL)

    assert result.counts == UpsertCounts(new=5)


@pytest.mark.parametrize("extension", [".csv", ".xlsx"])
async def test_one_row_over_the_limit_is_refused(
    database: Database, tmp_path: Path, extension: str
) -> None:
    path = write_csv(tmp_path / "staff.csv", staff_rows(6))
    if extension == ".xlsx":
        path = csv_to_xlsx(path, tmp_path / "staff.xlsx")

    await assert_refused(
        database,
        path,
        f"{path}: the file has more than 5 data rows; the limit is 5 "
        "(INSPECTION_READY_IMPORT_MAX_ROWS)",
        SMALL_FOR_XLSX,
    )


async def test_reading_stops_at_the_row_past_the_limit(database: Database, tmp_path: Path) -> None:
    # After six data rows the sheet jumps to a row past Excel's last. Had the whole sheet
    # been read first, that row would be the complaint; the limit stops reading before it.
    beyond_excel = '<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>x</t></is></c></row>'
    path = rewrite_member(
        staff_workbook(tmp_path, 6),
        SHEET,
        lambda xml: xml.replace("</sheetData>", beyond_excel + "</sheetData>"),
    )

    await assert_refused(
        database,
        path,
        f"{path}: the file has more than 5 data rows; the limit is 5 "
        "(INSPECTION_READY_IMPORT_MAX_ROWS)",
        SMALL_FOR_XLSX,
    )
    await assert_refused(
        database,
        path,
        f"{path}: not a readable .xlsx workbook (it has rows past row 1,048,576, Excel's last)",
        ImportLimits(max_bytes=8192, max_rows=10),
    )


@pytest.mark.parametrize("claimed", ["A1:XFD1048576", "A1:B2"])
def test_a_workbook_is_read_as_the_rows_it_has_whatever_size_it_claims(
    tmp_path: Path, claimed: str
) -> None:
    # The sheet's own dimension is ignored: rows are neither padded to a width it claims
    # nor cut off after the last row it claims.
    path = rewrite_member(
        staff_workbook(tmp_path, 2),
        SHEET,
        # openpyxl writes the element with or without a space before "/>" (lxml or not).
        lambda xml: re.sub(r'<dimension ref="A1:F3" ?/>', f'<dimension ref="{claimed}"/>', xml),
    )
    with zipfile.ZipFile(path) as archive:
        assert f'<dimension ref="{claimed}"/>'.encode() in archive.read(SHEET)

    table = read_table(path, limits=SMALL_FOR_XLSX)

    assert [row.number for row in table.rows] == [2, 3]
    assert table.header == STAFF_HEADER.split(",")


@pytest.mark.parametrize("extension", [".csv", ".xlsx"])
async def test_a_header_wider_than_any_import_file_is_refused(
    database: Database, tmp_path: Path, extension: str
) -> None:
    header = ",".join(f"c{n}" for n in range(51))
    path = write_csv(tmp_path / "wide.csv", f"{header}\n" + "x," * 51)
    if extension == ".xlsx":
        path = csv_to_xlsx(path, tmp_path / "wide.xlsx")

    await assert_refused(
        database,
        path,
        f"{path}: the first row has more than 50 columns; it must name only the file's columns",
    )


async def test_a_workbook_that_unpacks_to_far_more_than_the_limit_is_refused(
    database: Database, tmp_path: Path
) -> None:
    path = staff_workbook(tmp_path, 2)
    # A megabyte of zeros compresses to about a kilobyte: the file stays under the limit.
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(MEGABYTE))
    assert path.stat().st_size < SMALL_FOR_XLSX.max_bytes

    await assert_refused(
        database,
        path,
        f"{path}: the workbook unpacks to 1.1 MB; the limit is 32 KB "
        "(4 times INSPECTION_READY_IMPORT_MAX_MB)",
        SMALL_FOR_XLSX,
    )


async def test_a_workbook_of_millions_of_tiny_strings_is_refused_before_they_are_read(
    database: Database, tmp_path: Path
) -> None:
    path = staff_workbook(tmp_path, 2)
    limits = ImportLimits(max_bytes=16 * 1024, max_rows=5)
    strings = "".join(f"<si><t>{n % 10}</t></si>" for n in range(2500))
    table = (
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>'
    )
    add_shared_strings(path, table)
    assert path.stat().st_size < limits.max_bytes

    await assert_refused(
        database,
        path,
        f"{path}: the workbook's text unpacks to 41.6 KB; the limit is 32 KB "
        "(2 times INSPECTION_READY_IMPORT_MAX_MB)",
        limits,
    )


async def test_a_workbook_within_the_unpacked_limit_imports(
    database: Database, tmp_path: Path
) -> None:
    result = await run(database, "staff", staff_workbook(tmp_path, 2), limits=SMALL_FOR_XLSX)

    assert result.counts == UpsertCounts(new=2)


DECLARES_ENTITIES = (
    "not a readable .xlsx workbook (it declares XML entities, which no spreadsheet needs)"
)


def entity_declarations(levels: int) -> str:
    """A DOCTYPE whose last entity expands to 10**levels copies of "lol"."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels + 1)
    ]
    return "<!DOCTYPE lolz [" + "".join(entities) + "]>"


def with_entities(root: str, original: str, hostile: str, levels: int) -> Callable[[str], str]:
    """Declares the entities before `root` and puts the biggest one where `original` was."""

    def change(xml: str) -> str:
        xml = xml.replace(original, hostile.format(entity=f"&lol{levels};"), 1)
        start = xml.index(f"<{root}")
        return xml[:start] + entity_declarations(levels) + xml[start:]

    return change


@pytest.mark.parametrize(
    ("member", "root", "original", "hostile", "levels"),
    [
        # The classic "billion laughs": 10**9 copies, gigabytes once expanded.
        (SHEET, "worksheet", "<t>email</t>", "<t>{entity}</t>", 9),
        # Small enough that a plain XML parser would expand it: the refusal comes from
        # defusedxml, not from the parser's own limit on expansion.
        (SHEET, "worksheet", "<t>email</t>", "<t>{entity}</t>", 3),
        ("xl/workbook.xml", "workbook", 'name="Sheet"', 'name="{entity}"', 3),
    ],
)
async def test_a_workbook_with_entity_declarations_is_refused_not_expanded(
    database: Database,
    tmp_path: Path,
    member: str,
    root: str,
    original: str,
    hostile: str,
    levels: int,
) -> None:
    change = with_entities(root, original, hostile, levels)
    path = rewrite_member(staff_workbook(tmp_path, 1), member, change)
    if levels == 3:
        # Proof the file is hostile as built: a parser without defusedxml expands it.
        with zipfile.ZipFile(path) as archive:
            parsed = ElementTree.tostring(ElementTree.fromstring(archive.read(member)))
        assert b"lol" * 1000 in parsed

    await assert_refused(database, path, f"{path}: {DECLARES_ENTITIES}")


async def test_entity_declarations_in_a_utf16_part_are_refused_too(
    database: Database, tmp_path: Path
) -> None:
    # An XML part may be in UTF-16, where the declaration's bytes are interleaved with NULs.
    declare = with_entities("workbook", 'name="Sheet"', 'name="{entity}"', 3)

    def utf16(xml: str) -> str:
        return declare(xml).replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)

    path = rewrite_member(staff_workbook(tmp_path, 1), "xl/workbook.xml", utf16, "utf-16")
    with zipfile.ZipFile(path) as archive:
        assert b"<!DOCTYPE" not in archive.read("xl/workbook.xml")

    await assert_refused(database, path, f"{path}: {DECLARES_ENTITIES}")


async def test_csv_rows_that_cannot_be_parsed_are_problems_at_their_rows(
    database: Database, tmp_path: Path
) -> None:
    too_long = "x" * (csv.field_size_limit() + 1)
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{STAFF_HEADER}
a@example.com,A,practitioner,,,
b@example.com,"{too_long}",practitioner,,,
c@example.com,C,director,,,
d@example.com,D,practitioner,,,{too_long}
""",
    )

    assert await problems_of(database, "staff", path) == [
        f"{path}:3:-: not readable as CSV (field larger than field limit (131072))",
        f"{path}:4:role: unknown value 'director'; use one of: practitioner, manager, "
        "coordinator, admin, viewer",
        f"{path}:5:-: not readable as CSV (field larger than field limit (131072))",
    ]


async def test_a_header_that_cannot_be_parsed_is_refused(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "staff.csv", "x" * (csv.field_size_limit() + 1) + "\n")

    await assert_refused(
        database,
        path,
        f"{path}: the first row is not readable as CSV (field larger than field limit (131072))",
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"),
        ("fake\rline", "fake\\rline"),
        ("one\ntwo", "one\\ntwo"),
        ("tab\there", "tab\\there"),
        ("bell\x07 del\x7f", "bell\\x07 del\\x7f"),
        ("\x9b31m C1 CSI", "\\x9b31m C1 CSI"),
        ("invoice\u202excod.csv", "invoice\\u202excod.csv"),
        ("\u2066isolate\u2069 \u200bzero-width", "\\u2066isolate\\u2069 \\u200bzero-width"),
        ("line\u2028separator", "line\\u2028separator"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("bad-bytes-\udcff.csv", "bad-bytes-\\udcff.csv"),
        ("C:\\Users\\Zoë Ångström\\staff 👍.csv", "C:\\Users\\Zoë Ångström\\staff 👍.csv"),
    ],
)
def test_unprintable_characters_are_shown_as_escapes(text: str, shown: str) -> None:
    assert escape_unprintable(text) == shown
    assert escape_unprintable(shown) == shown


def test_a_problem_prints_on_one_line_whatever_its_parts_hold() -> None:
    problem = Problem("evil\x1b]0;owned\x07.csv", 2, "RAG\r", "unknown value 'x\n2:ok: fine'")

    assert str(problem) == "evil\\x1b]0;owned\\x07.csv:2:RAG\\r: unknown value 'x\\n2:ok: fine'"


async def test_hostile_file_names_header_and_cells_are_printed_safely(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "staff\x1b[2J\u202evsc.csv",
        f"""
{STAFF_HEADER},\x1b[31mRAG
a\u202e@example.com,A,practitioner,,,,
"b@example.com","B",practitioner,,"boss@example.com\r\n3:email: all fine",,
""",
    )
    shown = escape_unprintable(str(path))
    assert shown.endswith("/staff\\x1b[2J\\u202evsc.csv")

    problems = await problems_of(database, "staff", path)

    assert problems == [
        f"{shown}:1:\\x1b[31mRAG: unknown column; expected email, name, role, team, "
        "manager_email, inspection_role, aad_object_id, mobile",
        f"{shown}:2:email: contains a control character (\\u202e); remove it",
        f"{shown}:3:manager_email: not an email address: "
        "'boss@example.com\\r\\n3:email: all fine'",
    ]
    assert all(problem.isprintable() for problem in problems)


async def test_a_hostile_file_name_is_printed_safely_when_the_file_is_refused(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "plan\x1b[8m\r.txt"
    path.write_text("ref\n", encoding="utf-8")

    await assert_refused(
        database, path, f"{tmp_path}/plan\\x1b[8m\\r.txt: not a .csv or .xlsx file"
    )


def test_workbooks_are_refused_when_defusedxml_is_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = csv_to_xlsx(write_csv(tmp_path / "staff.csv", STAFF_HEADER), tmp_path / "staff.xlsx")
    # What OPENPYXL_DEFUSEDXML=False in the environment does when openpyxl is imported.
    monkeypatch.setattr(openpyxl_xml, "DEFUSEDXML", False)

    with pytest.raises(ImportFileError, match="cannot be read safely here"):
        read_table(path)


async def test_control_characters_in_any_cell_are_refused(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{STAFF_HEADER}
a@example.com,\x1b]0;PWNED\x07Evil Name,practitioner,,,
b@example.com,B,practitioner,Team\u202egnimoc,,
c@example.com,"Two
lines",practitioner,,,
""",
    )

    problems = await problems_of(database, "staff", path)

    assert problems == [
        f"{path}:2:name: contains a control character (\\x1b); remove it",
        f"{path}:3:team: contains a control character (\\u202e); remove it",
    ]
    # Nothing was written: every table is still empty.
    assert set((await row_counts(database)).values()) == {0}


async def test_a_quote_left_open_is_a_problem_not_a_swallowed_file(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{STAFF_HEADER}
a@example.com,"A,practitioner,,,
b@example.com,B,practitioner,,,
""",
    )

    problems = await problems_of(database, "staff", path)

    assert any(":2:-: not readable as CSV (unexpected end of data)" in p for p in problems)
    assert set((await row_counts(database)).values()) == {0}


async def test_values_past_the_last_named_column_are_reported(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{STAFF_HEADER}
a@example.com,A,practitioner,,,,,,
b@example.com,B,practitioner,,,,,oops,more
""",
    )

    problems = await problems_of(database, "staff", path)

    assert problems == [f"{path}:3:-: 2 value(s) past the last named column"]
