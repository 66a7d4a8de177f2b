"""This module contains load_demo, which puts the demo organisation in the database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from store.importers.fields import parse_date
from store.importers.runner import ImportKind, import_table
from store.importers.sources import Table, read_table
from store.importers.upsert import ChangeLog, UpsertCounts
from store.models import CalendarEvent, ChangeSource

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

# The demo files' dates are written as if this Monday were today.
DEMO_ANCHOR = date(2026, 11, 23)
DEMO_FILES: tuple[tuple[ImportKind, str, tuple[str, ...]], ...] = (
    (ImportKind.STAFF, "staff.csv", ()),
    (ImportKind.ACTIONS, "actions.csv", ("due_date",)),
    (ImportKind.AUDITS, "audits.csv", ("due_date",)),
    (ImportKind.EVENTS, "events.csv", ("date",)),
)


def demo_file(file_name: str) -> Path:
    """Where a demo file (also a template to copy) is installed."""
    return Path(str(resources.files("demo") / file_name))


def demo_table(file_name: str, date_columns: tuple[str, ...], today: date) -> Table:
    """A demo file with its dates moved by whole weeks so they sit around `today`.

    Whole weeks keep every date on the weekday it was written for, so the demo always has
    overdue, due-this-week and upcoming items.
    """
    table = read_table(demo_file(file_name), display_name=f"demo/{file_name}")
    shift = timedelta(weeks=round((today - DEMO_ANCHOR).days / 7))
    if not date_columns or not shift:
        return table
    rows = [
        replace(
            row,
            cells={
                column: (parse_date(value) + shift).isoformat()
                if column in date_columns and value
                else value
                for column, value in row.cells.items()
            },
        )
        for row in table.rows
    ]
    return Table(table.name, table.header, rows)


async def load_demo(session: AsyncSession, today: date) -> dict[ImportKind, UpsertCounts]:
    """Loads whatever of the demo organisation is missing; changes made since are kept."""
    counts: dict[ImportKind, UpsertCounts] = {}
    for kind, file_name, date_columns in DEMO_FILES:
        if kind is ImportKind.EVENTS and await _has_events(session):
            # Events are keyed by title and date, and demo dates move with the calendar, so
            # a later reload would add each event again on its new date.
            counts[kind] = UpsertCounts(unchanged=len(demo_table(file_name, (), today).rows))
            continue
        counts[kind] = await import_table(
            session,
            kind,
            demo_table(file_name, date_columns, today),
            ChangeLog(ChangeSource.DEMO, actor="demo"),
            update_existing=False,
        )
    return counts


async def _has_events(session: AsyncSession) -> bool:
    return (await session.execute(select(CalendarEvent.id).limit(1))).first() is not None
