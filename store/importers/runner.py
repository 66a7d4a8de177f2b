"""This module runs an import: read, validate everything, then write all of it or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from store.importers import action_file, audit_file, case_file, event_file, staff_file
from store.importers.limits import DEFAULT_LIMITS, ImportLimits
from store.importers.problems import ImportRejectedError, escape_unprintable
from store.importers.sources import Table, read_table
from store.importers.upsert import ChangeLog, Progress, UpsertCounts
from store.importers.validation import MISSING_COLUMN, check_header, normalise_header
from store.models import ChangeSource

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from store.db import Database


class ImportKind(StrEnum):
    """The organisation files."""

    STAFF = "staff"
    ACTIONS = "actions"
    AUDITS = "audits"
    EVENTS = "events"
    CASES = "cases"


IMPORTERS: dict[ImportKind, ModuleType] = {
    ImportKind.STAFF: staff_file,
    ImportKind.ACTIONS: action_file,
    ImportKind.AUDITS: audit_file,
    ImportKind.EVENTS: event_file,
    ImportKind.CASES: case_file,
}


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    file: str
    kind: ImportKind
    counts: UpsertCounts
    dry_run: bool


async def import_file(
    database: Database,
    kind: ImportKind,
    path: Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
) -> ImportResult:
    """Imports one file in one transaction; a dry run rolls it back.

    Raises:
        ImportFileError: the file cannot be read, or is over one of `limits`.
        ImportRejectedError: the file has problems (all of them listed); nothing is written.
    """
    table = read_table(path, limits=limits)
    async with database.sessions() as session:
        counts = await import_table(
            session,
            kind,
            table,
            # The log is read in Teams and in exports: the file's name is made safe for both.
            ChangeLog(ChangeSource.IMPORT, actor=f"import of {escape_unprintable(path.name)}"),
            progress=progress,
        )
        if dry_run:
            await session.rollback()
        else:
            await session.commit()
    return ImportResult(table.name, kind, counts, dry_run)


async def import_table(
    session: AsyncSession,
    kind: ImportKind,
    table: Table,
    log: ChangeLog,
    *,
    update_existing: bool = True,
    progress: Progress | None = None,
) -> UpsertCounts:
    """Validates a whole table, then upserts it in the caller's transaction.

    Raises:
        ImportRejectedError: with every problem found (rows the file could not be read at
            included); nothing has been written.
    """
    importer = IMPORTERS[kind]
    file_problems = table.problems + check_header(table, importer.COLUMNS)
    if any(p.message == MISSING_COLUMN for p in file_problems):
        # Without a required column every row would only repeat the same complaint.
        raise ImportRejectedError(file_problems)
    records, row_problems = await importer.validate(session, normalise_header(table))
    if file_problems or row_problems:
        raise ImportRejectedError(file_problems + row_problems)
    outcome = await importer.apply(
        session, records, log, update_existing=update_existing, progress=progress
    )
    await log.write(session)
    await session.flush()
    counts: UpsertCounts = outcome.counts(len(records))
    return counts
