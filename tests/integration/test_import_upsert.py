"""Importing: idempotent re-imports, exact updates with an audit trail, CSV equals XLSX."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select

from demo.loader import DEMO_ANCHOR, DEMO_FILES, demo_file, demo_table, load_demo
from store.db import Database
from store.importers.fields import parse_date
from store.importers.runner import ImportKind
from store.importers.upsert import UpsertCounts
from store.migrate import upgrade_database
from store.models import Action, ActionStatus, AuditLogEntry, ChangeSource, Staff
from tests.importing import (
    STAFF_HEADER,
    csv_to_xlsx,
    problems_of,
    row_counts,
    run,
    snapshot,
    write_csv,
)

STAFF = f"""
{STAFF_HEADER}
boss@example.com,Boss Person,manager,Leadership,,
 AdeleV@Example.com , Adele Vance ,Practitioner,Assessment,BOSS@example.com,
isaiahl@example.com,Isaiah Langer,practitioner,Assessment,boss@example.com,Annex A lead
"""
ACTIONS = """
ref,priority_area,description,owner_email,due_date,status,evidence_required
PA1.1,Management oversight,Monthly supervision,adelev@example.com,2026-12-01,in progress,Audit
PA1.2,Management oversight,Dip sample of case notes,isaiahl@example.com,15/01/2027,Not Started,
PA2.1,Care leavers,Refresh every pathway plan,adelev@example.com,30/11/2026,complete,
"""


async def audit_log(
    database: Database,
) -> list[tuple[str, str, str | None, str | None, str | None]]:
    async with database.sessions() as session:
        entries = (
            await session.execute(select(AuditLogEntry).order_by(AuditLogEntry.id))
        ).scalars()
        return [(e.entity, e.entity_key, e.field, e.old_value, e.new_value) for e in entries]


async def test_import_trims_and_folds_case_and_reimport_is_idempotent(
    database: Database, tmp_path: Path
) -> None:
    staff = write_csv(tmp_path / "staff.csv", STAFF)
    actions = write_csv(tmp_path / "actions.csv", ACTIONS)

    assert (await run(database, "staff", staff)).counts == UpsertCounts(new=3)
    assert (await run(database, "actions", actions)).counts == UpsertCounts(new=3)
    counts_after_first = await row_counts(database)
    assert (await run(database, "staff", staff)).counts == UpsertCounts(unchanged=3)
    assert (await run(database, "actions", actions)).counts == UpsertCounts(unchanged=3)

    assert await row_counts(database) == counts_after_first
    data = await snapshot(database)
    assert data["staff"][0] == (
        "adelev@example.com",
        "Adele Vance",
        "practitioner",
        "Assessment",
        "boss@example.com",
        None,
    )
    assert data["actions"][1] == (
        "PA1.2",
        "Management oversight",
        "Dip sample of case notes",
        "isaiahl@example.com",
        date(2027, 1, 15),
        "not started",
        None,
    )
    async with database.sessions() as session:
        done = (await session.execute(select(Action).where(Action.ref == "PA2.1"))).scalar_one()
    assert done.status is ActionStatus.COMPLETE
    assert done.completed_at is not None


async def test_an_update_changes_only_what_changed_and_logs_it(
    database: Database, tmp_path: Path
) -> None:
    await run(database, "staff", write_csv(tmp_path / "staff.csv", STAFF))
    await run(database, "actions", write_csv(tmp_path / "actions.csv", ACTIONS))
    logged_before = len(await audit_log(database))
    next_month = ACTIONS.replace(
        "adelev@example.com,2026-12-01,in progress", "isaiahl@example.com,2026-12-08,in progress"
    ).replace("15/01/2027,Not Started", "15/01/2027,blocked")

    result = await run(database, "actions", write_csv(tmp_path / "actions-dec.csv", next_month))

    assert result.counts == UpsertCounts(new=0, updated=2, unchanged=1)
    log = (await audit_log(database))[logged_before:]
    assert log == [
        ("action", "PA1.1", "owner", "adelev@example.com", "isaiahl@example.com"),
        ("action", "PA1.1", "due_date", "2026-12-01", "2026-12-08"),
        ("action", "PA1.2", "status", "not started", "blocked"),
    ]
    async with database.sessions() as session:
        entry = (
            (await session.execute(select(AuditLogEntry).order_by(AuditLogEntry.id.desc())))
            .scalars()
            .first()
        )
    assert entry is not None
    assert entry.source is ChangeSource.IMPORT
    assert entry.actor == "import of actions-dec.csv"
    assert entry.occurred_at is not None


async def test_creations_and_manager_changes_are_logged_for_staff(
    database: Database, tmp_path: Path
) -> None:
    await run(database, "staff", write_csv(tmp_path / "staff.csv", STAFF))
    moved = STAFF.replace("Assessment,boss@example.com,Annex A lead", "Front door,,Annex A lead")

    result = await run(database, "staff", write_csv(tmp_path / "staff2.csv", moved))

    assert result.counts == UpsertCounts(new=0, updated=1, unchanged=2)
    log = await audit_log(database)
    assert ("team", "Assessment", None, None, None) in log
    assert ("staff", "boss@example.com", None, None, None) in log
    assert log[-3:] == [
        ("team", "Front door", None, None, None),
        ("staff", "isaiahl@example.com", "team", "Assessment", "Front door"),
        ("staff", "isaiahl@example.com", "manager", "boss@example.com", None),
    ]


async def test_dry_run_counts_exactly_and_writes_nothing(
    database: Database, tmp_path: Path
) -> None:
    staff = write_csv(tmp_path / "staff.csv", STAFF)
    before = await row_counts(database)

    result = await run(database, "staff", staff, dry_run=True)

    assert result.dry_run is True
    assert result.counts == UpsertCounts(new=3)
    assert await row_counts(database) == before


async def test_xlsx_and_csv_give_the_same_result(database: Database, tmp_path: Path) -> None:
    xlsx_database = Database(f"sqlite+aiosqlite:///{tmp_path / 'from-xlsx.db'}")
    await upgrade_database(xlsx_database)
    try:
        for kind, file_name, _ in DEMO_FILES:
            source = demo_file(file_name)
            await run(database, kind, source)
            await run(xlsx_database, kind, csv_to_xlsx(source, tmp_path / f"{kind}.xlsx"))

        from_csv = await snapshot(database)
        assert from_csv == await snapshot(xlsx_database)
        assert [len(rows) for rows in from_csv.values()] == [30, 43, 60, 12]
    finally:
        await xlsx_database.dispose()


async def test_xlsx_dates_typed_as_dates_are_read_as_dates(
    database: Database, tmp_path: Path
) -> None:
    await run(database, "staff", write_csv(tmp_path / "staff.csv", STAFF))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["ref", "priority_area", "description", "owner_email", "due_date", "status"])
    sheet.append(
        [
            "PA9",
            "Area",
            "Typed date",
            "adelev@example.com",
            datetime(2026, 12, 3),  # noqa: DTZ001 (Excel cells hold naive datetimes)
            None,
        ]
    )
    sheet.append(["PA10", "Area", "Number ref", "adelev@example.com", date(2026, 12, 4), 1.0])
    workbook.save(tmp_path / "typed.xlsx")

    problems = await problems_of(database, "actions", tmp_path / "typed.xlsx")

    assert problems == [
        f"{tmp_path / 'typed.xlsx'}:3:status: unknown value '1'; use one of: not started, "
        "in progress, complete, blocked"
    ]


async def test_progress_is_reported_in_batches(database: Database, tmp_path: Path) -> None:
    rows = "\n".join(f"boss{i}@example.com,Person {i},manager,Team {i % 4},," for i in range(1200))
    reports: list[tuple[int, int]] = []

    await run(
        database,
        "staff",
        write_csv(tmp_path / "staff.csv", f"{STAFF_HEADER}\n{rows}"),
        progress=lambda done, total: reports.append((done, total)),
    )

    assert reports == [(500, 1200), (1000, 1200), (1200, 1200)]


async def test_demo_loads_every_file_and_keeps_later_changes(database: Database) -> None:
    async with database.sessions() as session, session.begin():
        first = await load_demo(session, DEMO_ANCHOR)
    async with database.sessions() as session, session.begin():
        adele = (
            await session.execute(select(Staff).where(Staff.email == "adelev@example.com"))
        ).scalar_one()
        adele.name = "Adele V."
    async with database.sessions() as session, session.begin():
        second = await load_demo(session, date(2027, 3, 1))

    assert [c.new for c in first.values()] == [30, 9, 8, 43, 60, 12, 145]
    assert all(c.new == 0 and c.updated == 0 for c in second.values())
    async with database.sessions() as session:
        adele = (
            await session.execute(select(Staff).where(Staff.email == "adelev@example.com"))
        ).scalar_one()
    assert adele.name == "Adele V."


def test_demo_dates_move_by_whole_weeks() -> None:
    # Ten weeks on, no event lands on a bank holiday, so each keeps its weekday.
    written = demo_table(ImportKind.EVENTS, DEMO_ANCHOR)
    moved = demo_table(ImportKind.EVENTS, date(2027, 2, 4))

    for before, after in zip(written.rows, moved.rows, strict=True):
        shift = parse_date(after.cells["date"]) - parse_date(before.cells["date"])
        assert shift.days == 70
