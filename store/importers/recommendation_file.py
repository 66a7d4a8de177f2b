"""This module imports the recommendations file: what inspectors and others asked for."""

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
from store.models import Recommendation, RecommendationSource

ENTITY = "recommendation"
COLUMNS = (
    Column("ref"),
    Column("source"),
    Column("text"),
    # Required as a column; a cell may be empty while the date is not known, but then no
    # action can count its deadline from it.
    Column("received"),
    Column("lead_email", required=False),
)
# Each stored field and the column it comes from.
FIELDS = {
    "ref": "ref",
    "source": "source",
    "text": "text",
    "received": "received",
    "lead_id": "lead_email",
}


async def validate(session: AsyncSession, table: Table) -> tuple[list[Keyed], list[Problem]]:
    """Every cell checked; a lead must already be on the roster, and not a viewer."""
    staff = await StaffDirectory.load(session)
    problems: list[Problem] = []
    records = []
    for row in table.rows:
        cells = RowReader(table, row, problems)
        values: dict[str, Any] = {
            "ref": cells.text("ref", max_length=64),
            "source": cells.choice("source", RecommendationSource),
            "text": cells.text("text", max_length=4000),
            "received": cells.date("received") if row.cells.get("received") else None,
            "lead_id": (
                staff.refuse_viewer(
                    cells,
                    "lead_email",
                    staff.staff_id(cells, "lead_email"),
                    "lead a recommendation",
                )
                if row.cells.get("lead_email")
                else None
            ),
        }
        if cells.ok:
            records.append(Keyed(row.number, str(values["ref"]), values))
    problems += repeated_in_column(table, "ref", "ref")
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
    """Upserts recommendations by ref, merged with what was changed in Teams."""
    existing = {r.ref: r for r in (await session.execute(select(Recommendation))).scalars()}
    staff = await StaffDirectory.load(session)
    labels = {"lead_id": staff.emails_by_id}
    return await merge_and_upsert(
        session,
        model=Recommendation,
        entity=ENTITY,
        records=records,
        existing=existing,
        log=log,
        merge=merge,
        labels=labels,
        update_existing=update_existing,
        progress=progress,
    )
