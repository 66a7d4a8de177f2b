"""Viewers (board and elected members, read-only) cannot be given work by an import."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from store.db import Database
from store.importers.upsert import UpsertCounts
from store.models import Staff, StaffRole
from tests.importing import STAFF_HEADER, problems_of, run, write_csv

STAFF = f"""
{STAFF_HEADER}
boss@example.com,Boss Person,manager,Leadership,,
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,
lynner@example.com,Lynne Robbins,viewer,,,
"""
ACTIONS_HEADER = (
    "ref,priority_area,description,owner_email,due_date,status,evidence_required,recommendation"
)


async def roster(database: Database, tmp_path: Path) -> None:
    assert (await run(database, "staff", write_csv(tmp_path / "staff.csv", STAFF))).counts.new == 3


async def test_an_open_action_cannot_be_given_to_a_viewer(
    database: Database, tmp_path: Path
) -> None:
    await roster(database, tmp_path)
    path = write_csv(
        tmp_path / "actions.csv",
        f"""
{ACTIONS_HEADER}
PA1,Oversight,Supervision,lynner@example.com,2027-01-15,in progress,,
PA2,Oversight,Audit,adelev@example.com,2027-01-15,,,
PA3,Oversight,Old work,lynner@example.com,2026-11-15,,,
""",
    )

    assert await problems_of(database, "actions", path) == [
        f"{path}:2:owner_email: lynner@example.com is a viewer (read-only) and cannot own an "
        "open action; name someone else, or change their role in the staff file first",
        f"{path}:4:owner_email: lynner@example.com is a viewer (read-only) and cannot own an "
        "open action; name someone else, or change their role in the staff file first",
    ]


async def test_a_completed_action_may_stay_with_someone_who_became_a_viewer(
    database: Database, tmp_path: Path
) -> None:
    await roster(database, tmp_path)
    path = write_csv(
        tmp_path / "actions.csv",
        f"{ACTIONS_HEADER}\nPA1,Oversight,Supervision,lynner@example.com,2026-11-15,complete,,",
    )

    assert (await run(database, "actions", path)).counts == UpsertCounts(new=1)


async def test_an_open_audit_cannot_be_given_to_a_viewer(
    database: Database, tmp_path: Path
) -> None:
    await roster(database, tmp_path)
    path = write_csv(
        tmp_path / "audits.csv",
        """
ref,case_ref,audit_type,auditor_email,due_date,status
AUD-1,CR-104233,monthly,lynner@example.com,2027-01-15,assigned
AUD-2,CR-104234,monthly,adelev@example.com,2027-01-15,
""",
    )

    assert await problems_of(database, "audits", path) == [
        f"{path}:2:auditor_email: lynner@example.com is a viewer (read-only) and cannot do an "
        "audit; name someone else, or change their role in the staff file first",
    ]


async def test_a_viewer_cannot_lead_an_area_or_a_recommendation(
    database: Database, tmp_path: Path
) -> None:
    await roster(database, tmp_path)
    areas = write_csv(
        tmp_path / "areas.csv",
        "name,lead_email\nCare leavers,lynner@example.com\nOversight,boss@example.com",
    )
    recommendations = write_csv(
        tmp_path / "recommendations.csv",
        "ref,source,text,received,lead_email\n"
        "R1,focused visit,Oversight,2026-12-22,lynner@example.com\n"
        "R2,focused visit,Caseloads,2026-12-22,",
    )

    assert await problems_of(database, "areas", areas) == [
        f"{areas}:2:lead_email: lynner@example.com is a viewer (read-only) and cannot lead an "
        "area; name someone else, or change their role in the staff file first",
    ]
    assert await problems_of(database, "recommendations", recommendations) == [
        f"{recommendations}:2:lead_email: lynner@example.com is a viewer (read-only) and "
        "cannot lead a recommendation; name someone else, or change their role in the staff "
        "file first",
    ]


async def test_someone_with_work_cannot_be_made_a_viewer_until_it_is_reassigned(
    database: Database, tmp_path: Path
) -> None:
    await roster(database, tmp_path)
    for kind, text in (
        (
            "actions",
            f"{ACTIONS_HEADER}\n"
            "PA1,Oversight,Supervision,boss@example.com,2027-01-15,,,\n"
            "PA2,Oversight,Done,boss@example.com,2026-11-15,complete,,",
        ),
        (
            "audits",
            "ref,case_ref,audit_type,auditor_email,due_date,status\n"
            "AUD-1,CR-104233,monthly,boss@example.com,2027-01-15,in progress",
        ),
        ("areas", "name,lead_email\nOversight,boss@example.com"),
        (
            "recommendations",
            "ref,source,text,received,lead_email\nR1,focused visit,Oversight,,boss@example.com",
        ),
    ):
        await run(database, kind, write_csv(tmp_path / f"{kind}.csv", text))
    path = write_csv(
        tmp_path / "staff2.csv",
        STAFF.replace("boss@example.com,Boss Person,manager", "boss@example.com,Boss,viewer"),
    )

    assert await problems_of(database, "staff", path) == [
        f"{path}:2:role: boss@example.com cannot become a viewer (read-only) while they still "
        "have 1 open action(s), 1 open audit(s), 1 priority area(s) they lead, "
        "1 recommendation(s) they lead, 1 people they line-manage; reassign them first",
        f"{path}:3:manager_email: line manager boss@example.com is a viewer (read-only) and "
        "cannot manage people; name someone else",
    ]
    async with database.sessions() as session:
        role = (
            await session.execute(select(Staff.role).where(Staff.email == "boss@example.com"))
        ).scalar_one()
    assert role is StaffRole.MANAGER


async def test_someone_with_nothing_left_becomes_a_viewer(
    database: Database, tmp_path: Path
) -> None:
    await roster(database, tmp_path)
    path = write_csv(
        tmp_path / "staff2.csv",
        STAFF.replace(
            "adelev@example.com,Adele Vance,practitioner", "adelev@example.com,A,viewer"
        ),
    )

    assert (await run(database, "staff", path)).counts == UpsertCounts(updated=1, unchanged=2)
