"""This module contains load_demo, which puts the demo organisation in the database."""

from __future__ import annotations

import csv
from importlib import resources
from typing import TYPE_CHECKING

from store.models import StaffRole
from store.repositories.staff import RosterEntry, UpsertCounts, upsert_roster

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


def demo_roster() -> list[RosterEntry]:
    """The demo staff file, parsed; its people match the playground's mock users."""
    text = (resources.files("demo") / "staff.csv").read_text(encoding="utf-8")
    return [
        RosterEntry(
            email=row["email"],
            name=row["name"],
            role=StaffRole(row["role"]),
            team=row["team"] or None,
            manager_email=row["manager_email"] or None,
            inspection_role=row["inspection_role"] or None,
        )
        for row in csv.DictReader(text.splitlines())
    ]


async def load_demo(session: AsyncSession) -> UpsertCounts:
    """Loads (or refreshes) the demo roster; running it again changes nothing."""
    return await upsert_roster(session, demo_roster())
