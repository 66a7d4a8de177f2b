"""Drawing and allocating a month's audits: 70 from 20,000 open cases among 300 managers.

Usage: python -m benchmarks.audit_draw [--database-url URL] [--cases 20000] [--size 70]

The roster is a four-tier tree: a Director, 9 assistant directors, 40 heads of service
and 250 team managers (300 managers), each team manager with 6 practitioners. 20,000
open cases sit in the 250 teams across the six categories, and 2,000 earlier audits keep
some cases out. Loading all that (through the importers) is not timed. What is timed is
what `inspection-ready audits draw` does, in one transaction: reading the open cases, the
recent audits, the roster and this month's loads from the database, sampling and
allocating (the pure functions), then storing the draw, its assignments, their outbox
messages and the audit-log entries.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.import_rows import write
from knowledge.working_days import WorkingDays
from notifications.audit_allocation import (
    CaseToAllocate,
    Person,
    allocate,
    auditors_from_roster,
)
from notifications.audit_draw import DrawRequest, DrawRules, commit_draw, plan_draw
from notifications.audit_sampling import CaseCandidate, draw_sample
from store.db import Database
from store.importers.runner import ImportKind, import_file
from store.migrate import upgrade_database
from store.models import utc_now
from store.repositories import draws

CATEGORIES = (
    "early help",
    "child in need",
    "child protection",
    "child in care",
    "care leaver",
    "other",
)
ASSISTANT_DIRECTORS, HEADS, TEAM_MANAGERS, PRACTITIONERS = 9, 40, 250, 6
PAST_AUDITS = 2000
SEED = 20261201


def staff_rows() -> Iterator[list[str]]:
    yield ["dcs@example.com", "Director", "manager", "Leadership", "", ""]
    for a in range(ASSISTANT_DIRECTORS):
        yield [f"ad{a}@example.com", f"AD {a}", "manager", "Leadership", "dcs@example.com", ""]
    for h in range(HEADS):
        boss = f"ad{h % ASSISTANT_DIRECTORS}@example.com"
        yield [f"hos{h}@example.com", f"HoS {h}", "manager", f"Service {h}", boss, ""]
    for t in range(TEAM_MANAGERS):
        boss = f"hos{t % HEADS}@example.com"
        yield [f"tm{t}@example.com", f"TM {t}", "manager", f"Team {t}", boss, ""]
        for p in range(PRACTITIONERS):
            yield [
                f"sw{t}.{p}@example.com",
                f"SW {t}.{p}",
                "practitioner",
                f"Team {t}",
                f"tm{t}@example.com",
                "",
            ]


def case_rows(count: int) -> Iterator[list[str]]:
    for n in range(count):
        team = n % TEAM_MANAGERS
        # Categories unevenly: child in need and child in care are the largest.
        category = CATEGORIES[(n * 7 + n // 3) % 11 % len(CATEGORIES)]
        worker = f"sw{team}.{n % PRACTITIONERS}@example.com"
        yield [f"CR-{200000 + n}", f"Team {team}", worker, category, "2025-05-01"]


def audit_rows() -> Iterator[list[str]]:
    for n in range(PAST_AUDITS):
        # Half were audited in October (inside the six months: left out), half in March
        # and never finished (outside them: drawn as any other case).
        due, status = ("2026-10-30", "complete") if n % 2 else ("2026-03-31", "in progress")
        auditor = f"tm{(n + 1) % TEAM_MANAGERS}@example.com"
        yield [f"AUD-PAST-{n:05d}", f"CR-{200000 + n * 7}", "monthly", auditor, due, status]


async def load(database: Database, folder: Path, cases: int) -> None:
    files = (
        (
            ImportKind.STAFF,
            "staff.csv",
            "email,name,role,team,manager_email,inspection_role",
            staff_rows(),
        ),
        (
            ImportKind.CASES,
            "cases.csv",
            "case_ref,team,worker_email,category,opened",
            case_rows(cases),
        ),
        (
            ImportKind.AUDITS,
            "audits.csv",
            "ref,case_ref,audit_type,auditor_email,due_date,status",
            audit_rows(),
        ),
    )
    for kind, name, header, rows in files:
        await import_file(database, kind, write(folder / name, header.split(","), list(rows)))


async def main(database_url: str | None, cases: int, size: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        url = database_url or f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        database = Database(url)
        await upgrade_database(database)
        await load(database, folder, cases)
        calendar = WorkingDays()
        request = DrawRequest("2026-12", size, 10, SEED)
        rules = DrawRules()
        started = time.perf_counter()
        async with database.sessions() as session, session.begin():
            plan = await plan_draw(session, request, rules, calendar)
            planned = time.perf_counter()
            now = utc_now()
            draw = await commit_draw(
                session, plan, drawn_by="benchmark", drawn_by_id=None, now=now, send_from=now
            )
        finished = time.perf_counter()
        pure = await time_pure_functions(database, request)
        await database.dispose()
    tiers = sorted({plan.tiers[a.staff_id] for _, a in plan.allocation.assignments})
    report = [
        f"database: {url.split(':')[0]}",
        f"open cases: {plan.open_cases}; left out as recently audited: "
        f"{plan.sample.excluded_recently_audited}",
        f"managers: {len(plan.tiers)} in {max(plan.tiers.values())} tiers",
        f"drawn: {draw.drawn_count}; allocated: {draw.allocated_count}; tiers used: {tiers}",
        f"plan (reads, sample, allocate): {planned - started:.3f} s",
        f"store (draw, assignments, outbox, log): {finished - planned:.3f} s",
        f"total: {finished - started:.3f} s",
        f"of which sampling and allocating alone: {pure:.3f} s",
    ]
    sys.stdout.write("\n".join(report) + "\n")


async def time_pure_functions(database: Database, request: DrawRequest) -> float:
    """The sampling and allocation alone, on the same data (read again, not timed)."""
    async with database.sessions() as session:
        cases = [CaseCandidate(*row) for row in await draws.open_cases(session)]
        roster = [Person(*row) for row in await draws.line_management(session)]
    started = time.perf_counter()
    sample = draw_sample(
        cases, size=request.size, enhanced_percent=request.enhanced_percent, seed=request.seed
    )
    allocate(
        [
            CaseToAllocate(d.case.case_ref, d.case.team_id, d.case.worker_id, d.enhanced)
            for d in sample.cases
        ],
        auditors_from_roster(roster),
        cap=3,
        seed=request.seed,
    )
    return time.perf_counter() - started


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--size", type=int, default=70)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.cases, arguments.size))
