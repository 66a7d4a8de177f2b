"""The roster: upserts by email with line managers, and look-ups."""

from __future__ import annotations

from sqlalchemy import select

from demo.loader import demo_roster, load_demo
from store.db import Database
from store.models import Staff, StaffRole
from store.repositories import staff as staff_repository
from store.repositories.staff import RosterEntry, UpsertCounts


async def roster(database: Database) -> dict[str, Staff]:
    async with database.sessions() as session:
        return {s.email: s for s in (await session.execute(select(Staff))).scalars()}


async def upsert(database: Database, entries: list[RosterEntry]) -> UpsertCounts:
    async with database.sessions() as session, session.begin():
        return await staff_repository.upsert_roster(session, entries)


async def test_demo_loads_once_and_links_line_managers(database: Database) -> None:
    async with database.sessions() as session, session.begin():
        first = await load_demo(session)
    async with database.sessions() as session, session.begin():
        second = await load_demo(session)

    people = len(demo_roster())
    assert first == UpsertCounts(new=people, updated=0, unchanged=0)
    assert second == UpsertCounts(new=0, updated=0, unchanged=people)
    staff = await roster(database)
    assert staff["adelev@example.com"].manager_id == staff["meganb@example.com"].id
    assert staff["meganb@example.com"].manager_id == staff["pattif@example.com"].id
    assert staff["alexw@example.com"].role is StaffRole.COORDINATOR


async def test_upsert_updates_only_what_changed_and_ignores_email_case(
    database: Database,
) -> None:
    await upsert(
        database,
        [
            RosterEntry("Boss@Example.com", "Boss", StaffRole.MANAGER),
            RosterEntry("worker@example.com", "Worker", StaffRole.PRACTITIONER, "Team A"),
        ],
    )

    counts = await upsert(
        database,
        [
            RosterEntry("boss@example.com", "Boss", StaffRole.MANAGER),
            RosterEntry(
                "WORKER@example.com",
                "Worker",
                StaffRole.PRACTITIONER,
                "Team A",
                manager_email="boss@example.com",
            ),
        ],
    )

    assert counts == UpsertCounts(new=0, updated=1, unchanged=1)
    staff = await roster(database)
    assert sorted(staff) == ["boss@example.com", "worker@example.com"]
    assert staff["worker@example.com"].manager_id == staff["boss@example.com"].id


async def test_find_by_emails_tries_each_address_in_order(database: Database) -> None:
    await upsert(database, [RosterEntry("isaiahl@example.com", "Isaiah", StaffRole.PRACTITIONER)])

    async with database.sessions() as session:
        found = await staff_repository.find_by_emails(
            session, ["nobody@example.com", " IsaiahL@Example.com "]
        )
        missing = await staff_repository.find_by_emails(session, ["", "nobody@example.com"])

    assert found is not None
    assert found.email == "isaiahl@example.com"
    assert missing is None
