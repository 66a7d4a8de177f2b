"""This module contains the `inspection-ready` command line (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

from aiohttp import web

from bot.app import create_app
from bot.settings import Settings, SettingsError
from demo.loader import load_demo
from store.db import Database
from store.errors import StoreError
from store.migrate import upgrade_database

logger = logging.getLogger(__name__)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one subcommand per contract command."""
    parser = argparse.ArgumentParser(
        prog="inspection-ready",
        description="Inspection Ready: a Teams colleague for Ofsted inspection readiness.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="apply migrations, serve HTTP and run the scheduler")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (0.0.0.0)")
    serve.add_argument("--port", type=int, help="port to listen on (PORT, else 3978)")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="DB_COMMAND")
    db_commands.add_parser("upgrade", help="apply the database migrations")

    commands.add_parser("demo", help="load the demo organisation (safe to repeat)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; returns the process exit code."""
    args = build_parser().parse_args(argv)
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
    except SettingsError as exc:
        sys.stderr.write(f"inspection-ready: configuration error: {exc}\n")
        return 2
    except StoreError as exc:
        sys.stderr.write(f"inspection-ready: database error: {exc}\n")
        return 1
    sys.stderr.write(f"inspection-ready: unknown command {args.command!r}\n")
    return 2


def configure_logging() -> None:
    """INFO to stderr; never message bodies (our loggers log ids and types only)."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    # msrest warns about every Teams channelData field it has no model for: noise, not news.
    logging.getLogger("msrest.serialization").setLevel(logging.ERROR)


def serve(settings: Settings, host: str, port: int) -> int:
    """Migrates, then serves until interrupted."""
    asyncio.run(_with_database(settings, demo=False))
    logger.info("Serving on http://%s:%s/api/messages", host, port)
    web.run_app(create_app(settings), host=host, port=port, print=None)
    return 0


async def _with_database(settings: Settings, *, demo: bool) -> None:
    database = Database(settings.database_url)
    try:
        await upgrade_database(database)
        if demo:
            async with database.sessions() as session, session.begin():
                counts = await load_demo(session)
            sys.stdout.write(
                f"Demo roster: {counts.new} new, {counts.updated} updated, "
                f"{counts.unchanged} unchanged\n"
            )
    finally:
        await database.dispose()
