"""The recommendations and areas files, and actions that answer a recommendation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from knowledge.working_days import WorkingDays
from store.db import Database
from store.importers.deadlines import DeadlineRules
from store.importers.upsert import UpsertCounts
from store.models import Action, PriorityArea, Recommendation, RecommendationSource
from tests.importing import STAFF_HEADER, problems_of, run, write_csv

STAFF = f"""
{STAFF_HEADER}
boss@example.com,Boss Person,manager,Leadership,,
adelev@example.com,Adele Vance,practitioner,Assessment,boss@example.com,
"""
RECOMMENDATIONS = """
ref,source,text,received,lead_email
R1,Inspection report,Improve management oversight,2026-12-22,boss@example.com
MV2,monitoring visit,Reduce caseloads,24/03/2027,
SA1,Self Assessment,Strengthen audit,,
J1,jtai,Joint working at the front door,2026-11-02,
"""
ACTIONS_HEADER = (
    "ref,priority_area,description,owner_email,due_date,status,evidence_required,recommendation"
)
DEADLINES = DeadlineRules(WorkingDays(), immediately_days=5)


async def roster(database: Database, tmp_path: Path) -> None:
    await run(database, "staff", write_csv(tmp_path / "staff.csv", STAFF))
    path = write_csv(tmp_path / "recommendations.csv", RECOMMENDATIONS)
    assert (await run(database, "recommendations", path)).counts == UpsertCounts(new=4)


async def due_dates(database: Database) -> dict[str, tuple[date, str | None]]:
    async with database.sessions() as session:
        refs = {r.id: r.ref for r in (await session.execute(select(Recommendation))).scalars()}
        return {
            a.ref: (a.due_date, refs.get(a.recommendation_id or 0))
            for a in (await session.execute(select(Action))).scalars()
        }


async def test_recommendations_are_stored_with_their_source_and_lead(
    database: Database, tmp_path: Path
) -> None:
    await roster(database, tmp_path)

    async with database.sessions() as session:
        stored = {r.ref: r for r in (await session.execute(select(Recommendation))).scalars()}
    assert stored["R1"].source is RecommendationSource.INSPECTION_REPORT
    assert stored["MV2"].received == date(2027, 3, 24)
    assert stored["SA1"].source is RecommendationSource.SELF_ASSESSMENT
    assert stored["SA1"].received is None
    assert stored["J1"].source is RecommendationSource.JTAI
    assert stored["R1"].lead_id is not None
    assert stored["MV2"].lead_id is None


async def test_recommendation_problems_are_all_reported_and_nothing_is_written(
    database: Database, tmp_path: Path
) -> None:
    await run(database, "staff", write_csv(tmp_path / "staff.csv", STAFF))
    path = write_csv(
        tmp_path / "recommendations.csv",
        """
