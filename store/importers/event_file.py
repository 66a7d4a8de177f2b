"""This module imports the events file: the inspection-readiness calendar."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.importers.merge import Keyed, Merge
from store.importers.problems import Problem
from store.importers.sources import Table
from store.importers.upsert import ChangeLog, Outcome, Progress, merge_and_upsert
from store.importers.validation import Column, RowReader, duplicate_key_problems
from store.models import CalendarEvent, EventKind, Team

ENTITY = "event"
COLUMNS = (
    Column("title"),
    Column("date"),
    Column("kind"),
    Column("audience", required=False),
    Column("notes", required=False),
)
FIELDS = {name: name for name in ("title", "date", "kind", "audience", "notes")}
AUDIENCES = ("all", "managers", "coordinators")
TEAM_PREFIX = "team:"


def event_key(title: str, day: object) -> str:
    """Title and date together identify an event."""
    return f"{title} ({day})"


async def validate(session: AsyncSession, table: Table) -> tuple[list[Keyed], list[Problem]]:
    """Every cell checked; a team audience must name a team on the roster."""
    teams = {t.name.lower(): t.name for t in (await session.execute(select(Team))).scalars()}
    problems: list[Problem] = []
    records = []
    keyed_rows = []
    for row in table.rows:
        cells = RowReader(table, row, problems)
        title = cells.text("title")
        day = cells.date("date")
        values: dict[str, Any] = {
            "title": title,
            "date": day,
            "kind": cells.choice("kind", EventKind),
            "audience": _audience(cells, teams),
            "notes": cells.text("notes", required=False, max_length=2000),
        }
        if cells.ok:
            records.append(Keyed(row.number, event_key(str(title), day), values))
            keyed_rows.append((row, event_key(str(title), day)))
    problems += duplicate_key_problems(table, keyed_rows, "title", "event (title and date)")
    return records, problems


async def apply(
    session: AsyncSession,
    records: list[Keyed],
    log: ChangeLog,
    *,
    merge: Merge | None = None,
    update_existing: bool = True,
    progress: Progress | None = None,
) -> Outcome:
    """Upserts calendar events by title and date, merged with what was changed in Teams."""
    existing = {
        event_key(e.title, e.date): e
        for e in (await session.execute(select(CalendarEvent))).scalars()
    }
    return await merge_and_upsert(
        session,
        model=CalendarEvent,
        entity=ENTITY,
        records=records,
        existing=existing,
        log=log,
        merge=merge,
        update_existing=update_existing,
        progress=progress,
    )


def _audience(cells: RowReader, teams: dict[str, str]) -> str | None:
    text = cells.text("audience", required=False, max_length=232)
    if text is None:
        return "all"
    lowered = text.lower()
    if lowered in AUDIENCES:
        return lowered
    if lowered.startswith(TEAM_PREFIX):
        name = text[len(TEAM_PREFIX) :].strip()
        team = teams.get(name.lower())
        if team is None:
            cells.problem("audience", f"no team called {name!r} on the roster")
        return f"{TEAM_PREFIX}{team}" if team else None
    cells.problem(
        "audience", f"unknown audience {text!r}; use all, managers, coordinators or team:NAME"
    )
    return None
