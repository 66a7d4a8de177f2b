"""The `inspection-ready` command line: db upgrade, demo, and configuration errors."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli import main
from store.db import Database
from store.repositories import audit_log
from store.repositories import knowledge as knowledge_repository
from tests.conftest import sqlite_url
from tests.importing import STAFF_HEADER, write_csv


@pytest.fixture
def database_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", sqlite_url(tmp_path))
    return tmp_path / "inspection-ready.db"


def test_demo_is_idempotent(database_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    assert main(["demo"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "Demo staff: 30 new, 0 updated, 0 unchanged",
        "Demo areas: 9 new, 0 updated, 0 unchanged",
        "Demo recommendations: 8 new, 0 updated, 0 unchanged",
        "Demo actions: 43 new, 0 updated, 0 unchanged",
        "Demo audits: 60 new, 0 updated, 0 unchanged",
        "Demo events: 12 new, 0 updated, 0 unchanged",
        "Demo cases: 145 new, 0 updated, 0 unchanged",
        "Demo staff: 0 new, 0 updated, 30 unchanged",
        "Demo areas: 0 new, 0 updated, 9 unchanged",
        "Demo recommendations: 0 new, 0 updated, 8 unchanged",
        "Demo actions: 0 new, 0 updated, 43 unchanged",
        "Demo audits: 0 new, 0 updated, 60 unchanged",
        "Demo events: 0 new, 0 updated, 12 unchanged",
        "Demo cases: 0 new, 0 updated, 145 unchanged",
    ]
    assert database_env.exists()


def test_db_upgrade_creates_the_database(database_env: Path) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "upgrade"]) == 0

    assert database_env.exists()


def test_a_bad_setting_exits_2_naming_the_variable(
    database_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PORT", "eighty")

    assert main(["serve"]) == 2
    assert "configuration error: PORT must be a whole number" in capsys.readouterr().err


def test_an_unreachable_database_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:9/nothing")

    assert main(["db", "upgrade"]) == 1
    assert "database error: could not migrate the database" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["launch"], ["db"], ["db", "downgrade"]])
def test_unknown_or_missing_commands_exit_2_with_usage(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)

    assert exit_info.value.code == 2
    assert "usage: inspection-ready" in capsys.readouterr().err


def test_import_prints_counts_then_is_idempotent(
    database_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = write_csv(tmp_path / "staff.csv", f"{STAFF_HEADER}\na@example.com,A,manager,,,\n")

    assert main(["import", "staff", str(staff), "--dry-run"]) == 0
    assert main(["import", "staff", str(staff)]) == 0
    assert main(["import", "staff", str(staff)]) == 0

    assert capsys.readouterr().out.splitlines() == [
        f"{staff}: 1 new, 0 updated, 0 unchanged (dry run: nothing was written)",
        f"{staff}: 1 new, 0 updated, 0 unchanged",
        f"{staff}: 0 new, 0 updated, 1 unchanged",
    ]


def test_import_with_problems_lists_them_all_and_exits_1(
    database_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = write_csv(
        tmp_path / "staff.csv",
        f"{STAFF_HEADER}\na@example.com,A,boss,,,\nnot-an-email,B,manager,,,\n",
    )

    assert main(["import", "staff", str(staff)]) == 1

    output = capsys.readouterr()
    assert output.out.splitlines() == [
        f"{staff}:2:role: unknown value 'boss'; use one of: practitioner, manager, "
        "coordinator, admin, viewer",
        f"{staff}:3:email: not an email address: 'not-an-email'",
    ]
    assert "2 problem(s) found; nothing was imported." in output.err


def test_import_limits_come_from_the_environment(
    database_env: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = "".join(f"p{n}@example.com,P{n},practitioner,,,\n" for n in range(3))
    staff = write_csv(tmp_path / "staff.csv", f"{STAFF_HEADER}\n{rows}")
    monkeypatch.setenv("INSPECTION_READY_IMPORT_MAX_ROWS", "2")

    assert main(["import", "staff", str(staff)]) == 1
    assert "more than 2 data rows; the limit is 2 (INSPECTION_READY_IMPORT_MAX_ROWS)" in (
        capsys.readouterr().err
    )
    monkeypatch.setenv("INSPECTION_READY_IMPORT_MAX_ROWS", "3")
    monkeypatch.setenv("INSPECTION_READY_IMPORT_MAX_MB", "1")
    assert main(["import", "staff", str(staff)]) == 0


def test_import_of_an_unreadable_file_exits_1(
    database_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "events", str(tmp_path / "calendar.xls")]) == 1
    assert "calendar.xls: not a .csv or .xlsx file" in capsys.readouterr().err


def test_import_kind_must_be_one_of_the_four(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "children", "file.csv"])

    assert exit_info.value.code == 2
    assert "invalid choice: 'children'" in capsys.readouterr().err


def test_ask_prints_the_answer_with_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "ICPC timescale, strategy discussion was on 3 March 2026"]) == 0

    output = capsys.readouterr().out
    assert output.startswith("Initial child protection conference (ICPC) timing\n")
    assert "15 working days" in output
    assert "the deadline is Tuesday 24 March 2026" in output
    assert "Source: Sussex Child Protection" in output
    assert "Applies to: Working Together to Safeguard Children 2023." in output


def test_ask_off_topic_says_it_is_not_sure(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "how do I book annual leave"]) == 0

    assert capsys.readouterr().out.startswith("I'm not sure I have the right answer to that.")


def test_ask_without_a_question_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "  "]) == 2
    assert "ask needs a question" in capsys.readouterr().err


def test_unanswered_lists_recent_gaps(
    database_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["unanswered"]) == 0
    assert capsys.readouterr().out == (
        "No unanswered questions in the last 30 days.\n"
        "No answers marked not helpful in the last 30 days.\n"
    )

    async def record() -> None:
        database = Database(sqlite_url(database_env.parent))
        async with database.sessions() as session, session.begin():
            knowledge_repository.record_unanswered(session, "wifi password", None, ["a", "b"])
            for voter, helpful in (("a@x", False), ("b@x", False), ("c@x", True)):
                await knowledge_repository.record_vote(
                    session, answer_ref=voter, entry_id="icpc-timescale", voter=voter,
                    helpful=helpful,
                )  # fmt: skip
        await database.dispose()

    asyncio.run(record())
    assert main(["unanswered", "--days", "7"]) == 0

    first, *rest = capsys.readouterr().out.splitlines()
    assert first.endswith("  not on the roster  'wifi password'  (nearest: a, b)")
    assert rest == ["Answers marked not helpful in the last 7 days:", "  2  icpc-timescale"]


def test_package_needs_neither_the_secret_nor_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    app_id = "1b4e28ba-2fa1-4d2e-883f-0016d3cca427"
    # Without a password the service's settings would refuse to start; packaging need not.
    monkeypatch.setenv("MicrosoftAppId", app_id)
    monkeypatch.delenv("MicrosoftAppPassword", raising=False)
    monkeypatch.setenv("INSPECTION_READY_PUBLIC_URL", "https://bot.example.gov.uk")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:1/none")
    output = tmp_path / "appPackage.zip"

    assert main(["package", "--output", str(output)]) == 0

    assert output.is_file()
    assert "https://bot.example.gov.uk/api/messages" in capsys.readouterr().out


def test_serve_refuses_a_broken_playbook_before_listening(
    database_env: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    playbook = tmp_path / "playbook.yaml"
    playbook.write_text("types: {ilacs_short: ILACS}\ngeneral: []\n", encoding="utf-8")
    monkeypatch.setenv("INSPECTION_READY_PLAYBOOK", str(playbook))
    monkeypatch.setenv("INSPECTION_READY_DEV_NO_AUTH", "1")

    assert main(["serve", "--port", "1"]) == 1

    assert (
        "inspection-ready: reminder rules or playbook error: general: give a list of tasks"
        in capsys.readouterr().err
    )
    assert not database_env.exists()


def test_relink_shows_changes_and_unlinks_a_roster_entry(
    database_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    account = "6F1C9A2E-0B7D-4C1A-9F3E-2A5B8C7D4E10"
    assert main(["demo"]) == 0
    capsys.readouterr()

    assert main(["relink", "AdeleV@example.com"]) == 0
    assert main(["relink", "adelev@example.com", "--aad-object-id", account]) == 0
    assert main(["relink", "meganb@example.com", "--aad-object-id", account]) == 1
    assert main(["relink", "adelev@example.com", "--unlink"]) == 0
    assert main(["relink", "adelev@example.com", "--aad-object-id", "not-a-guid"]) == 2
    assert main(["relink", "nobody@example.com"]) == 1

    output = capsys.readouterr()
    assert output.out.splitlines() == [
        "adelev@example.com: linked to no Teams account",
        f"adelev@example.com: linked to {account.lower()}",
        "adelev@example.com: linked to no Teams account",
    ]
    assert "that Teams account is linked to adelev@example.com" in output.err
    assert "--aad-object-id: not an AAD object id: 'not-a-guid'" in output.err
    assert "nobody with the email nobody@example.com is on the roster" in output.err
    database = Database(sqlite_url(database_env.parent))

    async def history() -> list[tuple[str, str | None, str | None]]:
        async with database.sessions() as session:
            entries = await audit_log.history(session, "staff", "adelev@example.com")
        await database.dispose()
        return [(e.actor, e.old_value, e.new_value) for e in entries if e.field == "aad_object_id"]

    assert asyncio.run(history()) == [
        ("inspection-ready relink (command line)", None, account.lower()),
        ("inspection-ready relink (command line)", account.lower(), None),
    ]
