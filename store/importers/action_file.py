"""This module imports the actions file: the improvement plan."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from store.importers.problems import Problem
from store.importers.references import StaffDirectory
from store.importers.sources import Table
from store.importers.upsert import ChangeLog, Outcome, Progress, upsert_by_ref
from store.importers.validation import Column, RowReader, duplicate_key_problems
from store.models import Action, ActionStatus

ENTITY = "action"
COLUMNS = (
    Column("ref"),
    Column("priority_area"),
    Column("description"),
    Column("owner_email"),
    Column("due_date"),
    Column("status", required=False),
    Column("evidence_required", required=False),
)

Record = tuple[str, dict[str, Any]]


async def validate(session: AsyncSession, table: Table) -> tuple[list[Record], list[Problem]]:
    """Every cell checked; owners must already be on the roster."""
    staff = await StaffDirectory.load(session)
    problems: list[Problem] = []
    records = []
    for row in table.rows:
        cells = RowReader(table, row, problems)
        values = {
            "ref": cells.text("ref", max_length=64),
            "priority_area": cells.text("priority_area"),
            "description": cells.text("description", max_length=2000),
            "owner_id": staff.staff_id(cells, "owner_email"),
            "due_date": cells.date("due_date"),
            # A blank status is a new action nobody has started.
            "status": cells.choice("status", ActionStatus, default=ActionStatus.NOT_STARTED),
            "evidence_required": cells.text("evidence_required", required=False, max_length=2000),
        }
        if cells.ok:
            records.append((str(values["ref"]), values))
    problems += duplicate_key_problems(
        table, [(r, r.cells["ref"]) for r in table.rows if r.cells.get("ref")], "ref", "ref"
    )
    return records, problems


async def apply(
    session: AsyncSession,
    records: list[Record],
    log: ChangeLog,
    *,
    update_existing: bool = True,
    progress: Progress | None = None,
) -> Outcome:
    """Upserts actions by ref; marking one complete stamps when, leaving it clears that."""
    return await upsert_by_ref(
        session,
        model=Action,
        entity=ENTITY,
        records=records,
        log=log,
        complete=ActionStatus.COMPLETE,
        person_field="owner_id",
        update_existing=update_existing,
        progress=progress,
    )
