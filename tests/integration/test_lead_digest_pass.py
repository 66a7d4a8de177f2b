"""The weekly digest of a priority area's lead covers the area, on demo data."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from demo.loader import DEMO_ANCHOR, load_demo
from knowledge.working_days import WorkingDays
from notifications.quiet_hours import QuietHours, WorkingHours
from notifications.reminder_pass import ReminderPass
from notifications.rules import ReminderRules
from store.db import Database
from store.models import OutboxMessage, PriorityArea, Staff

MONDAY = DEMO_ANCHOR
QUIET = QuietHours(ZoneInfo("Europe/London"), WorkingHours(time(8), time(18)), WorkingDays())


async def megans_digest(database: Database) -> list[str]:
    await ReminderPass(database, ReminderRules(), WorkingDays(), QUIET).run(
        datetime(2026, 11, 23, 9, tzinfo=UTC), date(2026, 11, 23)
    )
    async with database.sessions() as session:
        megan = (
            await session.execute(select(Staff.id).where(Staff.email == "meganb@example.com"))
        ).scalar_one()
        [digest] = (
            await session.execute(
                select(OutboxMessage).where(
                    OutboxMessage.kind == "digest", OutboxMessage.recipient_id == megan
                )
            )
        ).scalars()
    return [item["ref"] for item in digest.payload["context"]["items"]]


async def test_a_lead_is_digested_on_an_area_outside_their_line(database: Database) -> None:
    async with database.sessions() as session, session.begin():
        await load_demo(session, MONDAY)
    async with database.sessions() as session, session.begin():
        megan = select(Staff.id).where(Staff.email == "meganb@example.com").scalar_subquery()
        await session.execute(
            update(PriorityArea)
            .where(PriorityArea.name == "Management oversight and supervision")
            .values(lead_id=megan)
        )

    refs = await megans_digest(database)

    # PA1.2 is Sunita's, who does not report to Megan: it is there because Megan leads
    # its area. Her own team's items are there as before.
    assert "PA1.2" in refs
    assert "PA2.2" in refs
