"""Roster look-ups."""

from __future__ import annotations

from pathlib import Path

from store.db import Database
from store.models import StaffRole
from store.repositories import staff as staff_repository
from tests.importing import STAFF_HEADER, run, write_csv


async def test_find_by_emails_tries_each_address_in_order(
    database: Database, tmp_path: Path
) -> None:
    roster = f"{STAFF_HEADER}\nisaiahl@example.com,Isaiah,practitioner,,,\n"
    await run(database, "staff", write_csv(tmp_path / "staff.csv", roster))

    async with database.sessions() as session:
        found = await staff_repository.find_by_emails(
            session, ["nobody@example.com", " IsaiahL@Example.com "]
        )
        missing = await staff_repository.find_by_emails(session, ["", "nobody@example.com"])

    assert found is not None
    assert found.email == "isaiahl@example.com"
    assert missing is None


async def test_list_by_role_is_by_name(database: Database, tmp_path: Path) -> None:
    roster = f"""{STAFF_HEADER}
z@example.com,Zoe Coordinator,coordinator,,,
a@example.com,Amy Coordinator,coordinator,,,
p@example.com,Pat Practitioner,practitioner,,,
"""
    await run(database, "staff", write_csv(tmp_path / "staff.csv", roster))

    async with database.sessions() as session:
        coordinators = await staff_repository.list_by_role(session, StaffRole.COORDINATOR)

    assert [c.name for c in coordinators] == ["Amy Coordinator", "Zoe Coordinator"]
