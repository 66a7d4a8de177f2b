"""Helpers for import tests: write files, import them, and snapshot what the database holds."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select

from store.db import Database
from store.importers.problems import ImportRejectedError
from store.importers.runner import ImportKind, ImportResult, import_file
from store.models import (
    Action,
    AuditAssignment,
    AuditLogEntry,
    CalendarEvent,
    Staff,
    Team,
)

STAFF_HEADER = "email,name,role,team,manager_email,inspection_role"
TABLES = (Team, Staff, Action, AuditAssignment, CalendarEvent, AuditLogEntry)


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


def csv_to_xlsx(source: Path, target: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    with source.open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    workbook.save(target)
    return target


async def run(database: Database, kind: str, path: Path, **options: Any) -> ImportResult:
    return await import_file(database, ImportKind(kind), path, **options)


async def problems_of(database: Database, kind: str, path: Path) -> list[str]:
    """Imports a file that must be rejected, and changes nothing; returns its problems as
    printed."""
    before = await row_counts(database)
    try:
        await run(database, kind, path)
    except ImportRejectedError as exc:
        assert await row_counts(database) == before, f"{path.name} was rejected but wrote rows"
        return [str(problem) for problem in exc.problems]
    raise AssertionError(f"{path.name} was imported but should have been rejected")


async def row_counts(database: Database) -> dict[str, int]:
    async with database.sessions() as session:
        return {
            model.__tablename__: (
                await session.execute(select(func.count()).select_from(model))
            ).scalar_one()
            for model in TABLES
        }


async def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Everything imported, by business key, with references as emails: comparable across DBs."""
    async with database.sessions() as session:
        staff = {s.id: s for s in (await session.execute(select(Staff))).scalars()}
        emails = {staff_id: s.email for staff_id, s in staff.items()}
        return {
            "staff": sorted(
                (
                    s.email,
                    s.name,
                    s.role.value,
                    s.team_name,
                    emails.get(s.manager_id or 0),
                    s.inspection_role,
                )
                for s in staff.values()
            ),
            "actions": sorted(
                (
                    a.ref,
                    a.priority_area,
                    a.description,
                    emails[a.owner_id],
                    a.due_date,
                    a.status.value,
                    a.evidence_required,
                )
                for a in (await session.execute(select(Action))).scalars()
            ),
            "audits": sorted(
                (
                    a.ref,
                    a.case_ref,
                    a.audit_type.value,
                    emails[a.auditor_id],
                    a.due_date,
                    a.status.value,
                )
                for a in (await session.execute(select(AuditAssignment))).scalars()
            ),
            "events": sorted(
                (e.title, e.date, e.kind.value, e.audience, e.notes)
                for e in (await session.execute(select(CalendarEvent))).scalars()
            ),
        }
