"""Every validation rule of the importers, each with a bad file that proves nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.db import Database
from store.importers.problems import ImportFileError
from tests.importing import STAFF_HEADER, problems_of, row_counts, run, write_csv

ROSTER = f"""
{STAFF_HEADER}
boss@example.com,Boss Person,manager,Leadership,,
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,
"""


@pytest.fixture
async def roster(database: Database, tmp_path: Path) -> Database:
    await run(database, "staff", write_csv(tmp_path / "roster.csv", ROSTER))
    return database


async def assert_rejected(database: Database, kind: str, path: Path, expected: list[str]) -> None:

    assert await problems_of(database, kind, path) == expected


async def test_unknown_and_repeated_columns(roster: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "a.csv",
        """
ref,priority_area,description,owner_email,due_date,status,RAG,status
PA1,Area,Do it,adelev@example.com,2026-12-01,in progress,red,
""",
    )

    await assert_rejected(
        roster,
        "actions",
        path,
        [
            f"{path}:1:RAG: unknown column; expected ref, priority_area, description, "
            "owner_email, due_date, status, evidence_required, recommendation",
            f"{path}:1:status: column appears twice",
        ],
    )


async def test_missing_required_column_is_reported_once(roster: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "a.csv",
        """
ref,priority_area,description,owner_email,due date
PA1,Area,Do it,adelev@example.com,2026-12-01
PA2,Area,Do it,adelev@example.com,2026-12-01
""",
    )

    await assert_rejected(
        roster,
        "actions",
        path,
        [
            f"{path}:1:due date: unknown column; expected ref, priority_area, description, "
            "owner_email, due_date, status, evidence_required, recommendation",
            f"{path}:1:due_date: required column is missing",
        ],
    )


async def test_missing_values_bad_dates_unknown_people_and_statuses(
    roster: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "actions.csv",
        """
ref,priority_area,description,owner_email,due_date,status,evidence_required
PA1,,Do it,nobody@example.com,31/02/2026,maybe,
PA2,Area,Do it,adelev@example.com,3/4/26,,
PA3,Area,Do it,adelev@example.com,12/25/2026,,
PA4,Area,,not-an-email,next week,,
""",
    )

    await assert_rejected(
        roster,
        "actions",
        path,
        [
            f"{path}:2:due_date: impossible date '31/02/2026' (read as day/month/year)",
            f"{path}:2:owner_email: nobody@example.com is not on the roster; import them in "
            "the staff file first",
            f"{path}:2:priority_area: a value is required",
            f"{path}:2:status: unknown value 'maybe'; use one of: not started, in progress, "
            "complete, blocked",
            f"{path}:3:due_date: ambiguous date '3/4/26': write the year in full (DD/MM/YYYY)",
            f"{path}:4:due_date: impossible date '12/25/2026' (read as day/month/year)",
            f"{path}:5:description: a value is required",
            f"{path}:5:due_date: not a date or a deadline: 'next week'; use YYYY-MM-DD, "
            'DD/MM/YYYY, or a deadline such as "immediately", "within 20 working days", '
            '"within 6 weeks", "within 3 months"',
            f"{path}:5:owner_email: not an email address: 'not-an-email'",
        ],
    )


async def test_duplicate_keys_point_at_the_first_row(roster: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "audits.csv",
        """
ref,case_ref,audit_type,auditor_email,due_date,status
AUD-1,CR-1001,monthly,adelev@example.com,2026-11-30,assigned

AUD-1,CR-1002,monthly,adelev@example.com,2026-11-30,assigned
""",
    )

    await assert_rejected(
        roster, "audits", path, [f"{path}:4:ref: duplicate ref 'AUD-1' (first on row 2)"]
    )


async def test_unknown_audit_type_and_a_name_instead_of_a_case_reference(
    roster: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "audits.csv",
        """
ref,case_ref,audit_type,auditor_email,due_date,status
AUD-1,Jane Smith,monthly,adelev@example.com,2026-11-30,assigned
AUD-2,CR-1002,quarterly,adelev@example.com,2026-11-30,done
""",
    )

    await assert_rejected(
        roster,
        "audits",
        path,
        [
            f"{path}:2:case_ref: must be a case reference such as CR-104233 (letters, digits, "
            "- / . _ and at least one digit), never a name",
            f"{path}:3:audit_type: unknown value 'quarterly'; use one of: monthly, enhanced, "
            "thematic, multi-agency, inspection",
            f"{path}:3:status: unknown value 'done'; use one of: assigned, in progress, complete",
        ],
    )


async def test_unknown_roles_self_management_and_duplicate_emails(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{STAFF_HEADER}
a@example.com,A,director,,,
b@example.com,B,manager,,b@example.com,
B@Example.com,B again,manager,,,
""",
    )

    await assert_rejected(
        database,
        "staff",
        path,
        [
            f"{path}:2:role: unknown value 'director'; use one of: practitioner, manager, "
            "coordinator, admin, viewer",
            f"{path}:3:manager_email: a person cannot be their own line manager",
            f"{path}:4:email: duplicate email 'b@example.com' (first on row 3)",
        ],
    )


