"""This module imports the actions file: the improvement plan."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.importers.deadlines import EXAMPLES, DeadlineRules, parse_deadline
from store.importers.fields import FieldError
from store.importers.merge import Keyed, Merge
from store.importers.problems import Problem
from store.importers.references import StaffDirectory
from store.importers.sources import Table
from store.importers.upsert import ChangeLog, Outcome, Progress, upsert_by_ref
from store.importers.validation import Column, RowReader, repeated_in_column
from store.models import Action, ActionStatus, Recommendation

ENTITY = "action"
COLUMNS = (
    Column("ref"),
    Column("priority_area"),
    Column("description"),
    Column("owner_email"),
    Column("due_date"),
    Column("status", required=False),
    Column("evidence_required", required=False),
    # The ref of the recommendation the action answers; a relative due date counts from
    # the day it was received.
    Column("recommendation", required=False),
)
# Each stored field and the column it comes from.
FIELDS = {
    "ref": "ref",
    "priority_area": "priority_area",
    "description": "description",
    "owner_id": "owner_email",
    "due_date": "due_date",
    "status": "status",
    "evidence_required": "evidence_required",
    "recommendation_id": "recommendation",
}


async def validate(
    session: AsyncSession, table: Table, deadlines: DeadlineRules | None = None
) -> tuple[list[Keyed], list[Problem]]:
    """Every cell checked; owners must already be on the roster, recommendations imported.

    An open action's owner cannot be a viewer: board and elected members are read-only.
    """
    staff = await StaffDirectory.load(session)
    recommendations = {r.ref: r for r in (await session.execute(select(Recommendation))).scalars()}
    problems: list[Problem] = []
    records = []
    for row in table.rows:
        cells = RowReader(table, row, problems)
        recommendation = _recommendation(cells, recommendations)
        owner_id = staff.staff_id(cells, "owner_email")
        # A blank status is a new action nobody has started.
        status = cells.choice("status", ActionStatus, default=ActionStatus.NOT_STARTED)
        if status is not ActionStatus.COMPLETE:
            # A completed action may stay with someone who became a viewer since.
            owner_id = staff.refuse_viewer(cells, "owner_email", owner_id, "own an open action")
        values = {
            "ref": cells.text("ref", max_length=64),
            "priority_area": cells.text("priority_area"),
            "description": cells.text("description", max_length=2000),
            "owner_id": owner_id,
            "due_date": _due_date(cells, recommendation, deadlines),
            "status": status,
            "evidence_required": cells.text("evidence_required", required=False, max_length=2000),
            "recommendation_id": recommendation.id if recommendation is not None else None,
        }
        if cells.ok:
            records.append(Keyed(row.number, str(values["ref"]), values))
    problems += repeated_in_column(table, "ref", "ref")
    return records, problems


def _recommendation(
    cells: RowReader, recommendations: dict[str, Recommendation]
) -> Recommendation | None:
    ref = cells.text("recommendation", required=False, max_length=64)
    if ref is None:
        return None
    found = recommendations.get(ref) or next(
        (r for r in recommendations.values() if r.ref.casefold() == ref.casefold()), None
    )
    if found is None:
        cells.problem(
            "recommendation",
            f"no recommendation with ref {ref!r}; import it in the recommendations file first",
        )
    return found


def _due_date(
    cells: RowReader, recommendation: Recommendation | None, deadlines: DeadlineRules | None
) -> date | None:
    """A date, or a deadline counted from the recommendation's received date."""
    text = cells.text("due_date", max_length=100)
    if text is None:
        return None
    immediately_days = deadlines.immediately_days if deadlines is not None else 0
    try:
        deadline = parse_deadline(text, immediately_days)
    except FieldError as exc:
        cells.problem("due_date", str(exc))
        return None
    if deadline is None:
        if any(char.isalpha() for char in text) and not text[:1].isdigit():
            cells.problem(
                "due_date",
                f"not a date or a deadline: {text!r}; use YYYY-MM-DD, DD/MM/YYYY, or a "
                f"deadline such as {EXAMPLES}",
            )
            return None
        return cells.date("due_date")
    if recommendation is None:
        cells.problem(
            "due_date",
            f"{text!r} counts from a recommendation's received date: name the "
            "recommendation in the recommendation column, or give a date",
        )
        return None
    if recommendation.received is None:
        cells.problem(
            "due_date",
            f"{text!r} counts from when recommendation {recommendation.ref} was received, "
            "and the recommendations file gives no received date for it: add one, or give "
            "a date",
        )
        return None
    if deadlines is None:
        cells.problem("due_date", "relative deadlines cannot be worked out here; give a date")
        return None
    return deadline.due(recommendation.received, deadlines.working_days)


async def apply(
    session: AsyncSession,
    records: list[Keyed],
    log: ChangeLog,
    *,
    merge: Merge | None = None,
    update_existing: bool = True,
    progress: Progress | None = None,
) -> Outcome:
    """Upserts actions by ref; marking one complete stamps when, leaving it clears that."""
    refs = {r.id: r.ref for r in (await session.execute(select(Recommendation))).scalars()}
    return await upsert_by_ref(
        session,
        model=Action,
        entity=ENTITY,
        records=records,
        log=log,
        complete=ActionStatus.COMPLETE,
        person_field="owner_id",
        merge=merge,
        labels={"recommendation_id": refs},
        update_existing=update_existing,
        progress=progress,
    )
