"""This module contains the `inspection-ready` command line (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from aiohttp import web

from bot.app import build_notifications, create_app, entry_titles
from bot.board_pack_command import add_board_pack_parser, ask_for_board_updates, run_board_pack
from bot.draw_command import add_draw_parser, run_draw
from bot.export_command import add_export_parser, run_export
from bot.install_command import add_install_parser, run_install
from bot.log_safety import protect_logs
from bot.packaging import add_package_parser, run_package
from bot.progress import TerminalProgress
from bot.relink_command import add_relink_parser, run_relink
from bot.report_command import add_report_parser, run_report
from bot.settings import Settings, SettingsError
from demo.loader import load_demo
from dialogs.ask_dialog import reply_text
from knowledge.entries import KnowledgeError
from knowledge.library import KnowledgeBase
from knowledge.working_days import WorkingDays
from notifications.audit_form import AuditForm
from notifications.errors import NotificationError
from notifications.playbook import Playbook
from notifications.rules import ReminderRules
from store.db import Database
from store.errors import StoreError
from store.importers.deadlines import DeadlineRules
from store.importers.limits import ImportLimits
from store.importers.problems import ImportFileError, ImportRejectedError, escape_unprintable
from store.importers.runner import ImportKind, ImportResult, MergeOptions, import_file
from store.importers.upsert import UpsertCounts
from store.migrate import upgrade_database
from store.models import utc_now
from store.repositories import knowledge as knowledge_repository
from store.repositories import outbox as outbox_repository
from store.repositories import staff as staff_repository
from teams.factory import create_edge

logger = logging.getLogger(__name__)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOOPBACK = "127.0.0.1"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one subcommand per contract command."""
    parser = argparse.ArgumentParser(
        prog="inspection-ready",
        description="Inspection Ready: a Teams colleague for Ofsted inspection readiness.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="apply migrations, serve HTTP and run the scheduler")
    serve.add_argument(
        "--host",
        default="0.0.0.0",
        help="address to listen on (0.0.0.0); always 127.0.0.1 when authentication is off",
    )
    serve.add_argument("--port", type=int, help="port to listen on (PORT, else 3978)")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="DB_COMMAND")
    db_commands.add_parser("upgrade", help="apply the database migrations")

    commands.add_parser("demo", help="load the demo organisation (safe to repeat)")

    importer = commands.add_parser(
        "import",
        help="import a staff, actions, audits, events, recommendations, areas or cases "
        "file (CSV or XLSX)",
        description="Checks the whole file first. If anything is wrong it lists every problem "
        "as FILE:ROW:COLUMN: message, writes nothing and exits 1; otherwise it adds new rows "
        "and updates changed ones by their key, and prints the counts. Teams is the system "
        "of record: a field changed in Teams since the last import is kept; if the file "
        "changed it too, Teams' value is kept and reported (FILE:ROW:COLUMN).",
    )
    importer.add_argument("kind", choices=[kind.value for kind in ImportKind], help="which file")
    importer.add_argument("file", type=Path, help="a .csv file or an .xlsx workbook")
    importer.add_argument(
        "--dry-run", action="store_true", help="check and count, but write nothing"
    )
    importer.add_argument(
        "--prefer-file",
        action="store_true",
        help=(
            "the file is right: where the file and Teams both changed a field, take the "
            "file's value (reported); a cases file may close more than half the open cases"
        ),
    )

    ask = commands.add_parser("ask", help="print the answer the bot would give, with its source")
    ask.add_argument("question", help='the question, in quotes: "ICPC timescale?"')

    notify = commands.add_parser(
        "notify", help="run the reminder pass now and send what is due (or list it)"
    )
    notify.add_argument(
        "--dry-run", action="store_true", help="list what would be queued; send nothing"
    )

    commands.add_parser("unreachable", help="list who the bot cannot message, and why")

    unanswered = commands.add_parser(
        "unanswered", help="list questions the bot was not sure about, and answers voted unhelpful"
    )
    unanswered.add_argument(
        "--days", type=int, default=30, help="how far back to look (default 30 days)"
    )
    audits = commands.add_parser("audits", help="the monthly case-audit programme")
    audit_commands = audits.add_subparsers(
        dest="audits_command", required=True, metavar="AUDITS_COMMAND"
    )
    add_draw_parser(audit_commands)
    add_report_parser(audit_commands)
    add_package_parser(commands)
    add_relink_parser(commands)
    add_install_parser(commands)
    add_export_parser(commands)
    add_board_pack_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "package":
        # Packaging reads only the App ID and the host: no secret, no database.
        return run_package(args)
    configure_logging()
    try:
        settings = Settings.from_env(os.environ)
        if args.command == "serve":
            return serve(settings, args.host, args.port or settings.port)
        if args.command == "db":
            asyncio.run(_with_database(settings, demo=False))
            return 0
        if args.command == "demo":
            asyncio.run(_with_database(settings, demo=True))
            return 0
        if args.command == "ask":
            return ask(settings, args.question)
        if args.command == "notify":
            return asyncio.run(notify(settings, dry_run=args.dry_run))
        if args.command == "unreachable":
            return asyncio.run(list_unreachable(settings))
        if args.command == "unanswered":
            return asyncio.run(list_unanswered(settings, args.days))
        if args.command == "relink":
            return asyncio.run(run_relink(settings, args))
        if args.command == "board-pack":
            return asyncio.run(run_board_pack(settings, args.meeting, args.output))
        if args.command == "audits" and args.audits_command == "draw":
            return asyncio.run(run_draw(settings, args))
        if args.command == "audits" and args.audits_command == "report":
            return run_report(settings, args)
        if args.command == "install-for-roster":
            return asyncio.run(run_install(settings, dry_run=args.dry_run))
        if args.command == "import":
            return asyncio.run(
                run_import(
                    settings,
                    ImportKind(args.kind),
                    args.file,
                    dry_run=args.dry_run,
                    prefer_file=args.prefer_file,
                )
            )
        if args.command == "export":
            return asyncio.run(run_export(settings, args))
    except SettingsError as exc:
        sys.stderr.write(f"inspection-ready: configuration error: {exc}\n")
        return 2
    except StoreError as exc:
        sys.stderr.write(f"inspection-ready: database error: {exc}\n")
        return 1
    except KnowledgeError as exc:
        sys.stderr.write(f"inspection-ready: knowledge file error: {exc}\n")
        return 1
    except NotificationError as exc:
        sys.stderr.write(f"inspection-ready: reminder rules or playbook error: {exc}\n")
        return 1
    sys.stderr.write(f"inspection-ready: unknown command {args.command!r}\n")
    return 2