async def test_manager_not_on_the_roster(database: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{STAFF_HEADER}
a@example.com,A,practitioner,,ghost@example.com,
""",
    )

    await assert_rejected(
        database,
        "staff",
        path,
        [
            f"{path}:2:manager_email: line manager ghost@example.com is not on the roster; "
            "add them to this file"
        ],
    )


async def test_a_cycle_of_managers_is_reported_on_each_member(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{STAFF_HEADER}
a@example.com,A,manager,,b@example.com,
b@example.com,B,manager,,c@example.com,
c@example.com,C,manager,,a@example.com,
d@example.com,D,practitioner,,a@example.com,
""",
    )

    await assert_rejected(
        database,
        "staff",
        path,
        [
            f"{path}:2:manager_email: line managers form a loop: "
            "a@example.com -> b@example.com -> c@example.com -> a@example.com",
            f"{path}:3:manager_email: line managers form a loop: "
            "b@example.com -> c@example.com -> a@example.com -> b@example.com",
            f"{path}:4:manager_email: line managers form a loop: "
            "c@example.com -> a@example.com -> b@example.com -> c@example.com",
        ],
    )


async def test_a_cycle_through_someone_already_on_the_roster(
    roster: Database, tmp_path: Path
) -> None:
    # boss@ is stored without a manager; this file makes boss report to Adele, who reports
    # to boss: a loop only visible by combining the file with the database.
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{STAFF_HEADER}
boss@example.com,Boss Person,manager,Leadership,adelev@example.com,
""",
    )

    await assert_rejected(
        roster,
        "staff",
        path,
        [
            f"{path}:2:manager_email: line managers form a loop: "
            "boss@example.com -> adelev@example.com -> boss@example.com"
        ],
    )


async def test_events_need_a_known_kind_and_audience(roster: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "events.csv",
        """
title,date,kind,audience,notes
Monitoring visit,2026-12-14,inspection,all,
Team day,2026-12-15,other,team:Nowhere,
Board,2026-12-16,improvement_board,everyone,
Board,16/12/2026,improvement_board,managers,
""",
    )

    await assert_rejected(
        roster,
        "events",
        path,
        [
            f"{path}:2:kind: unknown value 'inspection'; use one of: monitoring_visit, "
            "action_plan_due, improvement_board, self_evaluation, annual_engagement, "
            "focused_visit, other",
            f"{path}:3:audience: no team called 'Nowhere' on the roster",
            f"{path}:4:audience: unknown audience 'everyone'; use all, managers, coordinators "
            "or team:NAME",
        ],
    )


async def test_events_with_the_same_title_on_the_same_date_written_differently(
    roster: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "events.csv",
        """
title,date,kind,audience,notes
Board,2026-12-16,improvement_board,managers,
Board,16/12/2026,improvement_board,managers,
""",
    )

    await assert_rejected(
        roster,
        "events",
        path,
        [
            f"{path}:3:title: duplicate event (title and date) 'Board (2026-12-16)' "
            "(first on row 2)"
        ],
    )


async def test_too_long_values_are_refused(roster: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "actions.csv",
        f"""
ref,priority_area,description,owner_email,due_date
{"R" * 65},Area,Do it,adelev@example.com,2026-12-01
""",
    )

    await assert_rejected(
        roster, "actions", path, [f"{path}:2:ref: too long (65 characters; at most 64)"]
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "no such file"),
        ("plan.txt", b"ref\n", "not a .csv or .xlsx file"),
        ("empty.csv", b"", "the file is empty; the first row must name the columns"),
        ("broken.xlsx", b"this is not a workbook", "not a readable .xlsx workbook"),
        ("binary.csv", b"\x00\x01\x02", "this is not a text CSV file"),
    ],
)
async def test_unreadable_files_are_refused(
    database: Database, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = await row_counts(database)

    with pytest.raises(ImportFileError, match=message):
        await run(database, "actions", path)
    assert await row_counts(database) == before
