"""Times imports of 10,000-row files: first load, unchanged re-import, and a 10% update.

Usage: python -m benchmarks.import_rows [--rows 10000] [--database-url URL]
(default: a fresh SQLite file in a temporary directory). For PostgreSQL, pass an empty
database's URL, e.g. one made with `createdb`.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from store.db import Database
from store.importers.runner import ImportKind, import_file
from store.migrate import upgrade_database

STAFF = 1_000
TEAMS = 20


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def staff_rows() -> list[list[str]]:
    rows = [["head@example.com", "Head of Service", "manager", "Leadership", "", ""]]
    for i in range(1, STAFF):
        manager = "head@example.com" if i < TEAMS else f"person{i % TEAMS or 1}@example.com"
        role = "manager" if i < TEAMS else "practitioner"
        rows.append(
            [f"person{i}@example.com", f"Person {i}", role, f"Team {i % TEAMS}", manager, ""]
        )
    return rows


def action_rows(count: int, changed_every: int = 0) -> list[list[str]]:
    start = date(2026, 9, 1)
    rows = []
    for i in range(count):
        status = "blocked" if changed_every and i % changed_every == 0 else "in progress"
        rows.append(
            [
                f"PA{i // 100}.{i % 100}",
                f"Priority area {i // 100 % 12}",
                f"Action number {i} of the improvement plan",
                f"person{1 + i % (STAFF - 1)}@example.com",
                (start + timedelta(days=i % 180)).isoformat(),
                status,
                "Evidence of impact",
            ]
        )
    return rows


def audit_rows(count: int) -> list[list[str]]:
    start = date(2026, 10, 30)
    return [
        [
            f"AUD-{i:06d}",
            f"CR-{100000 + i}",
            "monthly",
            f"person{1 + i % (STAFF - 1)}@example.com",
            (start + timedelta(days=30 * (i % 4))).isoformat(),
            "assigned",
        ]
        for i in range(count)
    ]


async def timed(database: Database, kind: ImportKind, path: Path) -> tuple[float, str]:
    started = time.perf_counter()
    result = await import_file(database, kind, path)
    counts = result.counts
    summary = f"{counts.new} new, {counts.updated} updated, {counts.unchanged} unchanged"
    return time.perf_counter() - started, summary


async def main(rows: int, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        url = database_url or f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        database = Database(url)
        await upgrade_database(database)
        action_header = [
            "ref",
            "priority_area",
            "description",
            "owner_email",
            "due_date",
            "status",
            "evidence_required",
        ]
        files = [
            (
                "staff (1,000 rows)",
                ImportKind.STAFF,
                write(
                    folder / "staff.csv",
                    ["email", "name", "role", "team", "manager_email", "inspection_role"],
                    staff_rows(),
                ),
            ),
            (
                f"actions ({rows:,} rows), first load",
                ImportKind.ACTIONS,
                write(folder / "actions.csv", action_header, action_rows(rows)),
            ),
            (
                f"actions ({rows:,} rows), unchanged re-import",
                ImportKind.ACTIONS,
                folder / "actions.csv",
            ),
            (
                f"actions ({rows:,} rows), 10% changed",
                ImportKind.ACTIONS,
                write(folder / "actions2.csv", action_header, action_rows(rows, changed_every=10)),
            ),
            (
                f"audits ({rows:,} rows), first load",
                ImportKind.AUDITS,
                write(
                    folder / "audits.csv",
                    ["ref", "case_ref", "audit_type", "auditor_email", "due_date", "status"],
                    audit_rows(rows),
                ),
            ),
        ]
        backend = "SQLite" if database.is_sqlite else "PostgreSQL"
        sys.stdout.write(f"| {backend} | import | seconds | result |\n|---|---|---|---|\n")
        for label, kind, path in files:
            seconds, summary = await timed(database, kind, path)
            sys.stdout.write(f"| {backend} | {label} | {seconds:.2f} | {summary} |\n")
        await database.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rows, arguments.database_url))
