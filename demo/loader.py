"""This module contains load_demo, which puts the demo organisation in the database."""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, cast
from zoneinfo import ZoneInfo

from sqlalchemy import select

from knowledge.working_days import WorkingDays
from store.importers.deadlines import DeadlineRules
from store.importers.fields import parse_date
from store.importers.runner import ImportKind, import_table
from store.importers.sources import Table, read_table
from store.importers.upsert import ChangeLog, UpsertCounts
from store.models import (
    Action,
    ActionStatus,
    AuditAssignment,
    AuditStatus,
    CalendarEvent,
    ChangeSource,
)

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

# The demo files' dates are written as if this Monday were today.
DEMO_ANCHOR = date(2026, 11, 23)
DEMO_FILES: tuple[tuple[ImportKind, str, tuple[str, ...]], ...] = (
    (ImportKind.STAFF, "staff.csv", ()),
    (ImportKind.AREAS, "areas.csv", ()),
    # Before the actions, which name the recommendation each answers.
    (ImportKind.RECOMMENDATIONS, "recommendations.csv", ("received",)),
    (ImportKind.ACTIONS, "actions.csv", ("due_date",)),
    (ImportKind.AUDITS, "audits.csv", ("due_date",)),
    (ImportKind.EVENTS, "events.csv", ("date",)),
    # The open cases a coordinator can draw a month's audits from (case references only).
    (ImportKind.CASES, "cases.csv", ()),
)
# Working days, but nobody holds a board, a visit or a workshop on them.
NO_EVENT_DAYS = frozenset({(12, 24), (12, 31)})
# A finished item was finished up to this many working days before it was due, or this
# many after: the spread a real plan shows.
FINISHED_EARLY_DAYS = 10
FINISHED_LATE_DAYS = 3
# An item whose day in that spread has not come yet was finished within this many working
# days before today.
RECENT_DAYS = 5
# The service's default time zone: finishing times fall in its working day.
DEMO_TIMEZONE = ZoneInfo("Europe/London")
FIRST_HOUR, WORKING_HOURS = 9, 8

_COMPLETE: dict[ImportKind, tuple[type[Action] | type[AuditAssignment], StrEnum]] = {
    ImportKind.ACTIONS: (Action, ActionStatus.COMPLETE),
    ImportKind.AUDITS: (AuditAssignment, AuditStatus.COMPLETE),
}


def demo_file(file_name: str) -> Path:
    """Where a demo file (also a template to copy) is installed."""
    return Path(str(resources.files("demo") / file_name))


def demo_table(kind: ImportKind, today: date, calendar: WorkingDays | None = None) -> Table:
    """A demo file with its dates moved to sit around `today`.

    Dates move by whole weeks, which keeps each on the weekday it was written for, so the
    demo always has overdue, due-this-week and upcoming items; a date that lands on a bank
    holiday then moves on to the next working day (see `demo_day`).
    """
    file_name, date_columns = _demo_file_of(kind)
    table = read_table(demo_file(file_name), display_name=f"demo/{file_name}")
    if not date_columns:
        return table
    calendar = calendar or WorkingDays()
    weeks = round((today - DEMO_ANCHOR).days / 7)
    event = kind is ImportKind.EVENTS
    rows = [
        replace(
            row,
            cells={
                column: demo_day(parse_date(value), weeks, calendar, event=event).isoformat()
                if column in date_columns and value
                else value
                for column, value in row.cells.items()
            },
        )
        for row in table.rows
    ]
    return Table(table.name, table.header, rows)


def demo_day(written: date, weeks: int, calendar: WorkingDays, *, event: bool) -> date:
    """`written` moved by `weeks` whole weeks, then to the first working day from there
    (for an event, also past Christmas Eve and New Year's Eve)."""
    day = calendar.next_working_day(written + timedelta(weeks=weeks))
    while event and (day.month, day.day) in NO_EVENT_DAYS:
        day = calendar.add(day, 1)
    return day


