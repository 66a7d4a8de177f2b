"""This module contains `inspection-ready relink`: link a roster entry to a Teams account."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from store.db import Database
from store.importers.fields import FieldError, parse_guid
from store.importers.problems import escape_unprintable
from store.migrate import upgrade_database
from store.repositories import staff as staff_repository

if TYPE_CHECKING:
    from bot.settings import Settings

ACTOR = "inspection-ready relink (command line)"


def add_relink_parser(commands: Any) -> None:
    """Adds `relink EMAIL [--aad-object-id GUID | --unlink]`."""
    relink = commands.add_parser(
        "relink",
        help="show or change which Teams account a person on the roster is linked to",
        description="Without an option, shows the person's link and the Teams accounts that "
        "were refused when they tried to sign in as them. A roster entry is never moved to "
        "another Teams account automatically; this (or 'relink EMAIL' in chat, for "
        "coordinators) is how it is done.",
    )
    relink.add_argument("email", help="the person's email on the roster")
    choice = relink.add_mutually_exclusive_group()
    choice.add_argument(
        "--aad-object-id", metavar="GUID", help="link to the Teams account with this object id"
    )
    choice.add_argument(
        "--unlink",
        action="store_true",
        help="unlink; the next message from this council's own (non-guest) account with the "
        "person's address links it again",
    )


async def run_relink(settings: Settings, args: argparse.Namespace) -> int:
    """Shows or changes one person's link; 1 if they are not on the roster or the id is taken."""
    new: str | None = None
    if args.aad_object_id is not None:
        try:
            new = parse_guid(args.aad_object_id)
        except FieldError as exc:
            sys.stderr.write(
                f"inspection-ready: --aad-object-id: {escape_unprintable(str(exc))}\n"
            )
            return 2
    database = Database(settings.database_url)
    try:
        await upgrade_database(database)
        async with database.sessions() as session, session.begin():
            staff = await staff_repository.find_by_email(session, args.email)
            if staff is None:
                sys.stderr.write(
                    f"inspection-ready: nobody with the email {escape_unprintable(args.email)} "
                    "is on the roster\n"
                )
                return 1
            if new is not None or args.unlink:
                try:
                    await staff_repository.relink(session, staff, new, actor=ACTOR)
                except staff_repository.IdentityInUseError as exc:
                    sys.stderr.write(
                        f"inspection-ready: that Teams account is linked to {exc}; unlink it "
                        "there first\n"
                    )
                    return 1
            attempts = await staff_repository.refused_links(session, staff)
            linked = staff.aad_object_id
    finally:
        await database.dispose()
    sys.stdout.write(f"{staff.email}: linked to {linked or 'no Teams account'}\n")
    for attempt in attempts:
        if attempt.aad_object_id and attempt.aad_object_id != linked:
            sys.stdout.write(
                f"  refused {attempt.at:%Y-%m-%d %H:%M} UTC: "
                f"{escape_unprintable(attempt.display_name)} ({attempt.aad_object_id}): "
                f"{attempt.reason}\n"
            )
    return 0
