"""`inspection-ready audits draw`: a preview that stores nothing, a draw stored once with its
seed, assignments and messages, and clear refusals, on both databases."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from bot.cli import main
from knowledge.working_days import WorkingDays
from notifications.audit_draw import due_date_for, month_name, window_start
from notifications.quiet_hours import QuietHours, WorkingHours
from notifications.reminder_pass import ReminderPass
from notifications.rules import ReminderRules
from store.db import Database
from store.models import (
    AuditAssignment,
    AuditDraw,
    AuditLogEntry,
    AuditType,
    Case,
    OutboxMessage,
    Staff,
    StaffRole,
)
from store.repositories import draws
from tests.audit_programme import write_council

TABLES = (AuditDraw, AuditAssignment, OutboxMessage, AuditLogEntry)
LONDON = ZoneInfo("Europe/London")
# The command draws for real dates (a month that is over is refused), so the tests draw
# next month and the month after, whatever today is.
TODAY = datetime.now(LONDON).date()
NEXT = f"{TODAY.year + TODAY.month // 12}-{TODAY.month % 12 + 1:02d}"
AFTER = f"{TODAY.year + (TODAY.month + 1) // 12}-{(TODAY.month + 1) % 12 + 1:02d}"
DUE = due_date_for(NEXT, WorkingDays())


async def run(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


@pytest.fixture
async def council(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Database]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    staff, cases, audits = write_council(tmp_path, recently_audited="CR-100107", audited_on=TODAY)
    for kind, path in (("staff", staff), ("cases", cases), ("audits", audits)):
        assert await run("import", kind, str(path)) == 0
    database = Database(database_url)
    yield database
    await database.dispose()


async def counts(database: Database) -> dict[str, int]:
    async with database.sessions() as session:
        return {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0
            for model in TABLES
        }


def drawn_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if re.match(r"^  CR-\d+ ", line)]


async def test_a_dry_run_shows_the_draw_and_stores_nothing_and_repeats_with_its_seed(
    council: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    before = await counts(council)
    draw = ["audits", "draw", "--month", NEXT, "--size", "14", "--enhanced", "10%"]

    assert await run(*draw, "--seed", "20261201", "--dry-run") == 0
    first = capsys.readouterr().out
    assert await run(*draw, "--seed", "20261201", "--dry-run") == 0
    again = capsys.readouterr().out

    assert first == again
    assert await counts(council) == before
    assert first.splitlines()[:3] == [
        f"Audit draw for {month_name(NEXT)}, seed 20261201",
        f"Open cases: 40; left out as audited since {window_start(NEXT, 6):%d %B %Y}: 1.",
        f"Drawn: 14 of 14 asked (1 enhanced, 10%); due {DUE:%A %d %B %Y}.",
    ]
    assert "Dry run: nothing was stored and nobody was told." in first
    assert "CR-100107" not in first
    # Five categories, each with its share of the 39 eligible cases: 8 or 7, so 3 or 2.
    for category in ("early help", "child in need", "child protection", "child in care"):
        assert re.search(rf"^  {category}: [23] of [78]$", first, re.MULTILINE)


async def test_a_draw_is_stored_once_with_its_seed_assignments_and_messages(
    council: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    draw = ["audits", "draw", "--month", NEXT, "--size", "14", "--enhanced", "15"]
    assert await run(*draw, "--seed", "7", "--dry-run") == 0
    preview = drawn_lines(capsys.readouterr().out)

    assert await run(*draw, "--seed", "7") == 0
    stored_out = capsys.readouterr().out
    before_second = await counts(council)
    assert await run(*draw, "--seed", "8") == 1
    second = capsys.readouterr().out

    assert drawn_lines(stored_out) == preview
    assert f"Stored: 14 audits assigned for {month_name(NEXT)}" in stored_out
    assert second.startswith(f"{month_name(NEXT)} is already drawn: a month is drawn once.\n")
    assert "seed 7" in second
    assert await counts(council) == before_second
    async with council.sessions() as session:
        [stored] = (await session.execute(select(AuditDraw))).scalars()
        audits = list(
            (
                await session.execute(
                    select(AuditAssignment).where(AuditAssignment.draw_id == stored.id)
                )
            ).scalars()
        )
        grouped = await session.execute(
            select(OutboxMessage.kind, func.count()).group_by(OutboxMessage.kind)
        )
        kinds = {kind: count for kind, count in grouped}
    assert (stored.month, stored.seed, stored.size, stored.enhanced_pct) == (NEXT, 7, 14, 15)
    assert (stored.drawn_count, stored.allocated_count) == (14, 14)
    assert stored.parameters["repeat_months"] == 6
    assert {a.due_date for a in audits} == {DUE}
    assert sorted(a.audit_type for a in audits).count(AuditType.ENHANCED) == 2
    assert sorted(a.ref for a in audits) == [f"AUD-{NEXT}-{n:03d}" for n in range(1, 15)]
    # Each auditor is told; each enhanced case's worker and their team manager are asked
    # to book the conversation.
    assert kinds == {"audit_assigned": 14, "enhanced_audit_booking": 4}


async def test_a_viewer_at_the_top_of_the_tree_is_never_an_auditor(
    council: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    # The only tier-3 manager becomes a (read-only) viewer: the draw would otherwise give
    # them a case, since every tier takes one.
    async with council.sessions() as session, session.begin():
        await session.execute(
            update(Staff).where(Staff.email == "dcs@example.com").values(role=StaffRole.VIEWER)
        )

    assert (
        await run(
            "audits", "draw", "--month", NEXT, "--size", "14", "--enhanced", "10%", "--seed", "7"
        )
        == 0
    )
    capsys.readouterr()

    async with council.sessions() as session:
        viewer = (
            await session.execute(select(Staff).where(Staff.email == "dcs@example.com"))
        ).scalar_one()
        roster = await draws.line_management(session)
        auditors = set((await session.execute(select(AuditAssignment.auditor_id))).scalars())
    assert viewer.id not in {staff_id for staff_id, _, _ in roster}
    assert len(roster) == 15
    assert viewer.id not in auditors
    assert len(auditors) > 1


async def test_without_a_seed_one_is_chosen_printed_and_recorded(
    council: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run("audits", "draw", "--month", AFTER, "--size", "5", "--enhanced", "0") == 0

    out = capsys.readouterr().out
    found = re.search(r"chosen at random: --seed (\d+) repeats this draw", out)
    assert found is not None
    async with council.sessions() as session:
        stored = (await session.execute(select(AuditDraw))).scalar_one()
    assert stored.seed == int(found.group(1))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--month", "2026-13"], "the month must be written YYYY-MM, such as 2026-12"),
        (["--month", "December"], "the month must be written YYYY-MM, such as 2026-12"),
        (["--enhanced", "ten"], "the enhanced share must be a percentage from 0 to 100"),
        (["--enhanced", "120%"], "the enhanced share must be a percentage from 0 to 100"),
        (["--size", "0"], "the number of cases to draw must be from 1 to 1000, not 0"),
        (["--seed", "-4"], "the seed must not be negative"),
        (["--month", "2020-01"], "January 2020 is over; draw this month"),
        (["--month", f"{TODAY.year + 2}-01"], "is more than 12 months ahead"),
    ],
)
async def test_bad_arguments_exit_2_saying_what_is_wrong_and_store_nothing(
    council: Database, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    values = {"--month": NEXT, "--size": "10", "--enhanced": "10%"}
    values.update(dict(zip(arguments[::2], arguments[1::2], strict=True)))
    before = await counts(council)

    assert await run("audits", "draw", *[p for pair in values.items() for p in pair]) == 2

    assert message in capsys.readouterr().err
    assert await counts(council) == before


async def test_drawn_audits_get_the_usual_reminders(
    council: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    draw = ["audits", "draw", "--month", NEXT, "--size", "6", "--enhanced", "0"]
    assert await run(*draw, "--seed", "3") == 0
    calendar = WorkingDays()
    # notifications/rules.yaml: a reminder 5 working days before the due date.
    five_before = calendar.add(DUE, -5)
    quiet = QuietHours(LONDON, WorkingHours(time(8), time(18)), calendar)

    report = await ReminderPass(council, ReminderRules(), calendar, quiet).run(
        datetime.combine(five_before, time(9), tzinfo=UTC), five_before, dry_run=True
    )

    async with council.sessions() as session:
        drawn = set(
            (
                await session.execute(
                    select(AuditAssignment.ref).where(AuditAssignment.draw_id.is_not(None))
                )
            ).scalars()
        )
    reminded = {p.item.ref for p in report.planned if p.item is not None}
    assert len(drawn) == 6
    assert drawn <= reminded


async def test_with_no_open_case_nothing_is_stored_and_the_month_stays_free(
    council: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    async with council.sessions() as session, session.begin():
        await session.execute(update(Case).values(is_open=False))
    before = await counts(council)
    draw = ["audits", "draw", "--month", NEXT, "--size", "5", "--enhanced", "10"]

    assert await run(*draw) == 1

    assert "there are no open cases to draw from" in capsys.readouterr().err
    assert await counts(council) == before
