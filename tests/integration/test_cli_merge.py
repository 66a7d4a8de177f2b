"""The command line's export, the kept-in-Teams report, --prefer-file and relative deadlines."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from store.db import Database
from store.models import Action, ActionStatus, utc_now
from store.repositories import audit_log
from tests.conftest import sqlite_url
from tests.importing import STAFF_HEADER, write_csv

STAFF = f"{STAFF_HEADER}\nadelev@example.com,Adele Vance,practitioner,Assessment,,\n"
RECOMMENDATIONS = "ref,source,text,received,lead_email\nR1,focused visit,Oversight,2026-12-22,\n"
ACTIONS = (
    "ref,priority_area,description,owner_email,due_date,status,evidence_required,recommendation\n"
    "PA1,Oversight,Supervision,adelev@example.com,immediately,in progress,,R1\n"
)


@pytest.fixture
def database_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", sqlite_url(tmp_path))
    return tmp_path


def complete_in_teams(directory: Path) -> None:
    async def change() -> None:
        database = Database(sqlite_url(directory))
        async with database.sessions() as session, session.begin():
            stored = (await session.execute(select(Action))).scalar_one()
            stored.status = ActionStatus.COMPLETE
            stored.completed_at = utc_now()
            audit_log.record_change(
                session,
                actor="adelev@example.com",
                entity="action",
                key="PA1",
                field="status",
                old="in progress",
                new="complete",
            )
        await database.dispose()

    asyncio.run(change())


def stored_status(directory: Path) -> ActionStatus:
    async def read() -> ActionStatus:
        database = Database(sqlite_url(directory))
        async with database.sessions() as session:
            status = (await session.execute(select(Action.status))).scalar_one()
        await database.dispose()
        return status

    return asyncio.run(read())


def imported(directory: Path) -> Path:
    for kind, text in (("staff", STAFF), ("recommendations", RECOMMENDATIONS)):
        assert main(["import", kind, str(write_csv(directory / f"{kind}.csv", text))]) == 0
    actions = write_csv(directory / "actions.csv", ACTIONS)
    assert main(["import", "actions", str(actions)]) == 0
    return actions


def test_export_writes_the_import_format_with_the_deadline_worked_out(
    database_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported(database_env)
    exported = database_env / "plan.csv"

    assert main(["export", "actions", str(exported)]) == 0

    assert capsys.readouterr().out.splitlines()[-1] == f"{exported}: 1 actions written"
    # Received Tue 22 Dec 2026; five working days past Christmas is Thu 31 Dec.
    assert exported.read_text(encoding="utf-8-sig").splitlines() == [
        "ref,priority_area,description,owner_email,due_date,status,evidence_required,"
        "recommendation",
        "PA1,Oversight,Supervision,adelev@example.com,2026-12-31,in progress,,R1",
    ]


def test_immediately_follows_the_setting(
    database_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTION_READY_IMMEDIATELY_DAYS", "1")
    imported(database_env)
    exported = database_env / "plan.csv"

    assert main(["export", "actions", str(exported)]) == 0

    assert ",2026-12-23," in exported.read_text(encoding="utf-8-sig")


def test_a_bad_immediately_setting_stops_the_import(
    database_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INSPECTION_READY_IMMEDIATELY_DAYS", "soon")

    assert main(["import", "staff", str(write_csv(database_env / "s.csv", STAFF))]) == 2

    assert "INSPECTION_READY_IMMEDIATELY_DAYS must be a whole number, got 'soon'" in (
        capsys.readouterr().err
    )


def test_the_import_prints_what_it_kept_from_teams_and_prefer_file_replaces_it(
    database_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actions = imported(database_env)
    complete_in_teams(database_env)
    write_csv(actions, ACTIONS.replace("in progress", "blocked"))
    capsys.readouterr()

    assert main(["import", "actions", str(actions)]) == 0
    kept = capsys.readouterr().out.splitlines()
    assert main(["import", "actions", str(actions)]) == 0
    kept_again = capsys.readouterr().out.splitlines()
    assert main(["import", "actions", str(actions), "--prefer-file"]) == 0
    replaced = capsys.readouterr().out.splitlines()
    assert main(["import", "actions", str(actions)]) == 0
    after = capsys.readouterr().out.splitlines()

    assert re.fullmatch(
        rf"{re.escape(str(actions))}:2:status: kept the value set in Teams on "
        r"\d{4}-\d{2}-\d{2} \(file has 'blocked'\)",
        kept[0],
    )
    assert kept[1] == (
        f"{actions}: 0 new, 0 updated, 1 unchanged, 1 value(s) set in Teams kept (listed above)"
    )
    # Teams' value was kept, so the baseline is still the last imported one: the same
    # file reports the dispute again until it is resolved.
    assert kept_again == kept
    assert re.fullmatch(
        rf"{re.escape(str(actions))}:2:status: replaced the value set in Teams on "
        r"\d{4}-\d{2}-\d{2} \('complete'\) with the file's",
        replaced[0],
    )
    assert replaced[1].startswith(f"{actions}: 0 new, 1 updated, 0 unchanged")
    assert stored_status(database_env) is ActionStatus.BLOCKED
    # Resolved: the file's value is the baseline now, so nothing is disputed.
    assert after == [f"{actions}: 0 new, 0 updated, 1 unchanged"]


def test_prefer_file_on_the_first_dispute_takes_the_file(
    database_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actions = imported(database_env)
    complete_in_teams(database_env)
    write_csv(actions, ACTIONS.replace("in progress", "blocked"))
    capsys.readouterr()

    assert main(["import", "actions", str(actions), "--prefer-file"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(
        rf"{re.escape(str(actions))}:2:status: replaced the value set in Teams on "
        r"\d{4}-\d{2}-\d{2} \('complete'\) with the file's",
        lines[0],
    )
    assert lines[1] == (
        f"{actions}: 0 new, 1 updated, 0 unchanged, 1 value(s) set in Teams replaced "
        "(listed above)"
    )


def test_export_refuses_another_kind_of_file(
    database_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "staff", str(database_env / "staff.pdf")]) == 1

    assert "the export must be a .csv or .xlsx file" in capsys.readouterr().err
