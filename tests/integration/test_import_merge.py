"""Re-imports merge three ways: the last import, the file, and what was changed in Teams."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import delete, select

from store.db import Database
from store.importers import event_file
from store.importers.runner import IMPORTERS, ImportKind, MergeOptions
from store.importers.upsert import UpsertCounts
from store.models import Action, ActionStatus, AuditLogEntry, ChangeSource, ImportBaseline
from store.repositories import audit_log
from tests.importing import STAFF_HEADER, run, write_csv

STAFF = f"""
{STAFF_HEADER}
boss@example.com,Boss Person,manager,Leadership,,
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,
"""
HEADER = "ref,priority_area,description,owner_email,due_date,status,evidence_required"
PLAN = f"""
{HEADER}
PA1,Oversight,Monthly supervision,adelev@example.com,2027-01-15,in progress,Audit
PA2,Oversight,Dip sample of case notes,adelev@example.com,2027-02-01,not started,
"""
# When the practitioner acted in Teams (a Monday, so the report's date is plain).
IN_TEAMS = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)
# A zone where that moment is still the day before.
ALASKA_AND_BEYOND = timezone(timedelta(hours=-14))


async def imported(database: Database, tmp_path: Path, plan: str = PLAN) -> Path:
    await run(database, "staff", write_csv(tmp_path / "staff.csv", STAFF))
    path = write_csv(tmp_path / "actions.csv", plan)
    assert (await run(database, "actions", path)).counts == UpsertCounts(new=2)
    return path


async def change_in_teams(database: Database, ref: str, **values: object) -> None:
    """Changes an action as the bot's buttons do: the record, and one log entry a field."""
    async with database.sessions() as session, session.begin():
        stored = (await session.execute(select(Action).where(Action.ref == ref))).scalar_one()
        for name, value in values.items():
            old = getattr(stored, name)
            setattr(stored, name, value)
            audit_log.record_change(
                session,
                actor="adelev@example.com",
                entity="action",
                key=ref,
                field=name,
                old=str(old),
                new=str(getattr(value, "value", value)),
            )
        await session.flush()
        # The log says when; the test's clock is not the wall clock.
        entries = await session.execute(
            select(AuditLogEntry).where(
                AuditLogEntry.entity_key == ref, AuditLogEntry.source == ChangeSource.BOT
            )
        )
        for entry in entries.scalars():
            entry.occurred_at = IN_TEAMS


async def stored(database: Database, ref: str) -> Action:
    async with database.sessions() as session:
        return (await session.execute(select(Action).where(Action.ref == ref))).scalar_one()


async def test_a_field_changed_only_in_the_file_is_updated(
    database: Database, tmp_path: Path
) -> None:
    path = await imported(database, tmp_path)
    write_csv(path, PLAN.replace("Monthly supervision", "Fortnightly supervision"))

    result = await run(database, "actions", path)

    assert result.counts == UpsertCounts(updated=1, unchanged=1)
    assert result.reports == ()
    assert (await stored(database, "PA1")).description == "Fortnightly supervision"


async def test_completed_in_teams_is_not_undone_by_last_weeks_spreadsheet(
    database: Database, tmp_path: Path
) -> None:
    path = await imported(database, tmp_path)
    await change_in_teams(
        database,
        "PA1",
        status=ActionStatus.COMPLETE,
        completion_note="Audit of 20 files",
        completed_at=IN_TEAMS,
    )

    result = await run(database, "actions", path)

    assert result.counts == UpsertCounts(unchanged=2)
    assert result.reports == ()
    action = await stored(database, "PA1")
    assert (action.status, action.completion_note, action.completed_at) == (
        ActionStatus.COMPLETE,
        "Audit of 20 files",
        IN_TEAMS,
    )


async def test_a_due_date_moved_in_teams_survives_while_the_file_changes_other_fields(
    database: Database, tmp_path: Path
) -> None:
    path = await imported(database, tmp_path)
    await change_in_teams(database, "PA1", due_date=date(2027, 2, 26))
    write_csv(path, PLAN.replace("Monthly supervision", "Fortnightly supervision"))

    result = await run(database, "actions", path)

    assert result.counts == UpsertCounts(updated=1, unchanged=1)
    action = await stored(database, "PA1")
    assert (action.description, action.due_date) == ("Fortnightly supervision", date(2027, 2, 26))


