"""The daily reminder pass on demo data: what is queued, once, in working hours, and sent."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import build_notifications
from bot.settings import Settings
from demo.loader import DEMO_ANCHOR, load_demo
from knowledge.working_days import WorkingDays
from notifications.quiet_hours import QuietHours, WorkingHours
from notifications.reminder_pass import ReminderPass
from notifications.rules import ReminderRules
from store.db import Database
from store.models import OutboxMessage, Snooze, Staff
from store.repositories import conversations
from store.repositories.conversations import ConversationRecord
from teams.factory import Sdk, create_edge
from teams.types import StoredReference
from tests import fakes
from tests.fakes import FakeConnector

LONDON = ZoneInfo("Europe/London")
WEDNESDAY_9AM = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
QUIET = QuietHours(LONDON, WorkingHours(time(8), time(18)), WorkingDays())


@pytest.fixture
async def demo(database: Database) -> Database:
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
    return database


def reminder_pass(database: Database) -> ReminderPass:
    return ReminderPass(database, ReminderRules(), WorkingDays(), QUIET)


async def queued(database: Database) -> list[OutboxMessage]:
    async with database.sessions() as session:
        return list(
            (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        )


async def staff_id(database: Database, email: str) -> int:
    async with database.sessions() as session:
        return (await session.execute(select(Staff.id).where(Staff.email == email))).scalar_one()


async def test_a_pass_queues_once_and_a_rerun_adds_nothing(demo: Database) -> None:
    first = await reminder_pass(demo).run(WEDNESDAY_9AM, date(2026, 11, 25))
    again = await reminder_pass(demo).run(WEDNESDAY_9AM, date(2026, 11, 25))

    assert first.queued == len(first.planned) > 0
    assert again.queued == 0
    assert len(await queued(demo)) == first.queued


async def test_adele_and_her_manager_get_what_the_rules_say(demo: Database) -> None:
    await reminder_pass(demo).run(WEDNESDAY_9AM, date(2026, 11, 25))
    adele, megan = (
        await staff_id(demo, "adelev@example.com"),
        await staff_id(demo, "meganb@example.com"),
    )

    messages = await queued(demo)
    to_adele = sorted(m.payload["text"] for m in messages if m.recipient_id == adele)
    to_megan = [m.payload["text"] for m in messages if m.recipient_id == megan]

    assert "Your action is due in 1 working day: PA2.5" in to_adele
    # The first pass catches up: each overdue item's current weekly reminder goes once.
    assert "Your action is overdue by 18 working days: PA2.2" in to_adele
    assert "Your action is overdue by 11 working days: PA2.3" in to_adele
    assert "Adele Vance's action is overdue by 18 working days: PA2.2" in to_megan
    assert all(m.next_attempt_at == WEDNESDAY_9AM for m in messages)


async def test_nothing_is_planned_at_weekends_or_on_bank_holidays(demo: Database) -> None:
    saturday = await reminder_pass(demo).run(WEDNESDAY_9AM, date(2026, 11, 28))
    christmas = await reminder_pass(demo).run(WEDNESDAY_9AM, date(2026, 12, 25))

    assert (saturday.working_day, christmas.working_day) == (False, False)
    assert await queued(demo) == []


async def test_a_pass_before_working_hours_queues_for_eight_oclock(demo: Database) -> None:
    early = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)

    await reminder_pass(demo).run(early, date(2026, 11, 25))

    assert {m.next_attempt_at for m in await queued(demo)} == {
        datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    }


async def test_dry_run_lists_without_writing(demo: Database) -> None:
    report = await reminder_pass(demo).run(WEDNESDAY_9AM, date(2026, 11, 25), dry_run=True)

    assert report.planned
    assert await queued(demo) == []


async def test_a_snoozed_item_is_skipped_for_its_owner(demo: Database) -> None:
    adele = await staff_id(demo, "adelev@example.com")
    baseline = await reminder_pass(demo).run(WEDNESDAY_9AM, date(2026, 11, 25), dry_run=True)
    [pa25] = [p.item for p in baseline.planned if p.item and p.item.ref == "PA2.5"]
    async with demo.sessions() as session, session.begin():
        session.add(
            Snooze(staff_id=adele, item_kind="action", item_id=pa25.id, until=date(2026, 11, 26))
        )

    report = await reminder_pass(demo).run(WEDNESDAY_9AM, date(2026, 11, 25), dry_run=True)

    assert not [p for p in report.planned if p.item and p.item.ref == "PA2.5"]


async def test_monday_digest_goes_to_managers_with_their_area(demo: Database) -> None:
    monday = date(2026, 11, 23)
    megan = await staff_id(demo, "meganb@example.com")

    report = await reminder_pass(demo).run(datetime(2026, 11, 23, 9, tzinfo=UTC), monday)

    [digest] = [m for m in await queued(demo) if m.kind == "digest" and m.recipient_id == megan]
    assert digest.payload["text"].startswith("This week for Megan:")
    assert report.queued > 0


async def test_the_service_sends_the_pass_through_teams(
    demo: Database, connector: FakeConnector, sdk: Sdk
) -> None:
    adele = await staff_id(demo, "adelev@example.com")
    activity = fakes.activity("message", connector.url, conversation_id="a:adele")
    async with demo.sessions() as session, session.begin():
        await conversations.save_installation(
            session,
            ConversationRecord(
                conversation_id="a:adele",
                conversation_type="personal",
                service_url=connector.url,
                channel_id="msteams",
                reference=StoredReference(
                    service_url=connector.url,
                    conversation_id="a:adele",
                    user_id=activity["from"]["id"],
                    bot_id=activity["recipient"]["id"],
                ).to_dict(),
                staff_id=adele,
            ),
        )
    settings = Settings(dev_no_auth=True, database_url=demo.url, sdk=sdk)
    edge = create_edge(settings.sdk, settings.credentials)
    notifications = build_notifications(settings, demo, lambda: WEDNESDAY_9AM, edge.delivery)

    try:
        report = await notifications.run_pass()
    finally:
        await edge.close()

    to_adele = [a for a in connector.sent if a["_conversation_id"] == "a:adele"]
    assert report.queued > 0
    assert len(to_adele) == sum(1 for p in report.planned if p.recipient_id == adele)
    card = to_adele[0]["attachments"][0]["content"]
    titles = [a["title"] for a in card["actions"]]
    assert titles[:1] == ["Open"]
