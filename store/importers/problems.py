"""This module contains Problem, one thing wrong with an import file, and ImportRejectedError."""

from __future__ import annotations

from dataclasses import dataclass

from store.errors import StoreError

HEADER_ROW = 1


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One problem at one cell, reported as FILE:ROW:COLUMN: message."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


class ImportRejectedError(StoreError):
    """The file has problems; nothing from it was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) found; nothing was imported")
        self.problems = sorted(problems)


class ImportFileError(StoreError):
    """The file cannot be read at all (missing, wrong type, empty, corrupt)."""
