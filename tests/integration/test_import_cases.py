"""The cases file: case references only, known teams and workers, and closing by omission."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from store.db import Database
from store.importers.problems import ImportRejectedError
from store.importers.runner import MergeOptions
from store.models import AuditLogEntry, Case, CaseCategory
from tests.importing import STAFF_HEADER, problems_of, run, write_csv

ROSTER = f"""
{STAFF_HEADER}
boss@example.com,Boss Person,manager,Leadership,,
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,
"""
HEADER = "case_ref,team,worker_email,category,opened"


@pytest.fixture
async def roster(database: Database, tmp_path: Path) -> Database:
    await run(database, "staff", write_csv(tmp_path / "roster.csv", ROSTER))
    return database


async def stored_cases(database: Database) -> dict[str, tuple[str, bool, str | None]]:
    async with database.sessions() as session:
        cases = (await session.execute(select(Case))).scalars()
        return {
            c.case_ref: (c.category.value, c.is_open, c.opened.isoformat() if c.opened else None)
            for c in cases
        }


async def test_cases_are_imported_and_reimports_update_without_duplicating(
    roster: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "cases.csv",
        f"""
{HEADER}
CR-1001,Assessment,adelev@example.com,child in need,2026-03-02
CR-1002,assessment,ADELEV@example.com,Child Protection,
""",
    )

    first = await run(roster, "cases", path)
    again = await run(roster, "cases", path)

    assert (first.counts.new, first.counts.updated, first.counts.closed) == (2, 0, 0)
    assert (again.counts.new, again.counts.updated, again.counts.unchanged) == (0, 0, 2)
    assert await stored_cases(roster) == {
        "CR-1001": ("child in need", True, "2026-03-02"),
        "CR-1002": ("child protection", True, None),
    }


async def test_a_case_left_out_of_a_later_file_is_closed_and_comes_back_when_listed(
    roster: Database, tmp_path: Path
) -> None:
    both = write_csv(
        tmp_path / "both.csv",
        f"{HEADER}\nCR-1001,Assessment,adelev@example.com,child in care,\n"
        "CR-1002,Assessment,adelev@example.com,care leaver,\n",
    )
    one = write_csv(
        tmp_path / "one.csv", f"{HEADER}\nCR-1001,Assessment,adelev@example.com,child in care,\n"
    )
    await run(roster, "cases", both)

    closing = await run(roster, "cases", one)
    assert closing.counts.closed == 1
    assert await stored_cases(roster) == {
        "CR-1001": ("child in care", True, None),
        "CR-1002": ("care leaver", False, None),
    }

    reopening = await run(roster, "cases", both)
    assert (reopening.counts.updated, reopening.counts.closed) == (1, 0)
    assert (await stored_cases(roster))["CR-1002"] == ("care leaver", True, None)
    async with roster.sessions() as session:
        logged = (
            await session.execute(
                select(AuditLogEntry.old_value, AuditLogEntry.new_value).where(
                    AuditLogEntry.entity == "case",
                    AuditLogEntry.entity_key == "CR-1002",
                    AuditLogEntry.field == "is_open",
                )
            )
        ).all()
    assert [tuple(row) for row in logged] == [("open", "closed"), ("closed", "open")]


async def test_a_dry_run_closes_nothing(roster: Database, tmp_path: Path) -> None:
    await run(
        roster,
        "cases",
        write_csv(
            tmp_path / "a.csv",
            f"{HEADER}\nCR-1,Assessment,adelev@example.com,other,\n"
            "CR-2,Assessment,adelev@example.com,other,",
        ),
    )
    one = write_csv(tmp_path / "one.csv", f"{HEADER}\nCR-2,Assessment,adelev@example.com,other,")

    result = await run(roster, "cases", one, dry_run=True)

    assert result.counts.closed == 1
    assert await stored_cases(roster) == {
        "CR-1": ("other", True, None),
        "CR-2": ("other", True, None),
    }


async def test_names_unknown_teams_workers_and_categories_are_all_reported(
    roster: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "cases.csv",
        f"""
{HEADER}
Jane Smith,Assessment,adelev@example.com,child in need,
CR-2,Nowhere Team,adelev@example.com,child in need,
CR-3,Assessment,nobody@example.com,looked after,31/02/2026
CR-4,,adelev@example.com,other,
cr-2,Assessment,adelev@example.com,other,
""",
    )

    problems = await problems_of(roster, "cases", path)

    assert problems == [
        f"{path}:2:case_ref: must be a case reference such as CR-104233 (letters, digits, "
        "- / . _ and at least one digit), never a name",
        f"{path}:3:team: Nowhere Team is not a team on the roster; import it in the staff "
        "file first",
        f"{path}:4:category: unknown value 'looked after'; use one of: early help, child in "
        "need, child protection, child in care, care leaver, other",
        f"{path}:4:opened: impossible date '31/02/2026' (read as day/month/year)",
        f"{path}:4:worker_email: nobody@example.com is not on the roster; import them in the "
        "staff file first",
        f"{path}:5:team: a value is required",
        f"{path}:6:case_ref: duplicate case reference 'cr-2' (first on row 3)",
    ]
    async with roster.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Case))).scalar_one() == 0


def test_the_categories_are_the_contract_s() -> None:
    assert [c.value for c in CaseCategory] == [
        "early help",
        "child in need",
        "child protection",
        "child in care",
        "care leaver",
        "other",
    ]


def case_rows(count: int) -> str:
    return "".join(
        f"CR-{2000 + n},Assessment,adelev@example.com,child in need,\n" for n in range(count)
    )


async def open_count(database: Database) -> int:
    async with database.sessions() as session:
        query = select(func.count()).select_from(Case).where(Case.is_open.is_(True))
        return int((await session.execute(query)).scalar_one())


async def test_a_cases_file_with_no_rows_is_refused_and_closes_nothing(
    roster: Database, tmp_path: Path
) -> None:
    await run(roster, "cases", write_csv(tmp_path / "all.csv", f"{HEADER}\n{case_rows(4)}"))
    empty = write_csv(tmp_path / "c0.csv", f"{HEADER}\n")

    assert await problems_of(roster, "cases", empty) == [
        f"{empty}:1:-: the file has no cases: it must list every open case, and a case left "
        "out is closed, so an empty file would close them all; check the export"
    ]
    with pytest.raises(ImportRejectedError):
        await run(roster, "cases", empty, merging=MergeOptions(prefer_file=True))
    assert await open_count(roster) == 4


async def test_a_cases_file_closing_more_than_half_needs_prefer_file(
    roster: Database, tmp_path: Path
) -> None:
    await run(roster, "cases", write_csv(tmp_path / "all.csv", f"{HEADER}\n{case_rows(5)}"))
    short = write_csv(tmp_path / "short.csv", f"{HEADER}\n{case_rows(2)}")
    half = write_csv(tmp_path / "half.csv", f"{HEADER}\n{case_rows(3)}")

    assert await problems_of(roster, "cases", short) == [
        f"{short}:1:-: the file would close 3 of the 5 open cases (every case it leaves "
        "out); if the file is complete and right, import it again with --prefer-file"
    ]
    assert await open_count(roster) == 5
    assert (await run(roster, "cases", half, dry_run=True)).counts.closed == 2
    preferred = await run(roster, "cases", short, merging=MergeOptions(prefer_file=True))
    assert preferred.counts.closed == 3
    assert await open_count(roster) == 2


async def test_a_case_opened_in_the_future_is_refused(roster: Database, tmp_path: Path) -> None:
    today = datetime.now(UTC).date()
    tomorrow = (today + timedelta(days=2)).isoformat()
    path = write_csv(
        tmp_path / "future.csv",
        f"{HEADER}\nCR-1001,Assessment,adelev@example.com,child in need,{tomorrow}\n"
        f"CR-1002,Assessment,adelev@example.com,child in need,{today.isoformat()}\n",
    )

    assert await problems_of(roster, "cases", path) == [
        f"{path}:2:opened: {tomorrow} is in the future; a case opens by today"
    ]
    assert await stored_cases(roster) == {}
