"""This module contains the `board-pack` command: the Improvement Board pack for a meeting,
as a Word document or an Excel workbook."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from bot.settings import Settings
from knowledge.working_days import WorkingDays
from notifications.audit_form import AuditForm
from notifications.board_pack import build_pack
from notifications.board_pack_audits import gather_audits
from notifications.board_pack_docx import pack_docx
from notifications.board_pack_xlsx import pack_xlsx
from notifications.board_requests import ask_now
from notifications.quiet_hours import QuietHours
from store.db import Database
from store.errors import UnknownMeetingError
from store.migrate import upgrade_database
from store.models import utc_now
from store.repositories import audit_log, board

FORMATS = (".docx", ".xlsx")
ACTOR = "inspection-ready board-pack (command line)"


def add_board_pack_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the `board-pack` subcommand to the `inspection-ready` command line."""
    command = commands.add_parser(
        "board-pack",
        help="write the Improvement Board pack for a meeting (.docx or .xlsx)",
        description="Writes the pack for one Improvement Board meeting (an event of kind "
        "improvement_board): per recommendation and priority area, RAG counts and the trend "
        "since the last meeting, what was completed, what is overdue, deadlines moved, and "
        "each action's latest update and evidence, with charts; and the audit programme: "
        "the audit report of the last complete month before the meeting, in totals.",
    )
    command.add_argument(
        "--meeting", required=True, help="the meeting's date, YYYY-MM-DD", metavar="YYYY-MM-DD"
    )
    command.add_argument(
        "--output", required=True, type=Path, help="FILE.docx or FILE.xlsx", metavar="FILE"
    )


async def run_board_pack(settings: Settings, meeting: str, output: Path) -> int:
    """Writes the pack and prints where; exit 2 for a bad date or file name, 1 for a date
    that is not a board meeting (the meetings are listed)."""
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        sys.stderr.write(
            f"inspection-ready: board-pack --output must end in .docx or .xlsx, got {output}\n"
        )
        return 2
    try:
        day = date.fromisoformat(meeting.strip())
    except ValueError:
        sys.stderr.write(
            f"inspection-ready: board-pack --meeting must be a date as YYYY-MM-DD, "
            f"got {meeting!r}\n"
        )
        return 2
    if not output.parent.is_dir():
        sys.stderr.write(f"inspection-ready: the folder {output.parent} does not exist\n")
        return 2
    form = AuditForm.load(settings.audit_form)
    today = datetime.now(settings.timezone).date()
    database = Database(settings.database_url)
    try:
        await upgrade_database(database)
        async with database.sessions() as session, session.begin():
            data = await board.pack_data(session, day)
            audits = await gather_audits(session, day, today)
            audit_log.record_change(
                session,
                actor=ACTOR,
                entity="board_pack",
                key=day.isoformat(),
                field="made",
                old=None,
                new=f"for {output}",
            )
    except UnknownMeetingError as exc:
        sys.stderr.write(f"inspection-ready: {exc}\n")
        return 1
    finally:
        await database.dispose()
    pack = build_pack(data, audits, form, today, WorkingDays())
    content = pack_docx(pack) if suffix == ".docx" else pack_xlsx(pack)
    # Written whole or not at all: a half-written pack is never left where one is expected.
    partial = output.with_name(f".{output.name}.partial")
    partial.write_bytes(content)
    partial.replace(output)
    sys.stdout.write(
        f"Board pack for {day:%A %d %B %Y} written to {output} "
        f"({len(data.actions)} actions, {len(pack.areas)} priority areas, "
        f"{len(pack.recommendations)} recommendation groups).\n"
    )
    return 0


async def ask_for_board_updates(settings: Settings, database: Database) -> int:
    """After an events import: asks owners at once for meetings already inside the window
    (on a working day); returns how many owners were asked."""
    calendar = WorkingDays()
    quiet_hours = QuietHours(settings.timezone, settings.working_hours, calendar)
    asks = await ask_now(database, utc_now(), calendar, quiet_hours, settings.board_update_days)
    return len(asks)
