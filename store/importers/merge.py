"""This module merges a re-imported file three ways: the last import, the file, and Teams.

Teams is the system of record and the spreadsheet only a way in. For each field of a row
already stored, the value the last import wrote (its baseline) tells who changed it since:

- changed only in the file: the file's value is taken;
- changed only in Teams (the file still has what was imported): Teams' value is kept;
- changed in both: Teams' value is kept and the import reports it, unless the person
  importing chose `prefer_file`, when the file's value is taken and that is reported.
  A kept value's baseline stays what was last imported, so the same file reports the
  dispute again on every import, and `prefer_file` can still take the file's value.

A row imported before baselines existed has none; the audit log then says whether the
last change to the field was made in Teams, and if so the field counts as changed in both.
Rows stored but missing from the file are kept as they are (the file is not a master list)
and counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.importers.problems import Problem
from store.models import AuditLogEntry, ChangeSource, ImportBaseline, utc_now

# Shown value of a field: what the audit log and a baseline hold (None for an empty cell).
Shown = Callable[[str, object], "str | None"]
# How many keys one IN (...) of the audit-log look-up carries.
KEY_CHUNK = 500
# How many baselines one INSERT or UPDATE batch writes.
BATCH = 500


@dataclass(frozen=True, slots=True)
class Keyed:
    """One validated row of a file: its row number, its key, and its values by field."""

    row: int
    key: str
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class TeamsChange:
    """The last change to one field of one row, as the audit log has it."""

    at: datetime
    in_teams: bool


@dataclass(slots=True)
class Merge:
    """One import's merge: the baselines it compares against and what it reports.

    Args:
        kind: the import file's kind, which keys its baselines.
        entity: the audit log's name for the file's records.
        file: the file's name as problems show it.
        columns: field -> the file's column, for every field the file carries.
    """

    kind: str
    entity: str
    file: str
    columns: Mapping[str, str]
    prefer_file: bool = False
    timezone: tzinfo = UTC
    # The columns the file has (None: all of them). A field whose column the file leaves
    # out keeps its stored value: an optional column missing is not an empty one.
    header: frozenset[str] | None = None
    # The last imported values by row key, and each baseline's id.
    baselines: dict[str, dict[str, str | None]] = field(default_factory=dict)
    baseline_ids: dict[str, int] = field(default_factory=dict)
    reports: list[Problem] = field(default_factory=list)
    not_in_file: set[str] = field(default_factory=set)
    written: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @classmethod
    async def load(
        cls,
        session: AsyncSession,
        *,
        kind: str,
        entity: str,
        file: str,
        columns: Mapping[str, str],
        prefer_file: bool = False,
        timezone: tzinfo = UTC,
        header: frozenset[str] | None = None,
    ) -> Merge:
        result = await session.execute(
            select(ImportBaseline.id, ImportBaseline.key, ImportBaseline.values).where(
                ImportBaseline.kind == kind
            )
        )
        merge = cls(kind, entity, file, columns, prefer_file, timezone, header)
        for baseline_id, key, values in result:
            merge.baselines[key] = dict(values)
            merge.baseline_ids[key] = baseline_id
        return merge

    async def resolve(
        self,
        session: AsyncSession,
        rows: Iterable[Keyed],
        existing: Mapping[str, object],
        shown: Shown,
        *,
        update_existing: bool = True,
    ) -> list[tuple[str, dict[str, Any]]]:
        """The rows to write: each field the file changed, and Teams' value where it wins.

        Records the file's values as the rows' next baselines (only for new rows when
        `update_existing` is False: those are all that is written), except a field where
        Teams' value is kept over the file's: its baseline stays the last imported value,
        so the dispute is reported on every import of that file until it is resolved.
        """
        rows = list(rows)
        keys = {row.key for row in rows}
        self.not_in_file |= set(existing) - keys
        disputed: list[tuple[Keyed, str, str | None, str | None]] = []
        merged: dict[str, dict[str, Any]] = {}
        for row in rows:
            record = existing.get(row.key)
            values = dict(row.values)
            if record is not None:
                for name in values.keys() - self._carried_names(values):
                    if name in self.columns:
                        values[name] = getattr(record, name)
            merged[row.key] = values
            if record is None or update_existing:
                baseline = self.written.setdefault(row.key, {})
                baseline.update(
                    {name: shown(name, values[name]) for name in self._carried_names(values)}
                )
            if record is None or not update_existing:
                continue
            for name in self._carried_names(values):
                value = values[name]
                in_file, in_teams = shown(name, value), shown(name, getattr(record, name))
                if in_file != in_teams:
                    disputed.append((row, name, in_file, in_teams))
        changes = await self._last_changes(session, disputed)
        for row, name, in_file, in_teams in disputed:
            values = merged[row.key]
            base = self.baselines.get(row.key, {})
            last = changes.get((row.key, label(name)))
            if name in base:
                teams_changed, file_changed = in_teams != base[name], in_file != base[name]
            else:
                teams_changed = last is not None and last.in_teams
                file_changed = True
            if not teams_changed:
                continue  # the file's change is taken
            if not file_changed:
                values[name] = getattr(existing[row.key], name)
                continue
            # The day Teams changed it, as logged; else the record's last change.
            record = existing[row.key]
            changed_at = last.at if last is not None and last.in_teams else None
            self._report(row, name, in_file, in_teams, changed_at or _updated_at(record))
            if not self.prefer_file:
                values[name] = getattr(existing[row.key], name)
                self._keep_baseline(row.key, name, base)
        return [(row.key, merged[row.key]) for row in rows]

    def _keep_baseline(self, key: str, name: str, base: Mapping[str, str | None]) -> None:
        """Leaves a field's baseline at the last imported value when Teams' value is kept.

        The file's value must not become the baseline: the dispute would then vanish, and
        importing the same file again (with or without `prefer_file`) would say nothing.
        Without a baseline the field stays without one, so the audit log decides again.
        """
        written = self.written.setdefault(key, {})
        if name in base:
            written[name] = base[name]
        else:
            written.pop(name, None)

    def _carried_names(self, values: Mapping[str, object]) -> set[str]:
        """The fields among `values` that the file's columns carry."""
        return {
            name
            for name in values
            if name in self.columns and (self.header is None or self.columns[name] in self.header)
        }

    def _report(
        self,
        row: Keyed,
        name: str,
        in_file: str | None,
        in_teams: str | None,
        changed_at: datetime | None,
    ) -> None:
        when = f" on {changed_at.astimezone(self.timezone):%Y-%m-%d}" if changed_at else ""
        message = (
            f"replaced the value set in Teams{when} ({shown_cell(in_teams)}) with the file's"
            if self.prefer_file
            else f"kept the value set in Teams{when} (file has {shown_cell(in_file)})"
        )
        self.reports.append(Problem(self.file, row.row, self.columns[name], message))

    async def _last_changes(
        self, session: AsyncSession, disputed: list[tuple[Keyed, str, str | None, str | None]]
    ) -> dict[tuple[str, str], TeamsChange]:
        """The newest audit-log entry of each disputed field, and whether Teams made it."""
        keys = sorted({row.key for row, *_ in disputed})
        found: dict[tuple[str, str], TeamsChange] = {}
        for start in range(0, len(keys), KEY_CHUNK):
            chunk = keys[start : start + KEY_CHUNK]
            newest = (
                select(func.max(AuditLogEntry.id))
                .where(AuditLogEntry.entity == self.entity, AuditLogEntry.entity_key.in_(chunk))
                .where(AuditLogEntry.field.is_not(None))
                .group_by(AuditLogEntry.entity_key, AuditLogEntry.field)
            )
            result = await session.execute(
                select(
                    AuditLogEntry.entity_key,
                    AuditLogEntry.field,
                    AuditLogEntry.occurred_at,
                    AuditLogEntry.source,
                ).where(AuditLogEntry.id.in_(newest))
            )
            for key, name, at, source in result:
                found[(key, str(name))] = TeamsChange(at, source is ChangeSource.BOT)
        return found

    async def save(self, session: AsyncSession) -> None:
        """Stores the file's values as the baselines the next import compares against.

        Written in bulk (one statement a batch), as the rows themselves are: one ORM
        object per row would cost seconds on a 10,000-row plan.
        """
        now = utc_now()
        fresh, changed = [], []
        for key, values in self.written.items():
            before = self.baselines.get(key)
            after = {**(before or {}), **values}
            if before is None:
                fresh.append({"kind": self.kind, "key": key, "values": after, "imported_at": now})
            elif after != before:
                changed.append({"id": self.baseline_ids[key], "values": after, "imported_at": now})
            self.baselines[key] = after
        for start in range(0, len(fresh), BATCH):
            await session.execute(insert(ImportBaseline), fresh[start : start + BATCH])
        for start in range(0, len(changed), BATCH):
            # An UPDATE by primary key for each row, sent as one batch.
            await session.execute(update(ImportBaseline), changed[start : start + BATCH])
        self.written = {}


def _updated_at(record: object) -> datetime | None:
    value = getattr(record, "updated_at", None)
    return value if isinstance(value, datetime) else None


def shown_cell(value: str | None) -> str:
    """A value as a report quotes it; an empty cell says so."""
    return "an empty cell" if value is None else repr(value)


# Foreign keys read better in the log under the name of what they point at; the audit log
# is written with these names (see upsert.ChangeLog).
FIELD_LABELS = {
    "owner_id": "owner",
    "auditor_id": "auditor",
    "manager_id": "manager",
    "team_id": "team",
    "lead_id": "lead",
    "recommendation_id": "recommendation",
}


def label(name: str) -> str:
    """A field's name in the audit log."""
    return FIELD_LABELS.get(name, name)