def configure_logging() -> None:
    """INFO to stderr; never message bodies (our loggers log ids and types only)."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    # msrest warns about every Teams channelData field it has no model for (noise), and
    # logs HTTP bodies at DEBUG; request logs carry links whose tokens must not be kept.
    protect_logs()
    # Alembic narrates each step; store.migrate says what changed in one line instead.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # The outbox drain runs every 30 seconds; APScheduler would log each run at INFO.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)


def serve(settings: Settings, host: str, port: int) -> int:
    """Checks the configuration and rule files, migrates, then serves until interrupted.

    Raises:
        SettingsError: the service would be open to anyone (no App ID without the developer
            flag), or is multi-tenant without its tenant list.
    """
    settings.check_can_serve()
    # Links the service hands out (export downloads) point at the port it really uses.
    settings = replace(settings, port=port)
    # A mistake in a council's own reminder rules or playbook stops the start with its
    # message, before anything listens.
    ReminderRules.load(settings.reminder_rules)
    Playbook.load(settings.playbook)
    AuditForm.load(settings.audit_form)
    if not settings.authentication_enabled and host != LOOPBACK:
        # Without authentication the service must not be reachable from other machines.
        logger.warning(
            "Authentication is OFF, so listening on %s only, not on %s as asked", LOOPBACK, host
        )
        host = LOOPBACK
    asyncio.run(_with_database(settings, demo=False))
    if not settings.authentication_enabled:
        logger.warning(
            "*** AUTHENTICATION IS OFF (INSPECTION_READY_DEV_NO_AUTH=1): a developer's machine "
            "only; listening on %s:%s. Never set this in production. ***",
            LOOPBACK,
            port,
        )
    logger.info("Serving on http://%s:%s/api/messages", host, port)
    web.run_app(create_app(settings), host=host, port=port, print=None)
    return 0


async def run_import(
    settings: Settings, kind: ImportKind, path: Path, *, dry_run: bool, prefer_file: bool = False
) -> int:
    """Imports one file, printing counts and what was kept from Teams, or every problem and
    exit status 1."""
    database = Database(settings.database_url)
    try:
        await upgrade_database(database)
        result = await import_file(
            database,
            kind,
            path,
            dry_run=dry_run,
            progress=TerminalProgress(sys.stderr, f"Importing {escape_unprintable(path.name)}"),
            limits=ImportLimits.from_megabytes(settings.import_max_mb, settings.import_max_rows),
            merging=MergeOptions(prefer_file=prefer_file, timezone=settings.timezone),
            deadlines=DeadlineRules(WorkingDays(), settings.immediately_days),
        )
        asked = (
            await ask_for_board_updates(settings, database)
            if kind is ImportKind.EVENTS and not dry_run
            else 0
        )
    except ImportFileError as exc:
        sys.stderr.write(f"inspection-ready: {exc}\n")
        return 1
    except ImportRejectedError as exc:
        sys.stdout.writelines(f"{problem}\n" for problem in exc.problems)
        sys.stderr.write(f"{len(exc.problems)} problem(s) found; nothing was imported.\n")
        return 1
    finally:
        await database.dispose()
    sys.stdout.writelines(f"{report}\n" for report in result.reports)
    sys.stdout.write(f"{result.file}: {describe_import(result)}\n")
    if asked:
        sys.stdout.write(f"Improvement Board updates asked of {asked} owner(s) at once.\n")
    return 0


def describe_import(result: ImportResult) -> str:
    """An import's counts, what it kept from Teams, and the rows the file did not have."""
    parts = [describe(result.counts)]
    if result.reports:
        verb = "replaced" if any("replaced" in r.message for r in result.reports) else "kept"
        parts.append(f"{len(result.reports)} value(s) set in Teams {verb} (listed above)")
    if result.not_in_file:
        parts.append(f"{result.not_in_file} not in the file (kept)")
    suffix = " (dry run: nothing was written)" if result.dry_run else ""
    return ", ".join(parts) + suffix