async def test_changed_in_both_keeps_teams_and_reports_the_row_and_column(
    database: Database, tmp_path: Path
) -> None:
    path = await imported(database, tmp_path)
    await change_in_teams(database, "PA1", status=ActionStatus.COMPLETE, completed_at=IN_TEAMS)
    write_csv(path, PLAN.replace("2027-01-15,in progress", "2027-01-15,blocked"))

    result = await run(database, "actions", path)

    assert [str(report) for report in result.reports] == [
        f"{path}:2:status: kept the value set in Teams on 2026-12-07 (file has 'blocked')"
    ]
    assert result.counts == UpsertCounts(unchanged=2)
    assert (await stored(database, "PA1")).status is ActionStatus.COMPLETE


async def test_prefer_file_takes_the_files_value_and_says_what_it_replaced(
    database: Database, tmp_path: Path
) -> None:
    path = await imported(database, tmp_path)
    await change_in_teams(database, "PA1", status=ActionStatus.COMPLETE, completed_at=IN_TEAMS)
    write_csv(path, PLAN.replace("2027-01-15,in progress", "2027-01-15,blocked"))

    result = await run(database, "actions", path, merging=MergeOptions(prefer_file=True))

    assert [str(report) for report in result.reports] == [
        f"{path}:2:status: replaced the value set in Teams on 2026-12-07 ('complete') "
        "with the file's"
    ]
    assert result.counts == UpsertCounts(updated=1, unchanged=1)
    action = await stored(database, "PA1")
    assert (action.status, action.completed_at) == (ActionStatus.BLOCKED, None)


async def test_the_report_gives_the_date_in_the_councils_time_zone(
    database: Database, tmp_path: Path
) -> None:
    path = await imported(database, tmp_path)
    await change_in_teams(database, "PA1", status=ActionStatus.COMPLETE, completed_at=IN_TEAMS)
    write_csv(path, PLAN.replace("2027-01-15,in progress", "2027-01-15,blocked"))

    result = await run(database, "actions", path, merging=MergeOptions(timezone=ALASKA_AND_BEYOND))

    assert "set in Teams on 2026-12-06 " in str(result.reports[0])


async def test_the_same_file_again_reports_the_dispute_again_until_resolved(
    database: Database, tmp_path: Path
) -> None:
    path = await imported(database, tmp_path)
    await change_in_teams(database, "PA1", status=ActionStatus.COMPLETE, completed_at=IN_TEAMS)
    write_csv(path, PLAN.replace("2027-01-15,in progress", "2027-01-15,blocked"))
    first = await run(database, "actions", path)

    again = await run(database, "actions", path)

    assert (again.reports, again.counts) == (first.reports, UpsertCounts(unchanged=2))
    assert len(again.reports) == 1
    assert (await stored(database, "PA1")).status is ActionStatus.COMPLETE


async def test_a_new_row_is_added_and_a_row_missing_from_the_file_is_kept(
    database: Database, tmp_path: Path
) -> None:
    path = await imported(database, tmp_path)
    without_pa2 = "\n".join(line for line in PLAN.splitlines() if not line.startswith("PA2"))
    new_row = "PA3,Care leavers,Pathway plans,adelev@example.com,2027-03-01,,"
    write_csv(path, f"{without_pa2}\n{new_row}")

    result = await run(database, "actions", path)

    assert result.counts == UpsertCounts(new=1, unchanged=1)
    assert result.not_in_file == 1
    assert (await stored(database, "PA2")).description == "Dip sample of case notes"
    assert (await stored(database, "PA3")).status is ActionStatus.NOT_STARTED


async def test_a_dry_run_reports_the_same_and_keeps_no_baseline(
    database: Database, tmp_path: Path
) -> None:
    path = await imported(database, tmp_path)
    await change_in_teams(database, "PA1", status=ActionStatus.COMPLETE, completed_at=IN_TEAMS)
    write_csv(path, PLAN.replace("2027-01-15,in progress", "2027-01-15,blocked"))

    first = await run(database, "actions", path, dry_run=True)
    second = await run(database, "actions", path, dry_run=True)

    assert len(first.reports) == len(second.reports) == 1


