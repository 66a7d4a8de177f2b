"""The staff file's optional aad_object_id column: set, replace, never unlink, never share."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from store.db import Database
from store.importers.upsert import UpsertCounts
from store.models import AuditLogEntry, ChangeSource, Staff
from tests.importing import STAFF_HEADER, problems_of, run, write_csv

HEADER = f"{STAFF_HEADER},aad_object_id"
ADELE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
BOSS_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
NEW_ID = "16fd2706-8baf-433b-82eb-8c7fada847da"


async def object_ids(database: Database) -> dict[str, str | None]:
    async with database.sessions() as session:
        staff = (await session.execute(select(Staff))).scalars()
        return {s.email: s.aad_object_id for s in staff}


async def id_changes(database: Database) -> list[tuple[str, str, str | None, str | None]]:
    async with database.sessions() as session:
        entries = (
            await session.execute(
                select(AuditLogEntry)
                .where(AuditLogEntry.field == "aad_object_id")
                .order_by(AuditLogEntry.id)
            )
        ).scalars()
        return [(e.actor, e.entity_key, e.old_value, e.new_value) for e in entries]


async def link_as_the_bot(database: Database, email: str, object_id: str) -> None:
    async with database.sessions() as session, session.begin():
        staff = (await session.execute(select(Staff).where(Staff.email == email))).scalar_one()
        staff.aad_object_id = object_id


@pytest.fixture
async def roster(database: Database, tmp_path: Path) -> Database:
    """Two people, imported without the column; the bot has since linked the boss."""
    await run(
        database,
        "staff",
        write_csv(
            tmp_path / "roster.csv",
            f"""
{STAFF_HEADER}
boss@example.com,Boss Person,manager,Leadership,,
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,
""",
        ),
    )
    await link_as_the_bot(database, "boss@example.com", BOSS_ID)
    return database


async def assert_rejected(database: Database, path: Path, expected: list[str]) -> None:
    ids_before = await object_ids(database)

    assert await problems_of(database, "staff", path) == expected
    assert await object_ids(database) == ids_before


async def test_ids_are_stored_lower_case_for_new_people_and_reimport_is_idempotent(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{HEADER}
boss@example.com,Boss Person,manager,Leadership,,,{BOSS_ID.upper()}
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,, {ADELE_ID}
isaiahl@example.com,Isaiah Langer,practitioner,Assessment,boss@example.com,,
""",
    )

    assert (await run(database, "staff", path)).counts == UpsertCounts(new=3)
    assert (await run(database, "staff", path)).counts == UpsertCounts(unchanged=3)

    assert await object_ids(database) == {
        "boss@example.com": BOSS_ID,
        "adelev@example.com": ADELE_ID,
        "isaiahl@example.com": None,
    }


async def test_a_file_id_replaces_one_the_bot_linked_and_the_change_is_logged(
    roster: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "entra.csv",
        f"""
{HEADER}
boss@example.com,Boss Person,manager,Leadership,,,{NEW_ID}
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,,{ADELE_ID}
""",
    )

    result = await run(roster, "staff", path)

    assert result.counts == UpsertCounts(updated=2)
    assert await object_ids(roster) == {
        "boss@example.com": NEW_ID,
        "adelev@example.com": ADELE_ID,
    }
    assert await id_changes(roster) == [
        ("import of entra.csv", "boss@example.com", BOSS_ID, NEW_ID),
        ("import of entra.csv", "adelev@example.com", None, ADELE_ID),
    ]
    async with roster.sessions() as session:
        sources = (
            await session.execute(
                select(AuditLogEntry.source).where(AuditLogEntry.field == "aad_object_id")
            )
        ).scalars()
        assert set(sources) == {ChangeSource.IMPORT}


@pytest.mark.parametrize(
    "file",
    [
        # An empty cell.
        f"{HEADER}\nboss@example.com,Boss Person,manager,Leadership,,,",
        # No column at all.
        f"{STAFF_HEADER}\nboss@example.com,Boss Person,manager,Leadership,,",
    ],
)
async def test_an_empty_cell_or_no_column_never_unlinks(
    roster: Database, tmp_path: Path, file: str
) -> None:
    result = await run(roster, "staff", write_csv(tmp_path / "staff.csv", file))

    assert result.counts == UpsertCounts(unchanged=1)
    assert (await object_ids(roster))["boss@example.com"] == BOSS_ID
    assert await id_changes(roster) == []


