"""This module applies validated rows by key, writing each change to the audit log."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.importers.merge import Keyed, Merge, Shown, label
from store.importers.references import StaffDirectory
from store.models import Action, AuditAssignment, AuditLogEntry, Base, ChangeSource, utc_now

Progress = Callable[[int, int], None]
# How many rows are written between progress reports (and flushes).
BATCH_SIZE = 500


@dataclass(slots=True)
class UpsertCounts:
    """What an import did, as the person running it reads it."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    # Records the file left out and the import therefore closed (the cases file only).
    closed: int = 0


@dataclass(slots=True)
class Outcome:
    """Which keys an upsert created and which it changed."""

    created: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    closed: set[str] = field(default_factory=set)

    def merge(self, other: Outcome) -> None:
        self.created |= other.created
        self.changed |= other.changed
        self.closed |= other.closed

    def counts(self, total: int) -> UpsertCounts:
        updated = len(self.changed - self.created)
        return UpsertCounts(
            new=len(self.created),
            updated=updated,
            unchanged=total - len(self.created) - updated,
            closed=len(self.closed),
        )


@dataclass(slots=True)
class ChangeLog:
    """Collects audit-log entries for one import (or one bot action) and adds them at once."""

    source: ChangeSource
    actor: str
    # One timestamp for the whole import: its changes happened together.
    at: datetime = field(default_factory=utc_now)
    entries: list[dict[str, Any]] = field(default_factory=list)

    def created(self, entity: str, key: str) -> None:
        self.changed(entity, key, None, None, None)

    def changed(
        self, entity: str, key: str, name: str | None, old: str | None, new: str | None
    ) -> None:
        """Records one changed field (`name` None: the record was created)."""
        self.entries.append(
            {
                "occurred_at": self.at,
                "source": self.source,
                "actor": self.actor,
                "entity": entity,
                "entity_key": key,
                "field": label(name) if name else None,
                "old_value": old,
                "new_value": new,
            }
        )

    async def write(self, session: AsyncSession) -> None:
        """Inserts the collected entries in bulk."""
        if self.entries:
            await session.execute(insert(AuditLogEntry), self.entries)
        self.entries = []


def show(value: object) -> str | None:
    """A value as text for the audit log."""
    if value is None:
        return None
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def shower(labels: Mapping[str, Mapping[Any, str]] | None) -> Shown:
    """Shows a field's value as the log does, ids through `labels` (staff id to email...)."""
    labels = labels or {}

    def shown(name: str, value: object) -> str | None:
        mapping = labels.get(name)
        return mapping.get(value) if mapping is not None and value is not None else show(value)

    return shown


async def upsert_rows(
    session: AsyncSession,
    *,
    model: type[Base],
    entity: str,
    rows: list[tuple[str, dict[str, Any]]],
    existing: Mapping[str, Base],
    log: ChangeLog,
    labels: Mapping[str, Mapping[Any, str]] | None = None,
    update_existing: bool = True,
    progress: Progress | None = None,
) -> Outcome:
    """Creates rows whose key is new and updates fields that differ on the others.

    Args:
        rows: (key, column values) pairs, already validated.
        existing: the stored records by key.
        labels: per field, how to show an id in the log (e.g. staff id to email).
        update_existing: False leaves stored records untouched (the demo loader keeps
            whatever people changed since).
    """
    outcome = Outcome()
    shown = shower(labels)

    new_rows: list[dict[str, Any]] = []
    for done, (key, values) in enumerate(rows, start=1):
        record = existing.get(key)
        if record is None:
            # New rows go in with bulk INSERTs: far faster than one ORM object each.
            new_rows.append(values)
            log.created(entity, key)
            outcome.created.add(key)
        elif update_existing:
            for name, value in values.items():
                old = getattr(record, name)
                if old != value:
                    log.changed(entity, key, name, shown(name, old), shown(name, value))
                    setattr(record, name, value)
                    outcome.changed.add(key)
        if done % BATCH_SIZE == 0 or done == len(rows):
            if new_rows:
                await session.execute(insert(model), new_rows)
                new_rows = []
            await session.flush()
            if progress is not None:
                progress(done, len(rows))
    return outcome


def stamp_completion(
    rows: list[tuple[str, dict[str, Any]]],
    existing: Mapping[str, Any],
    complete: StrEnum,
) -> list[tuple[str, dict[str, Any]]]:
    """Adds `completed_at` to each row: kept or set to now when the status is `complete`,
    cleared otherwise, so an unchanged re-import leaves the completion time alone."""
    now = utc_now()
    stamped = []
    for key, values in rows:
        stored = existing.get(key)
        previous = stored.completed_at if stored is not None else None
        completed_at = (previous or now) if values["status"] is complete else None
        stamped.append((key, {**values, "completed_at": completed_at}))
    return stamped


async def upsert_by_ref(
    session: AsyncSession,
    *,
    model: type[Action] | type[AuditAssignment],
    entity: str,
    records: list[Keyed],
    log: ChangeLog,
    complete: StrEnum,
    person_field: str,
    merge: Merge | None = None,
    labels: Mapping[str, Mapping[Any, str]] | None = None,
    update_existing: bool = True,
    progress: Progress | None = None,
) -> Outcome:
    """Actions and audits alike: keyed by ref, merged with Teams, completion time stamped,
    people logged by email."""
    result = await session.execute(select(model))
    stored = cast(list[Action | AuditAssignment], list(result.scalars()))
    existing = {r.ref: r for r in stored}
    staff = await StaffDirectory.load(session)
    all_labels = {person_field: staff.emails_by_id, **(labels or {})}
    rows = await merged_rows(
        session, merge, records, existing, all_labels, update_existing=update_existing
    )
    return await upsert_rows(
        session,
        model=model,
        entity=entity,
        # Stamped after the merge: a completion kept from Teams keeps its time.
        rows=stamp_completion(rows, existing, complete),
        existing=existing,
        log=log,
        labels=all_labels,
        update_existing=update_existing,
        progress=progress,
    )


async def merge_and_upsert(
    session: AsyncSession,
    *,
    model: type[Base],
    entity: str,
    records: list[Keyed],
    existing: Mapping[str, Base],
    log: ChangeLog,
    merge: Merge | None,
    labels: Mapping[str, Mapping[Any, str]] | None = None,
    update_existing: bool = True,
    progress: Progress | None = None,
) -> Outcome:
    """What most importers' apply does: merge the file's rows with Teams, then upsert them."""
    rows = await merged_rows(
        session, merge, records, existing, labels, update_existing=update_existing
    )
    return await upsert_rows(
        session,
        model=model,
        entity=entity,
        rows=rows,
        existing=existing,
        log=log,
        labels=labels,
        update_existing=update_existing,
        progress=progress,
    )


async def merged_rows(
    session: AsyncSession,
    merge: Merge | None,
    records: list[Keyed],
    existing: Mapping[str, object],
    labels: Mapping[str, Mapping[Any, str]] | None,
    *,
    update_existing: bool = True,
) -> list[tuple[str, dict[str, Any]]]:
    """The rows to write: merged with Teams when `merge` is given, else as in the file."""
    if merge is None:
        return [(record.key, record.values) for record in records]
    return await merge.resolve(
        session, records, existing, shower(labels), update_existing=update_existing
    )
