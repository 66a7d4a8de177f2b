"""This module imports the areas file: each priority area of the plan and its lead."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.importers.merge import Keyed, Merge
from store.importers.problems import Problem
from store.importers.references import StaffDirectory
from store.importers.sources import Table
from store.importers.upsert import ChangeLog, Outcome, Progress, merge_and_upsert
from store.importers.validation import Column, RowReader, repeated_in_column
from store.models import PriorityArea

ENTITY = "priority_area"
COLUMNS = (Column("name"), Column("lead_email"))
FIELDS = {"name": "name", "lead_id": "lead_email"}


def area_key(name: str) -> str:
    """Areas are matched by name without regard to case, as actions name them."""
    return name.casefold()


async def validate(session: AsyncSession, table: Table) -> tuple[list[Keyed], list[Problem]]:
    """Every cell checked; a lead must already be on the roster, and not a viewer."""
    staff = await StaffDirectory.load(session)
    problems: list[Problem] = []
    records = []
    for row in table.rows:
        cells = RowReader(table, row, problems)
        values: dict[str, Any] = {
            "name": cells.text("name"),
            # A lead reviews the area's board updates, which a viewer cannot do.
            "lead_id": staff.refuse_viewer(
                cells, "lead_email", staff.staff_id(cells, "lead_email"), "lead an area"
            ),
        }
        if cells.ok:
            records.append(Keyed(row.number, area_key(str(values["name"])), values))
    problems += repeated_in_column(table, "name", "priority area", key=area_key)
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
    """Upserts priority areas by name."""
    existing = {
        area_key(a.name): a for a in (await session.execute(select(PriorityArea))).scalars()
    }
    staff = await StaffDirectory.load(session)
    labels = {"lead_id": staff.emails_by_id}
    return await merge_and_upsert(
        session,
        model=PriorityArea,
        entity=ENTITY,
        records=records,
        existing=existing,
        log=log,
        merge=merge,
        labels=labels,
        update_existing=update_existing,
        progress=progress,
    )
