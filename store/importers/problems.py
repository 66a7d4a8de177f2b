"""This module contains Problem, one thing wrong with an import file, and the import errors."""

from __future__ import annotations

from dataclasses import dataclass

from store.errors import StoreError

HEADER_ROW = 1
# The column of a problem that belongs to a whole row rather than to one of its cells.
NO_COLUMN = "-"
# The short escapes repr() uses for the commonest control characters.
SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def escape_unprintable(text: str) -> str:
    """`text` with every character a terminal would act on, or not show, written as an escape.

    Problems and file names are printed to a terminal, and both come from the file (its name,
    its header, its cells). A control character (escape sequences, carriage return, newline),
    a bidirectional override such as U+202E, or another invisible character could recolour the
    output, move the cursor, reorder what is shown or fake extra lines. Such characters become
    `\\x1b`, `\\u202e` and so on, the escapes repr() uses; everything else, backslashes
    in Windows paths included, is left as it is.
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    if char in SHORT_ESCAPES:
        return SHORT_ESCAPES[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One problem at one cell, reported as FILE:ROW:COLUMN: message."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        # The column is a header cell and the message may quote cells: all come from the file.
        return (
            f"{escape_unprintable(self.file)}:{self.row}:"
            f"{escape_unprintable(self.column)}: {escape_unprintable(self.message)}"
        )


class ImportRejectedError(StoreError):
    """The file has problems; nothing from it was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) found; nothing was imported")
        self.problems = sorted(problems)


class ImportFileError(StoreError):
    """The file cannot be read at all (missing, wrong type, empty, corrupt, over a limit).

    The message starts with the file's name, already made safe to print.
    """
