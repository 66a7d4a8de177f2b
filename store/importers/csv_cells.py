"""This module keeps spreadsheet formulas out of the CSV files the service writes, and takes
its own guard off again when such a file comes back to be imported.

Excel, LibreOffice and Google Sheets run a cell that starts with "=", "+", "-", "@" or a
control character as a formula, even after spaces ("CSV injection"). A description someone
typed in Teams must never become one on a coordinator's machine. The usual guard is a
leading apostrophe, which spreadsheets show as text; an import takes off exactly that
apostrophe, so an export imported unchanged still changes nothing.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
GUARD = "'"


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs: the guard before a formula."""
    return f"{GUARD}{value}" if value.lstrip(" ").startswith(FORMULA_STARTS) else value


def restore(value: str) -> str:
    """A cell as it was before `neutralise`: the guard comes off only where it was put."""
    if value.startswith(GUARD) and value[1:].lstrip(" ").startswith(FORMULA_STARTS):
        return value[1:]
    return value
