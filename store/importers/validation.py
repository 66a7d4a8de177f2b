"""This module checks headers and cells, collecting every problem instead of stopping."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from store.importers.fields import (
    FieldError,
    parse_choice,
    parse_date,
    parse_email,
    parse_guid,
    parse_uk_mobile,
)
from store.importers.problems import HEADER_ROW, Problem, escape_unprintable
from store.importers.sources import Row, Table

Choice = TypeVar("Choice", bound=StrEnum)
Parsed = TypeVar("Parsed")

MISSING_COLUMN = "required column is missing"
# A case reference is a code: letters, digits and separators, with at least one digit.
# Anything else (a name, a sentence) is refused so no child's name reaches the database.
CASE_REFERENCE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9/._-]*$")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an import file."""

    name: str
    required: bool = True


def check_header(table: Table, columns: tuple[Column, ...]) -> list[Problem]:
    """Unknown, repeated and missing columns; matching ignores case and outer spaces."""
    known = {column.name for column in columns}
    expected = ", ".join(column.name for column in columns)
    problems = []
    seen: set[str] = set()
    for written in table.header:
        name = written.strip().lower()
        if not name:
            continue
        if name not in known:
            problems.append(
                Problem(table.name, HEADER_ROW, written, f"unknown column; expected {expected}")
            )
        elif name in seen:
            problems.append(Problem(table.name, HEADER_ROW, written, "column appears twice"))
        seen.add(name)
    problems.extend(
        Problem(table.name, HEADER_ROW, column.name, MISSING_COLUMN)
        for column in columns
        if column.required and column.name not in seen
    )
    return problems


def normalise_header(table: Table) -> Table:
    """The same table with column names lower-cased and trimmed, as the readers expect."""
    rows = [
        Row(row.number, {name.strip().lower(): value for name, value in row.cells.items()})
        for row in table.rows
    ]
    return Table(table.name, [name.strip().lower() for name in table.header], rows, table.problems)


# C0 and C1 controls other than tab and line breaks (a cell may hold several lines), and the
# bidirectional embeddings, overrides and isolates that reorder what is shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class RowReader:
    """Reads one row's cells by column, recording a Problem for each bad one."""

    def __init__(self, table: Table, row: Row, problems: list[Problem]) -> None:
        self._table = table
        self.row = row
        self._problems = problems
        self._count_before = len(problems)

    @property
    def ok(self) -> bool:
        """Whether this row has had no problems so far."""
        return len(self._problems) == self._count_before

    def problem(self, column: str, message: str) -> None:
        """Records a problem at this row's `column`."""
        self._problems.append(Problem(self._table.name, self.row.number, column, message))

    def text(self, column: str, *, required: bool = True, max_length: int = 200) -> str | None:
        """The cell's text, or None when empty and optional."""
        value = self.row.cells.get(column, "")
        if not value:
            if required:
                self.problem(column, "a value is required")
            return None
        if len(value) > max_length:
            self.problem(column, f"too long ({len(value)} characters; at most {max_length})")
            return None
        hidden = _CONTROL.search(value)
        if hidden is not None:
            # Terminal escapes and bidi overrides have no place in a roster or a plan, and
            # would reach Teams cards and command-line listings from here.
            shown = escape_unprintable(hidden.group())
            self.problem(column, f"contains a control character ({shown}); remove it")
            return None
        return value

    def case_reference(self, column: str) -> str | None:
        """A required case reference (CASE_REFERENCE), never a name."""
        value = self.text(column, max_length=64)
        if value is not None and not CASE_REFERENCE.match(value):
            self.problem(
                column,
                "must be a case reference such as CR-104233 (letters, digits, - / . _ and at "
                "least one digit), never a name",
            )
        return value

    def date(self, column: str) -> date | None:
        """A required date."""
        return self._parsed(column, parse_date)

    def email(self, column: str, *, required: bool = True) -> str | None:
        """An email address, lower-cased."""
        if not required and not self.row.cells.get(column, ""):
            return None
        return self._parsed(column, parse_email)

    def guid(self, column: str) -> str | None:
        """An optional GUID, lower-cased; None when the cell is empty."""
        if not self.row.cells.get(column, ""):
            return None
        return self._parsed(column, parse_guid)

    def mobile(self, column: str) -> str | None:
        """An optional UK mobile number, as +447...; None when the cell is empty."""
        if not self.row.cells.get(column, ""):
            return None
        return self._parsed(column, parse_uk_mobile)

    def choice(
        self, column: str, choices: type[Choice], default: Choice | None = None
    ) -> Choice | None:
        """One of an enum's values; `default` fills an empty cell when given."""
        if default is not None and not self.row.cells.get(column, ""):
            return default
        return self._parsed(column, lambda text: parse_choice(text, choices))

    def _parsed(self, column: str, parse: Callable[[str], Parsed]) -> Parsed | None:
        value = self.text(column, max_length=320)
        if value is None:
            return None
        try:
            return parse(value)
        except FieldError as exc:
            self.problem(column, str(exc))
            return None


def repeated_in_column(
    table: Table, column: str, label: str, key: Callable[[str], str] | None = None
) -> list[Problem]:
    """`duplicate_key_problems` for a file keyed by one column's non-empty cells, each
    cell taken as it is or through `key`."""
    keys = [
        (row, key(row.cells[column]) if key else row.cells[column])
        for row in table.rows
        if row.cells.get(column)
    ]
    return duplicate_key_problems(table, keys, column, label)


def duplicate_key_problems(
    table: Table, keys: list[tuple[Row, str]], column: str, label: str
) -> list[Problem]:
    """A problem for every repeat of a key, pointing at the row that had it first."""
    first_row: dict[str, int] = {}
    problems = []
    for row, key in keys:
        folded = key.lower()
        if folded in first_row:
            problems.append(
                Problem(
                    table.name,
                    row.number,
                    column,
                    f"duplicate {label} {key!r} (first on row {first_row[folded]})",
                )
            )
        else:
            first_row[folded] = row.number
    return problems
