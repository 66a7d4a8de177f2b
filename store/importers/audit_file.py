"""This module imports the audits file: the case-audit programme."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from store.importers.merge import Keyed, Merge
from store.importers.problems import Problem
from store.importers.references import StaffDirectory
from store.importers.sources import Table
from store.importers.upsert import ChangeLog, Outcome, Progress, upsert_by_ref
from store.importers.validation import Column, RowReader, repeated_in_column
from store.models import AuditAssignment, AuditStatus, AuditType

ENTITY = "audit"
COLUMNS = (
    Column("ref"),
    Column("case_ref"),
    Column("audit_type"),
    Column("auditor_email"),
    Column("due_date"),
    Column("status", required=False),
)
# Each stored field and the column it comes from.
FIELDS = {
    "ref": "ref",
    "case_ref": "case_ref",
    "audit_type": "audit_type",
    "auditor_id": "auditor_email",
    "due_date": "due_date",
    "status": "status",
}


async def validate(session: AsyncSession, table: Table) -> tuple[list[Keyed], list[Problem]]:
    """Every cell checked; auditors must already be on the roster, and an open audit's
    auditor cannot be a viewer (read-only)."""
    staff = await StaffDirectory.load(session)
    problems: list[Problem] = []
    records = []
    for row in table.rows:
        cells = RowReader(table, row, problems)
        case_ref = cells.case_reference("case_ref")
        auditor_id = staff.staff_id(cells, "auditor_email")
        status = cells.choice("status", AuditStatus, default=AuditStatus.ASSIGNED)
        if status is not AuditStatus.COMPLETE:
            # A completed audit may stay with someone who became a viewer since.
            auditor_id = staff.refuse_viewer(cells, "auditor_email", auditor_id, "do an audit")
        values: dict[str, Any] = {
            "ref": cells.text("ref", max_length=64),
            "case_ref": case_ref,
            "audit_type": cells.choice("audit_type", AuditType),
            "auditor_id": auditor_id,
            "due_date": cells.date("due_date"),
            "status": status,
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
    """Upserts audit assignments by ref, merged with what was changed in Teams."""
    return await upsert_by_ref(
        session,
        model=AuditAssignment,
        entity=ENTITY,
        records=records,
        log=log,
        complete=AuditStatus.COMPLETE,
        person_field="auditor_id",
        merge=merge,
        update_existing=update_existing,
        progress=progress,
    )