def finished_at(
    ref: str, due: date, today: date, calendar: WorkingDays, zone: tzinfo = DEMO_TIMEZONE
) -> datetime:
    """When the demo item `ref`, marked complete, was finished: a working day from
    FINISHED_EARLY_DAYS before `due` to FINISHED_LATE_DAYS after it, always before `today`,
    at a time in working hours. The same ref gets the same time on every load."""
    pick = zlib.crc32(ref.encode()) % 1000
    offset = pick % (FINISHED_EARLY_DAYS + FINISHED_LATE_DAYS + 1) - FINISHED_EARLY_DAYS
    day = calendar.add(due, offset) if offset else calendar.next_working_day(due)
    if day >= today:
        # That day has not come yet: a day in the week before today instead, which is no
        # later after the due date than that day was.
        day = calendar.add(today, -(1 + pick % RECENT_DAYS))
    clock = time(FIRST_HOUR + pick % WORKING_HOURS, pick // WORKING_HOURS % 4 * 15)
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


async def load_demo(
    session: AsyncSession, today: date, zone: tzinfo = DEMO_TIMEZONE
) -> dict[ImportKind, UpsertCounts]:
    """Loads whatever of the demo organisation is missing; changes made since are kept.

    `today` is the local date in `zone`; the items it adds as complete were finished
    before it (see `finished_at`).
    """
    calendar = WorkingDays()
    counts: dict[ImportKind, UpsertCounts] = {}
    for kind, _, _ in DEMO_FILES:
        if kind is ImportKind.EVENTS and await _has_events(session):
            # Events are keyed by title and date, and demo dates move with the calendar, so
            # a later reload would add each event again on its new date.
            counts[kind] = UpsertCounts(unchanged=len(demo_table(kind, today, calendar).rows))
            continue
        table = demo_table(kind, today, calendar)
        added = await _refs_not_stored(session, kind, table)
        outcome = await import_table(
            session,
            kind,
            table,
            ChangeLog(ChangeSource.DEMO, actor="demo"),
            update_existing=False,
            deadlines=DeadlineRules(calendar),
        )
        counts[kind] = outcome.counts
        await _date_completions(session, kind, added, today, calendar, zone)
    return counts


def _demo_file_of(kind: ImportKind) -> tuple[str, tuple[str, ...]]:
    for demo_kind, file_name, date_columns in DEMO_FILES:
        if demo_kind is kind:
            return file_name, date_columns
    raise ValueError(f"the demo has no {kind} file")


async def _refs_not_stored(session: AsyncSession, kind: ImportKind, table: Table) -> set[str]:
    """The refs of the actions or audits in `table` that are not in the database yet."""
    if kind not in _COMPLETE:
        return set()
    model, _ = _COMPLETE[kind]
    refs = {row.cells["ref"] for row in table.rows if row.cells.get("ref")}
    stored = await session.execute(select(model.ref).where(model.ref.in_(refs)))
    return refs - set(stored.scalars())


async def _date_completions(
    session: AsyncSession,
    kind: ImportKind,
    refs: set[str],
    today: date,
    calendar: WorkingDays,
    zone: tzinfo,
) -> None:
    """Gives each complete item among `refs`, just added, a finishing time of its own.

    The importer stamps completion with the time of the import, which would show every
    finished demo item as done the moment the demo was loaded. Items stored before this
    load are left alone: their time is real, or was set by an earlier load.
    """
    if kind not in _COMPLETE or not refs:
        return
    model, complete = _COMPLETE[kind]
    added = await session.execute(
        select(model).where(model.status == complete, model.ref.in_(refs))
    )
    # select() of either model is typed as selecting the common base.
    for item in cast("list[Action | AuditAssignment]", list(added.scalars())):
        item.completed_at = finished_at(item.ref, item.due_date, today, calendar, zone)
    await session.flush()


async def _has_events(session: AsyncSession) -> bool:
    return (await session.execute(select(CalendarEvent.id).limit(1))).first() is not None
