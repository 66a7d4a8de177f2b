"""This module contains ImportLimits, how much an import file may hold, and their checks."""

from __future__ import annotations

from dataclasses import dataclass

from store.importers.problems import ImportFileError

KILOBYTE = 1024
MEGABYTE = 1024 * KILOBYTE
# An XLSX is a zip of XML parts. A workbook holding as many rows as a CSV at the size limit
# unpacks to two or three times that CSV (every cell is wrapped in markup such as
# `<c r="B7" t="s"><v>12</v></c>`, every string in `<si><t>...</t></si>`), so four times the
# limit admits any workbook whose data is within the limits. A zip bomb unpacks to hundreds
# or thousands of times its size and is refused before openpyxl reads a byte of it.
UNPACKED_FACTOR = 4
# The text cells' share of that (xl/sharedStrings.xml), read whole by openpyxl.
SHARED_STRINGS_FACTOR = 2
MAX_MB_SETTING = "INSPECTION_READY_IMPORT_MAX_MB"
MAX_ROWS_SETTING = "INSPECTION_READY_IMPORT_MAX_ROWS"


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """The most an import file may hold: bytes on disk and data rows (the header excluded)."""

    max_bytes: int = 50 * MEGABYTE
    max_rows: int = 100_000

    def __post_init__(self) -> None:
        if self.max_bytes < 1 or self.max_rows < 1:
            raise ValueError(
                f"import limits must be positive (max_bytes={self.max_bytes}, "
                f"max_rows={self.max_rows})"
            )

    @classmethod
    def from_megabytes(cls, megabytes: int, rows: int) -> ImportLimits:
        """The limits as the settings give them (INSPECTION_READY_IMPORT_MAX_MB and _ROWS)."""
        return cls(max_bytes=megabytes * MEGABYTE, max_rows=rows)

    @property
    def max_unpacked_bytes(self) -> int:
        """The most an XLSX may unpack to."""
        return UNPACKED_FACTOR * self.max_bytes


DEFAULT_LIMITS = ImportLimits()


def check_file_size(name: str, size: int, limits: ImportLimits) -> None:
    """Refuses a file larger than the limit.

    Raises:
        ImportFileError: `name: the file is 62.3 MB; the limit is 50 MB (...)`.
    """
    if size > limits.max_bytes:
        raise ImportFileError(
            f"{name}: the file is {describe_size(size, round_up=True)}; the limit is "
            f"{describe_size(limits.max_bytes)} ({MAX_MB_SETTING})"
        )


def check_shared_strings(name: str, size: int, limits: ImportLimits) -> None:
    """Refuses a workbook whose table of text cells unpacks to more than twice the limit.

    openpyxl reads that table whole before the first row, and it costs far more memory
    than its size (millions of one-letter strings in a few hundred KB zipped): the rows a
    file may hold never need more than this.

    Raises:
        ImportFileError: the shared strings are too large.
    """
    most = SHARED_STRINGS_FACTOR * limits.max_bytes
    if size > most:
        raise ImportFileError(
            f"{name}: the workbook's text unpacks to {describe_size(size, round_up=True)}; the "
            f"limit is {describe_size(most)} ({SHARED_STRINGS_FACTOR} times {MAX_MB_SETTING})"
        )


def check_unpacked_size(name: str, size: int, limits: ImportLimits) -> None:
    """Refuses a workbook whose parts, unpacked, are larger than UNPACKED_FACTOR times the limit.

    Raises:
        ImportFileError: the workbook unpacks to too much.
    """
    if size > limits.max_unpacked_bytes:
        raise ImportFileError(
            f"{name}: the workbook unpacks to {describe_size(size, round_up=True)}; the limit "
            f"is {describe_size(limits.max_unpacked_bytes)} ({UNPACKED_FACTOR} times "
            f"{MAX_MB_SETTING})"
        )


def too_many_rows(name: str, limits: ImportLimits) -> ImportFileError:
    """The error for a file with more data rows than the limit (it has not been read further)."""
    return ImportFileError(
        f"{name}: the file has more than {limits.max_rows:,} data rows; the limit is "
        f"{limits.max_rows:,} ({MAX_ROWS_SETTING})"
    )


def describe_size(size: int, *, round_up: bool = False) -> str:
    """A size as people read it: `62.3 MB`, `50 MB`, `2 KB`, `900 bytes` (one decimal at most).

    A file's size is rounded up and a limit down, so a file just over the limit never reads
    as the same size as the limit.
    """
    for unit, scale in (("MB", MEGABYTE), ("KB", KILOBYTE)):
        if size >= scale:
            tenths = -(-size * 10 // scale) if round_up else size * 10 // scale
            whole, tenth = divmod(tenths, 10)
            return f"{whole}.{tenth} {unit}" if tenth else f"{whole} {unit}"
    return f"{size} bytes"
