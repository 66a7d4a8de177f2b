"""This module runs an import: read, validate everything, then write all of it or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from store.importers import (
    action_file,
    area_file,
    audit_file,
    case_file,
    event_file,
    recommendation_file,
    staff_file,
)
from store.importers.deadlines import DeadlineRules
from store.importers.limits import DEFAULT_LIMITS, ImportLimits
from store.importers.merge import Merge
from store.importers.problems import ImportRejectedError, Problem, escape_unprintable
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
    RECOMMENDATIONS = "recommendations"
    AREAS = "areas"
    CASES = "cases"


IMPORTERS: dict[ImportKind, ModuleType] = {
    ImportKind.STAFF: staff_file,
    ImportKind.ACTIONS: action_file,
    ImportKind.AUDITS: audit_file,
    ImportKind.EVENTS: event_file,
    ImportKind.RECOMMENDATIONS: recommendation_file,
    ImportKind.AREAS: area_file,
    ImportKind.CASES: case_file,
}


@dataclass(frozen=True, slots=True)
class MergeOptions:
    """How a re-import treats what was changed in Teams since the last one."""

    # Take the file's value where both the file and Teams changed a field (reported).
    prefer_file: bool = False
    # The zone the reports' dates are given in.
    timezone: tzinfo = UTC


@dataclass(slots=True)
class ImportOutcome:
    """What importing one table did: counts, the merge's reports, rows not in the file."""

    counts: UpsertCounts
    # FILE:ROW:COLUMN: lines for each field where Teams and the file both changed.
    reports: list[Problem] = field(default_factory=list)
    # Stored rows the file does not have; they are kept.
    not_in_file: int = 0


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    file: str
    kind: ImportKind
    counts: UpsertCounts
    dry_run: bool
    reports: tuple[Problem, ...] = ()
    not_in_file: int = 0


async def import_file(
    database: Database,
    kind: ImportKind,
    path: Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
    merging: MergeOptions = MergeOptions(),
    deadlines: DeadlineRules | None = None,
) -> ImportResult:
    """Imports one file in one transaction; a dry run rolls it back.

    Raises:
        ImportFileError: the file cannot be read, or is over one of `limits`.
        ImportRejectedError: the file has problems (all of them listed); nothing is written.
    """
    table = read_table(path, limits=limits)
    async with database.sessions() as session:
        outcome = await import_table(
            session,
            kind,
            table,
            # The log is read in Teams and in exports: the file's name is made safe for both.
            ChangeLog(ChangeSource.IMPORT, actor=f"import of {escape_unprintable(path.name)}"),
            progress=progress,
            merging=merging,
            deadlines=deadlines,
        )
        if dry_run:
            await session.rollback()
        else:
            await session.commit()
    return ImportResult(
        table.name,
        kind,
        outcome.counts,
        dry_run,
        tuple(outcome.reports),
        outcome.not_in_file,
    )


async def import_table(
    session: AsyncSession,
    kind: ImportKind,
    table: Table,
    log: ChangeLog,
    *,
    update_existing: bool = True,
    progress: Progress | None = None,
    merging: MergeOptions = MergeOptions(),
    deadlines: DeadlineRules | None = None,
) -> ImportOutcome:
    """Validates a whole table, then upserts it in the caller's transaction, merged with
    what was changed in Teams since the last import (see store/importers/merge.py).

    Raises:
        ImportRejectedError: with every problem found (rows the file could not be read at
            included); nothing has been written.
    """
    importer = IMPORTERS[kind]
    file_problems = table.problems + check_header(table, importer.COLUMNS)
    if any(p.message == MISSING_COLUMN for p in file_problems):
        # Without a required column every row would only repeat the same complaint.
        raise ImportRejectedError(file_problems)
    # Only the actions file has deadlines to work out.
    extra: dict[str, Any] = {"deadlines": deadlines} if kind is ImportKind.ACTIONS else {}
    if kind is ImportKind.CASES:
        # Only a full import closes the cases it leaves out, so only it is checked for that.
        extra = {
            "today": datetime.now(merging.timezone).date(),
            "prefer_file": merging.prefer_file,
            "closes_missing": update_existing,
        }
    normalised = normalise_header(table)
    records, row_problems = await importer.validate(session, normalised, **extra)
    if file_problems or row_problems:
        raise ImportRejectedError(file_problems + row_problems)
    # An importer merges with Teams when it names the fields it carries (FIELDS); one that
    # does not (a file nobody changes in Teams) is applied as it is.
    fields = getattr(importer, "FIELDS", None)
    merge = (
        await Merge.load(
            session,
            kind=kind.value,
            entity=importer.ENTITY,
            file=table.name,
            columns=fields,
            prefer_file=merging.prefer_file,
            timezone=merging.timezone,
            header=frozenset(normalised.header),
        )
        if fields is not None
        else None
    )
    outcome = await importer.apply(
        session,
        records,
        log,
        update_existing=update_existing,
        progress=progress,
        **({"merge": merge} if merge is not None else {}),
    )
    if merge is not None:
        await merge.save(session)
    await log.write(session)
    await session.flush()
    counts: UpsertCounts = outcome.counts(len(records))
    if merge is None:
        return ImportOutcome(counts)
    return ImportOutcome(counts, merge.reports, len(merge.not_in_file))