async def test_ids_swapped_between_two_people_are_corrected_in_one_file(
    roster: Database, tmp_path: Path
) -> None:
    await link_as_the_bot(roster, "adelev@example.com", ADELE_ID)
    path = write_csv(
        tmp_path / "fix.csv",
        f"""
{HEADER}
boss@example.com,Boss Person,manager,Leadership,,,{ADELE_ID}
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,,{BOSS_ID}
""",
    )

    result = await run(roster, "staff", path)

    assert result.counts == UpsertCounts(updated=2)
    assert await object_ids(roster) == {
        "boss@example.com": ADELE_ID,
        "adelev@example.com": BOSS_ID,
    }
    assert await id_changes(roster) == [
        ("import of fix.csv", "boss@example.com", BOSS_ID, ADELE_ID),
        ("import of fix.csv", "adelev@example.com", ADELE_ID, BOSS_ID),
    ]


async def test_an_id_moves_to_a_new_person_when_its_holder_gets_another(
    roster: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "move.csv",
        f"""
{HEADER}
boss@example.com,Boss Person,manager,Leadership,,,{NEW_ID}
isaiahl@example.com,Isaiah Langer,practitioner,Assessment,boss@example.com,,{BOSS_ID}
""",
    )

    result = await run(roster, "staff", path)

    assert result.counts == UpsertCounts(new=1, updated=1)
    assert await object_ids(roster) == {
        "boss@example.com": NEW_ID,
        "adelev@example.com": None,
        "isaiahl@example.com": BOSS_ID,
    }


async def test_a_value_that_is_not_a_guid_is_refused(roster: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{HEADER}
boss@example.com,Boss Person,manager,Leadership,,,{BOSS_ID[:-1]}
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,,{{{ADELE_ID}}}
isaiahl@example.com,Isaiah Langer,practitioner,Assessment,boss@example.com,,adele@example.com
""",
    )

    await assert_rejected(
        roster,
        path,
        [
            f"{path}:2:aad_object_id: not an AAD object id: '{BOSS_ID[:-1]}'; use the object "
            "id Entra ID shows, e.g. 6f1c9a2e-0b7d-4c1a-9f3e-2a5b8c7d4e10",
            f"{path}:3:aad_object_id: not an AAD object id: '{{{ADELE_ID}}}'; use the object "
            "id Entra ID shows, e.g. 6f1c9a2e-0b7d-4c1a-9f3e-2a5b8c7d4e10",
            f"{path}:4:aad_object_id: not an AAD object id: 'adele@example.com'; use the "
            "object id Entra ID shows, e.g. 6f1c9a2e-0b7d-4c1a-9f3e-2a5b8c7d4e10",
        ],
    )


async def test_the_same_id_twice_in_a_file_is_reported_on_the_second_row(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{HEADER}
boss@example.com,Boss Person,manager,Leadership,,,{ADELE_ID}
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,,{ADELE_ID.upper()}
""",
    )

    await assert_rejected(
        database,
        path,
        [f"{path}:3:aad_object_id: duplicate AAD object id '{ADELE_ID}' (first on row 2)"],
    )


@pytest.mark.parametrize(
    "boss_row",
    [
        # The holder is not in the file.
        "",
        # The holder is in the file, with an empty cell: that keeps their id.
        "boss@example.com,Boss Person,manager,Leadership,,,",
    ],
)
async def test_an_id_linked_to_someone_else_is_refused_naming_them(
    roster: Database, tmp_path: Path, boss_row: str
) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{HEADER}
{boss_row}
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,,{BOSS_ID.upper()}
""",
    )
    await assert_rejected(
        roster,
        path,
        [
            f"{path}:3:aad_object_id: AAD object id {BOSS_ID} is already linked to "
            "boss@example.com; to move it, give boss@example.com their own id in this file"
        ],
    )


async def test_an_id_the_bot_stored_in_upper_case_is_still_recognised(
    roster: Database, tmp_path: Path
) -> None:
    await link_as_the_bot(roster, "boss@example.com", BOSS_ID.upper())
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{HEADER}
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,,{BOSS_ID}
""",
    )

    await assert_rejected(
        roster,
        path,
        [
            f"{path}:2:aad_object_id: AAD object id {BOSS_ID} is already linked to "
            "boss@example.com; to move it, give boss@example.com their own id in this file"
        ],
    )
