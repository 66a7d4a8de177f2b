"""Checks knowledge files against the schema: `python -m knowledge.check_files [FILE ...]`."""

from __future__ import annotations

import sys
from pathlib import Path

from knowledge.entries import KnowledgeError, load_entries, national_files


def main(argv: list[str]) -> int:
    """Validates the given files (default: every national file) and prints a summary."""
    paths = [Path(a) for a in argv] or national_files()
    try:
        entries = load_entries(paths)
    except KnowledgeError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    sys.stdout.write(f"{len(entries)} entries in {len(paths)} file(s): all valid\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
