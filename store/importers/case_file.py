"""This module imports the cases file: the open cases the audit programme draws from.

The file is the full list of open cases. A case in it is open (re-opened if it had been
closed); a stored case missing from it is marked closed, never deleted, so its audits keep
their case reference and a later file can open it again.

Because leaving a case out closes it, a file with no cases is refused (it would close them
all), and so is one that would close more than half of the open cases, unless the person
importing says the file is right (`--prefer-file`): a truncated export looks just like that.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.importers.problems import HEADER_ROW, NO_COLUMN, Problem
from store.importers.references import StaffDirectory
from store.importers.sources import Table
from store.importers.upsert import ChangeLog, Outcome, Progress, upsert_rows
from store.importers.validation import Column, RowReader, repeated_in_column
from store.models import Case, CaseCategory, Team, utc_now

ENTITY = "case"
COLUMNS = (
    Column("case_ref"),
    Column("team"),
    Column("worker_email"),
    Column("category"),
    Column("opened", required=False),
)

Record = tuple[str, dict[str, Any]]
# More than this share of the open cases closing at once needs `--prefer-file`.
MOST_CLOSING_WITHOUT_CONFIRMATION = 0.5
# How the log shows a case opening or closing.
OPEN_LABELS = {True: "open", False: "closed"}


async def validate(
    session: AsyncSession,
    table: Table,
    *,
    today: date | None = None,
    prefer_file: bool = False,
    closes_missing: bool = True,
) -> tuple[list[Record], list[Problem]]:
    """Every cell checked; teams and workers must already be on the roster; no case opened
    after `today`. When the file closes what it leaves out (`closes_missing`), an empty
    file, or one closing more than half the open cases without `prefer_file`, is refused.
    """
    today = today or utc_now().date()
    if closes_missing and not table.rows:
        return [], [
            Problem(
                table.name,
                HEADER_ROW,
                NO_COLUMN,
                "the file has no cases: it must list every open case, and a case left out "
                "is closed, so an empty file would close them all; check the export",
            )
        ]
    staff = await StaffDirectory.load(session)
    teams = {name.lower(): team_id for team_id, name in await session.execute(_team_names())}
    problems: list[Problem] = []
    records = []
    for row in table.rows:
        cells = RowReader(table, row, problems)
        case_ref = cells.case_reference("case_ref")
        team_name = cells.text("team")
        team_id = teams.get(team_name.strip().lower()) if team_name else None
        if team_name and team_id is None:
            cells.problem(
                "team",
                f"{team_name} is not a team on the roster; import it in the staff file first",
            )
        values = {
            "case_ref": case_ref,
            "team_id": team_id,
            "worker_id": staff.staff_id(cells, "worker_email"),
            "category": cells.choice("category", CaseCategory),
            "opened": _opened(cells, today) if row.cells.get("opened") else None,
            "is_open": True,
            "closed_at": None,
        }
        if cells.ok:
            records.append((str(case_ref), values))
    problems += repeated_in_column(table, "case_ref", "case reference")
    if closes_missing and not prefer_file:
        # Every reference the file lists, rows with problems included, so a bad cell does
        # not also count its case as closing.
        listed = {ref for r in table.rows if (ref := r.cells.get("case_ref", "").strip())}
        problems += await _closing_too_many(session, table, listed)
    return records, problems


def _opened(cells: RowReader, today: date) -> date | None:
    opened = cells.date("opened")
    if opened is not None and opened > today:
        cells.problem("opened", f"{opened.isoformat()} is in the future; a case opens by today")
        return None
    return opened


async def _closing_too_many(
    session: AsyncSession, table: Table, listed: set[str]
) -> list[Problem]:
    """A problem when the file would close more than half of the open cases."""
    open_refs = set(
        (await session.execute(select(Case.case_ref).where(Case.is_open.is_(True)))).scalars()
    )
    closing = len(open_refs - listed)
    if closing <= len(open_refs) * MOST_CLOSING_WITHOUT_CONFIRMATION:
        return []
    return [
        Problem(
            table.name,
            HEADER_ROW,
            NO_COLUMN,
            f"the file would close {closing} of the {len(open_refs)} open cases (every case "
            "it leaves out); if the file is complete and right, import it again with "
            "--prefer-file",
        )
    ]


async def apply(
    session: AsyncSession,
    records: list[Record],
    log: ChangeLog,
    *,
    update_existing: bool = True,
    progress: Progress | None = None,
) -> Outcome:
    """Upserts cases by reference, then closes the stored open cases the file leaves out."""
    stored = {c.case_ref: c for c in (await session.execute(select(Case))).scalars()}
    staff = await StaffDirectory.load(session)
    team_labels = {team_id: name for team_id, name in await session.execute(_team_names())}
    outcome = await upsert_rows(
        session,
        model=Case,
        entity=ENTITY,
        rows=records,
        existing=stored,
        log=log,
        labels={
            "worker_id": staff.emails_by_id,
            "team_id": team_labels,
            "is_open": OPEN_LABELS,
        },
        update_existing=update_existing,
        progress=progress,
    )
    if update_existing:
        # The demo loader adds to what is there; only a real import is the full list.
        listed = {key for key, _ in records}
        now = utc_now()
        for case_ref, case in stored.items():
            if case.is_open and case_ref not in listed:
                case.is_open = False
                case.closed_at = now
                log.changed(ENTITY, case_ref, "is_open", OPEN_LABELS[True], OPEN_LABELS[False])
                outcome.closed.add(case_ref)
        await session.flush()
    return outcome


def _team_names() -> Any:
    return select(Team.id, Team.name)