ref,source,text,received,lead_email
R1,Ofsted said so,Improve oversight,2026-12-22,
R2,inspection report,,2026-13-01,nobody@example.com
r1,other,Same ref again,2026-12-22,
""",
    )

    assert await problems_of(database, "recommendations", path) == [
        f"{path}:2:source: unknown value 'Ofsted said so'; use one of: inspection report, "
        "focused visit, monitoring visit, improvement notice, statutory direction, JTAI, "
        "area SEND, self-assessment, other",
        f"{path}:3:lead_email: nobody@example.com is not on the roster; import them in the "
        "staff file first",
        f"{path}:3:received: impossible date '2026-13-01' (read as year-month-day)",
        f"{path}:3:text: a value is required",
        f"{path}:4:ref: duplicate ref 'r1' (first on row 2)",
    ]


async def test_a_recommendations_file_without_the_received_column_is_refused(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "r.csv", "ref,source,text\nR1,other,Text")

    assert await problems_of(database, "recommendations", path) == [
        f"{path}:1:received: required column is missing"
    ]


async def test_relative_due_dates_count_from_the_recommendation_received(
    database: Database, tmp_path: Path
) -> None:
    await roster(database, tmp_path)
    path = write_csv(
        tmp_path / "actions.csv",
        f"""
{ACTIONS_HEADER}
A1,Oversight,Supervision audit,adelev@example.com,immediately,,,R1
A2,Oversight,Training,adelev@example.com,within 20 working days,,,R1
A3,Workforce,Caseload review,adelev@example.com,within 3 working days,,,mv2
A4,Workforce,Recruitment,adelev@example.com,within one month,,,MV2
A5,Front door,Joint triage,adelev@example.com,within 6 weeks,,,J1
A6,Audit,Audit programme,adelev@example.com,2027-05-28,,,SA1
A7,Audit,No recommendation,adelev@example.com,28/05/2027,,,
""",
    )

    result = await run(database, "actions", path, deadlines=DEADLINES)

    assert result.counts == UpsertCounts(new=7)
    assert await due_dates(database) == {
        # 22 Dec 2026 + 5 working days, past Christmas and Boxing Day's substitute.
        "A1": (date(2026, 12, 31), "R1"),
        "A2": (date(2027, 1, 22), "R1"),
        # 24 Mar 2027 + 3 working days, past Good Friday and Easter Monday.
        "A3": (date(2027, 3, 31), "MV2"),
        "A4": (date(2027, 4, 26), "MV2"),
        # 2 Nov 2026 + 6 weeks is Mon 14 Dec.
        "A5": (date(2026, 12, 14), "J1"),
        "A6": (date(2027, 5, 28), "SA1"),
        "A7": (date(2027, 5, 28), None),
    }


async def test_immediately_follows_the_setting(database: Database, tmp_path: Path) -> None:
    await roster(database, tmp_path)
    path = write_csv(
        tmp_path / "actions.csv",
        f"{ACTIONS_HEADER}\nA1,Oversight,Audit,adelev@example.com,Immediately,,,R1",
    )

    await run(
        database, "actions", path, deadlines=DeadlineRules(WorkingDays(), immediately_days=2)
    )

    assert await due_dates(database) == {"A1": (date(2026, 12, 24), "R1")}


async def test_relative_due_dates_without_a_date_to_count_from_are_clear_errors(
    database: Database, tmp_path: Path
) -> None:
    await roster(database, tmp_path)
    path = write_csv(
        tmp_path / "actions.csv",
        f"""
{ACTIONS_HEADER}
A1,Oversight,Supervision audit,adelev@example.com,within 3 months,,,
A2,Audit,Audit programme,adelev@example.com,immediately,,,SA1
A3,Audit,Unknown,adelev@example.com,2027-01-01,,,R9
A4,Audit,Typo,adelev@example.com,within some months,,,R1
""",
    )

    assert await problems_of(database, "actions", path) == [
        f"{path}:2:due_date: 'within 3 months' counts from a recommendation's received date: "
        "name the recommendation in the recommendation column, or give a date",
        f"{path}:3:due_date: 'immediately' counts from when recommendation SA1 was received, "
        "and the recommendations file gives no received date for it: add one, or give a date",
        f"{path}:4:recommendation: no recommendation with ref 'R9'; import it in the "
        "recommendations file first",
        f"{path}:5:due_date: not a date or a deadline: 'within some months'; use YYYY-MM-DD, "
        'DD/MM/YYYY, or a deadline such as "immediately", "within 20 working days", '
        '"within 6 weeks", "within 3 months"',
    ]


async def test_a_relative_due_date_moves_when_the_received_date_is_corrected(
    database: Database, tmp_path: Path
) -> None:
    await roster(database, tmp_path)
    actions = write_csv(
        tmp_path / "actions.csv",
        f"{ACTIONS_HEADER}\nA1,Oversight,Audit,adelev@example.com,within 3 months,,,R1",
    )
    await run(database, "actions", actions, deadlines=DEADLINES)
    write_csv(
        tmp_path / "recommendations.csv",
        RECOMMENDATIONS.replace("2026-12-22", "2026-12-01"),
    )
    await run(database, "recommendations", tmp_path / "recommendations.csv")

    result = await run(database, "actions", actions, deadlines=DEADLINES)

    assert result.counts == UpsertCounts(updated=1)
    assert await due_dates(database) == {"A1": (date(2027, 3, 1), "R1")}


async def test_areas_name_their_lead_and_match_without_case(
    database: Database, tmp_path: Path
) -> None:
    await run(database, "staff", write_csv(tmp_path / "staff.csv", STAFF))
    path = write_csv(
        tmp_path / "areas.csv",
        "name,lead_email\nManagement oversight,boss@example.com\nCare leavers,adelev@example.com",
    )
    assert (await run(database, "areas", path)).counts == UpsertCounts(new=2)
    write_csv(
        path,
        "name,lead_email\nManagement Oversight,adelev@example.com\n"
        "Care leavers,adelev@example.com",
    )

    result = await run(database, "areas", path)

    assert result.counts == UpsertCounts(updated=1, unchanged=1)
    async with database.sessions() as session:
        stored = (await session.execute(select(PriorityArea))).scalars()
        areas = {area.name: area.lead_id for area in stored}
    assert sorted(areas) == ["Care leavers", "Management Oversight"]
    assert len(set(areas.values())) == 1


async def test_area_problems_are_all_reported(database: Database, tmp_path: Path) -> None:
    await run(database, "staff", write_csv(tmp_path / "staff.csv", STAFF))
    path = write_csv(
        tmp_path / "areas.csv",
        """
name,lead_email
Care leavers,nobody@example.com
care LEAVERS,boss@example.com
Voice of the child,
,boss@example.com
""",
    )

    assert await problems_of(database, "areas", path) == [
        f"{path}:2:lead_email: nobody@example.com is not on the roster; import them in the "
        "staff file first",
        f"{path}:3:name: duplicate priority area 'care leavers' (first on row 2)",
        f"{path}:4:lead_email: a value is required",
        f"{path}:5:name: a value is required",
    ]
    missing = write_csv(tmp_path / "a.csv", "name\nCare leavers")
    assert await problems_of(database, "areas", missing) == [
        f"{missing}:1:lead_email: required column is missing"
    ]
