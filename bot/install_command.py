"""This module contains the `install-for-roster` command: installs the app through Microsoft
Graph for everyone on the roster who has no chat with the bot."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings
from notifications.installation import Installer, Result
from store.db import Database
from store.importers.problems import escape_unprintable
from store.migrate import upgrade_database
from store.repositories import staff as staff_repository

ACTOR = "inspection-ready install-for-roster (command line)"
NOT_SET_UP = (
    "install-for-roster: installing the app through Microsoft Graph is not set up: set "
    "INSPECTION_READY_CATALOG_APP_ID to the app's id in your tenant's app catalogue, with "
    "the bot's MicrosoftApp* settings (see docs/deploy.md)"
)


def add_install_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the `install-for-roster` subcommand to the `inspection-ready` command line."""
    command = commands.add_parser(
        "install-for-roster",
        help="install the app through Microsoft Graph for roster members with no chat with "
        "the bot",
        description="Installs the app in the personal scope of everyone on the roster who "
        "has no chat with the bot, through Microsoft Graph (needs "
        "INSPECTION_READY_CATALOG_APP_ID and the Graph permissions in docs/deploy.md), and "
        "reports who was installed, who already had it and who could not be, and why. "
        "People who could not be installed before are tried again.",
    )
    command.add_argument(
        "--dry-run",
        action="store_true",
        help="list who would be installed; change nothing and ask Graph nothing",
    )


async def run_install(settings: Settings, *, dry_run: bool) -> int:
    """Installs (or lists) and prints one line per person; returns the exit code.

    2 when installation is not set up, 1 when nothing could be installed for anyone (the
    app could not sign in, or Graph did not answer), else 0.
    """
    if settings.graph is None:
        sys.stderr.write(f"inspection-ready: {NOT_SET_UP}\n")
        return 2
    installer = Installer(settings.graph)
    database = Database(settings.database_url)
    try:
        await upgrade_database(database)
        async with database.sessions() as session, session.begin():
            everyone = await staff_repository.list_all(session)
            # Everyone without a chat, those refused before too: a policy may have changed.
            plan = await installer.plan(session, everyone, retry_failures=True)
            if dry_run:
                remembered = await installer.plan(session, everyone)
                last_time = {person.id: why for person, why in remembered.cannot}
                for person in plan.to_install:
                    before = last_time.get(person.id)
                    note = f" (last time: could not be installed: {before})" if before else ""
                    _line(person.email, person.name, f"would be installed{note}")
                sys.stdout.write(
                    f"{len(plan.to_install)} of {len(everyone)} people would be installed; "
                    "the others have a chat with the bot (dry run: nothing was changed).\n"
                )
                return 0
            outcomes = await installer.install(session, plan.to_install, actor=ACTOR)
    finally:
        await database.dispose()
    for outcome in outcomes:
        _line(outcome.email, outcome.name, outcome.logged)
    counts = {result: sum(o.result is result for o in outcomes) for result in Result}
    sys.stdout.write(
        f"{counts[Result.INSTALLED]} installed, {counts[Result.ALREADY_INSTALLED]} already "
        f"installed, {counts[Result.FAILED]} could not be installed, "
        f"{counts[Result.NOT_YET]} not installed yet; "
        f"{len(everyone) - len(outcomes)} already had a chat with the bot.\n"
    )
    if outcomes and not any(o.installed or o.result is Result.FAILED for o in outcomes):
        sys.stderr.write(
            "inspection-ready: install-for-roster: nothing could be installed: "
            f"{outcomes[0].reason}\n"
        )
        return 1
    return 0


def _line(email: str, name: str, what: str) -> None:
    # Names come from import files: printed with control characters escaped.
    sys.stdout.write(escape_unprintable(f"{email}  {name}: {what}") + "\n")