async def test_rows_imported_before_baselines_existed_ask_the_audit_log(
    database: Database, tmp_path: Path
) -> None:
    path = await imported(database, tmp_path)
    async with database.sessions() as session, session.begin():
        await session.execute(delete(ImportBaseline))
    await change_in_teams(database, "PA1", status=ActionStatus.COMPLETE, completed_at=IN_TEAMS)
    # PA2 was last changed by an import: the file's new value is taken.
    write_csv(path, PLAN.replace("2027-02-01,not started", "2027-02-01,in progress"))

    result = await run(database, "actions", path)

    assert [str(report) for report in result.reports] == [
        f"{path}:2:status: kept the value set in Teams on 2026-12-07 (file has 'in progress')"
    ]
    assert (await stored(database, "PA1")).status is ActionStatus.COMPLETE
    assert (await stored(database, "PA2")).status is ActionStatus.IN_PROGRESS
    assert result.counts == UpsertCounts(updated=1, unchanged=1)


async def test_an_owner_changed_in_the_file_is_reported_by_column(
    database: Database, tmp_path: Path
) -> None:
    staff = STAFF + "isaiahl@example.com,Isaiah Langer,practitioner,Assessment,boss@example.com,"
    await run(database, "staff", write_csv(tmp_path / "staff.csv", staff))
    path = write_csv(tmp_path / "actions.csv", PLAN)
    await run(database, "actions", path)
    write_csv(path, PLAN.replace("Monthly supervision,adelev", "Monthly supervision,isaiahl"))

    result = await run(database, "actions", path)

    assert result.counts == UpsertCounts(updated=1, unchanged=1)
    async with database.sessions() as session:
        [baseline] = (
            await session.execute(select(ImportBaseline).where(ImportBaseline.key == "PA1"))
        ).scalars()
    assert baseline.values["owner_id"] == "isaiahl@example.com"


async def test_an_importer_that_names_no_fields_is_applied_as_the_file_says(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def apply_as_is(session: Any, records: Any, log: Any, **options: Any) -> Any:
        assert "merge" not in options
        return await event_file.apply(session, records, log, **options)

    plain = SimpleNamespace(
        COLUMNS=event_file.COLUMNS,
        ENTITY=event_file.ENTITY,
        validate=event_file.validate,
        apply=apply_as_is,
    )
    monkeypatch.setitem(IMPORTERS, ImportKind.EVENTS, plain)
    path = write_csv(tmp_path / "e.csv", "title,date,kind\nBoard,2027-01-14,improvement_board")

    result = await run(database, "events", path)

    assert (result.counts, result.reports, result.not_in_file) == (UpsertCounts(new=1), (), 0)
    async with database.sessions() as session:
        assert (await session.execute(select(ImportBaseline))).first() is None


async def test_a_column_the_file_leaves_out_changes_nothing(
    database: Database, tmp_path: Path
) -> None:
    path = await imported(database, tmp_path)
    # The plan without its optional status and evidence columns, one description edited.
    write_csv(
        path,
        """
ref,priority_area,description,owner_email,due_date
PA1,Oversight,Fortnightly supervision,adelev@example.com,2027-01-15
PA2,Oversight,Dip sample of case notes,adelev@example.com,2027-02-01
""",
    )

    result = await run(database, "actions", path)

    assert result.counts == UpsertCounts(updated=1, unchanged=1)
    action = await stored(database, "PA1")
    assert (action.description, action.status, action.evidence_required) == (
        "Fortnightly supervision",
        ActionStatus.IN_PROGRESS,
        "Audit",
    )


async def test_a_change_the_log_does_not_have_is_dated_by_the_records_last_change(
    database: Database, tmp_path: Path
) -> None:
    path = await imported(database, tmp_path)
    async with database.sessions() as session, session.begin():
        stored_action = (
            await session.execute(select(Action).where(Action.ref == "PA1"))
        ).scalar_one()
        stored_action.status = ActionStatus.BLOCKED
        await session.flush()
        stored_action.updated_at = IN_TEAMS
    write_csv(path, PLAN.replace("2027-01-15,in progress", "2027-01-15,complete"))

    result = await run(database, "actions", path)

    assert [str(report) for report in result.reports] == [
        f"{path}:2:status: kept the value set in Teams on 2026-12-07 (file has 'complete')"
    ]
