"""The staff file's optional mobile column: normalised, checked by row, cleared, left alone."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from store.db import Database
from store.models import AuditLogEntry, Staff
from tests.importing import STAFF_HEADER, problems_of, row_counts, run, write_csv

HEADER = f"{STAFF_HEADER},mobile"


async def mobiles(database: Database) -> dict[str, str | None]:
    async with database.sessions() as session:
        return {s.email: s.mobile for s in (await session.execute(select(Staff))).scalars()}


async def test_mobiles_are_stored_in_one_form_and_changes_are_logged(
    database: Database, tmp_path: Path
) -> None:
    first = write_csv(
        tmp_path / "staff.csv",
        f"""
{HEADER}
boss@example.com,Boss Person,manager,Leadership,,,07700 900123
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,,+44 (0)7700 900456
isaiahl@example.com,Isaiah Langer,practitioner,Assessment,boss@example.com,,
""",
    )
    await run(database, "staff", first)
    changed = write_csv(
        tmp_path / "staff-2.csv",
        f"""
{HEADER}
boss@example.com,Boss Person,manager,Leadership,,,+447700900123
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,,07700 900789
isaiahl@example.com,Isaiah Langer,practitioner,Assessment,boss@example.com,,
""",
    )
    result = await run(database, "staff", changed)

    assert await mobiles(database) == {
        "boss@example.com": "+447700900123",
        "adelev@example.com": "+447700900789",
        "isaiahl@example.com": None,
    }
    assert (result.counts.new, result.counts.updated, result.counts.unchanged) == (0, 1, 2)
    async with database.sessions() as session:
        logged = (
            await session.execute(
                select(AuditLogEntry.entity_key, AuditLogEntry.old_value, AuditLogEntry.new_value)
                .where(AuditLogEntry.field == "mobile")
                .order_by(AuditLogEntry.id)
            )
        ).all()
    assert [tuple(entry) for entry in logged] == [
        ("adelev@example.com", "+447700900456", "+447700900789")
    ]


async def test_an_empty_cell_clears_a_mobile_and_a_file_without_the_column_keeps_them(
    database: Database, tmp_path: Path
) -> None:
    await run(
        database,
        "staff",
        write_csv(
            tmp_path / "staff.csv",
            f"""
{HEADER}
boss@example.com,Boss Person,manager,Leadership,,,07700 900123
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,,07700 900456
""",
        ),
    )
    await run(
        database,
        "staff",
        write_csv(
            tmp_path / "old-template.csv",
            f"""
{STAFF_HEADER}
boss@example.com,Boss Person,manager,Leadership,,
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,
""",
        ),
    )
    kept = await mobiles(database)
    await run(
        database,
        "staff",
        write_csv(
            tmp_path / "removed.csv",
            f"""
{HEADER}
boss@example.com,Boss Person,manager,Leadership,,,07700 900123
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,,
""",
        ),
    )

    assert kept == {"boss@example.com": "+447700900123", "adelev@example.com": "+447700900456"}
    assert (await mobiles(database))["adelev@example.com"] is None


async def test_a_bad_number_is_reported_at_its_row_and_nothing_is_written(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        f"""
{HEADER}
boss@example.com,Boss Person,manager,Leadership,,,07700 900123
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,,01632 960123
isaiahl@example.com,Isaiah Langer,practitioner,Assessment,boss@example.com,,call reception
""",
    )

    problems = await problems_of(database, "staff", path)

    assert problems == [
        f"{path}:3:mobile: not a UK mobile number: '01632 960123'; write it as 07700 900123 "
        "or +44 7700 900123",
        f"{path}:4:mobile: not a UK mobile number: 'call reception'; write it as 07700 900123 "
        "or +44 7700 900123",
    ]
    assert (await row_counts(database))["staff"] == 0