def ask(settings: Settings, question: str) -> int:
    """Prints the answer (or the nearest topics) exactly as the bot would choose it."""
    if not question.strip():
        sys.stderr.write("inspection-ready: ask needs a question\n")
        return 2
    knowledge = KnowledgeBase.load(settings.local_knowledge)
    today = datetime.now(settings.timezone).date()
    sys.stdout.write(reply_text(knowledge.respond(question, today)) + "\n")
    return 0


async def list_unanswered(settings: Settings, days: int) -> int:
    """Prints recent questions the bot was not sure about, newest first, then the answers
    people marked not helpful."""
    database = Database(settings.database_url)
    try:
        await upgrade_database(database)
        since = datetime.now(settings.timezone) - timedelta(days=days)
        async with database.sessions() as session:
            rows = await knowledge_repository.list_unanswered(session, since)
            votes = await knowledge_repository.not_helpful_since(session, since)
    finally:
        await database.dispose()
    if not rows:
        sys.stdout.write(f"No unanswered questions in the last {days} days.\n")
    for question, email in rows:
        asked = question.asked_at.astimezone(settings.timezone)
        nearest = question.suggested.replace(",", ", ") or "none"
        answered = f"  answered as {question.answer_entry}" if question.answer_entry else ""
        line = (
            f"{asked:%Y-%m-%d %H:%M}  {email or 'not on the roster'}  {question.question!r}"
            f"  (nearest: {nearest}){answered}"
        )
        sys.stdout.write(escape_unprintable(line) + "\n")
    if not votes:
        sys.stdout.write(f"No answers marked not helpful in the last {days} days.\n")
        return 0
    sys.stdout.write(f"Answers marked not helpful in the last {days} days:\n")
    for entry_id, count in votes:
        sys.stdout.write(f"  {count}  {entry_id}\n")
    return 0


