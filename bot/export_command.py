"""This module contains the `export` command: what Teams holds now, as a file to re-import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.settings import Settings
from store.db import Database
from store.importers.export import MODELS, export_file
from store.importers.problems import ImportFileError, escape_unprintable
from store.importers.runner import ImportKind
from store.migrate import upgrade_database


def add_export_parser(commands: Any) -> None:
    """Adds `export KIND FILE` to the command line."""
    exporter = commands.add_parser(
        "export",
        help="write the current actions, audits, staff, events, recommendations or areas "
        "as an import file (CSV or XLSX)",
        description="Writes what Teams holds now in the import file's format: exactly its "
        "columns, people by email, dates as YYYY-MM-DD. Edit it and import it back; what "
        "was changed in Teams since is kept (see `import --help`).",
    )
    exporter.add_argument("kind", choices=[kind.value for kind in MODELS], help="which file")
    exporter.add_argument("file", type=Path, help="the .csv or .xlsx file to write")


async def run_export(settings: Settings, args: argparse.Namespace) -> int:
    """Writes the file; prints how many rows, or why it could not."""
    database = Database(settings.database_url)
    try:
        await upgrade_database(database)
        count = await export_file(database, ImportKind(args.kind), args.file)
    except ImportFileError as exc:
        sys.stderr.write(f"inspection-ready: {escape_unprintable(str(exc))}\n")
        return 1
    finally:
        await database.dispose()
    sys.stdout.write(f"{escape_unprintable(str(args.file))}: {count} {args.kind} written\n")
    return 0