async def notify(settings: Settings, *, dry_run: bool) -> int:
    """Runs the reminder pass now, as the scheduler would at the start of the day."""
    database = Database(settings.database_url)
    edge = create_edge(settings.sdk, settings.credentials)
    try:
        await upgrade_database(database)
        titles = entry_titles(KnowledgeBase.load(settings.local_knowledge))
        notifications = build_notifications(
            settings, database, utc_now, edge.delivery, titles=titles
        )
        report = await notifications.run_pass(dry_run=dry_run)
        if not report.working_day:
            sys.stdout.write(
                f"{report.today:%A %d %B %Y} is not a working day: nothing planned.\n"
            )
            return 0
        names = {}
        async with database.sessions() as session:
            for staff in await staff_repository.list_all(session):
                names[staff.id] = staff.email
        if dry_run:
            for planned in report.planned:
                subject = (
                    planned.item.ref
                    if planned.item
                    else (planned.event.title if planned.event else f"{len(planned.digest)} items")
                )
                line = f"{names.get(planned.recipient_id)}  {planned.kind}  {subject}"
                sys.stdout.write(f"{escape_unprintable(line)}\n")
            for ask in report.board_asks:
                line = f"{names.get(ask.owner_id)}  {ask.kind}  {ask.meeting.title}"
                sys.stdout.write(f"{escape_unprintable(line)}\n")
            total = len(report.planned) + len(report.board_asks)
            sys.stdout.write(f"{total} message(s) would be queued (dry run).\n")
            return 0
        async with database.sessions() as session:
            counts = await outbox_repository.status_counts(session)
        digests = (
            f" Weekly knowledge digest queued for {report.digests} coordinator(s)."
            if report.digests
            else ""
        )
        board_asks = (
            f" Improvement Board updates asked of {len(report.board_asks)} owner(s)."
            if report.board_asks
            else ""
        )
        sys.stdout.write(
            f"{len(report.planned)} due today, {report.queued} newly queued.{digests}"
            f"{board_asks} Outbox: "
            + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            + ".\n"
        )
    finally:
        await edge.close()
        await database.dispose()
    return 0


async def list_unreachable(settings: Settings) -> int:
    """Prints everyone on the roster the bot cannot message proactively."""
    database = Database(settings.database_url)
    try:
        await upgrade_database(database)
        async with database.sessions() as session:
            people = await outbox_repository.unreachable_people(session)
    finally:
        await database.dispose()
    for person, reason in people:
        # Names come from import files: printed with control characters escaped.
        line = f"{person.email}  {person.name}: {reason}"
        sys.stdout.write(f"{escape_unprintable(line)}\n")
    sys.stdout.write(f"{len(people)} people cannot be reached in Teams.\n")
    return 0


def describe(counts: UpsertCounts) -> str:
    """Counts as a person reads them."""
    text = f"{counts.new} new, {counts.updated} updated, {counts.unchanged} unchanged"
    return f"{text}, {counts.closed} closed" if counts.closed else text


async def _with_database(settings: Settings, *, demo: bool) -> None:
    database = Database(settings.database_url)
    try:
        await upgrade_database(database)
        if demo:
            today = datetime.now(settings.timezone).date()
            async with database.sessions() as session, session.begin():
                results = await load_demo(session, today, settings.timezone)
            for kind, counts in results.items():
                sys.stdout.write(f"Demo {kind}: {describe(counts)}\n")
    finally:
        await database.dispose()
