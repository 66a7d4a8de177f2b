"""This module runs the daily reminder pass: plan what is due, render it, queue it once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from cards.work_items import from_action, from_audit
from knowledge.working_days import WorkingDays
from notifications.board_requests import BoardAsk, queue_board_asks
from notifications.knowledge_digest import Titles, is_digest_day, queue_digest
from notifications.planner import EventInfo, Planned, Planner, Recipient
from notifications.quiet_hours import QuietHours
from notifications.rendering import render
from notifications.rules import ReminderRules
from store.repositories import areas, outbox, work
from store.repositories import staff as staff_repository

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from store.db import Database

logger = logging.getLogger(__name__)


@dataclass
class PassReport:
    """What a pass planned and how much of it was new."""

    today: date
    working_day: bool
    planned: list[Planned] = field(default_factory=list)
    queued: int = 0
    # Coordinators' weekly knowledge digests queued (first working day of the week only).
    digests: int = 0
    # Improvement Board update requests and chases new today (with dry_run: would be).
    board_asks: list[BoardAsk] = field(default_factory=list)


class ReminderPass:
    """Plans today's reminders from the database and queues them in the outbox."""

    def __init__(
        self,
        database: Database,
        rules: ReminderRules,
        calendar: WorkingDays,
        quiet_hours: QuietHours,
        titles: Titles | None = None,
        *,
        board_update_days: int = 5,
    ) -> None:
        self._database = database
        # Working days before a board meeting that owners are asked for their updates.
        self._board_update_days = board_update_days
        # Knowledge entry titles for the weekly digest, by entry id.
        self._titles: Titles = titles or (lambda _entry_id: None)
        self._rules = rules
        self._calendar = calendar
        self._quiet_hours = quiet_hours

    async def run(self, now: datetime, today: date, *, dry_run: bool = False) -> PassReport:
        """Queues what is due today (nothing on weekends and bank holidays).

        With `dry_run`, nothing is written and `planned` lists only what is not queued yet.
        """
        report = PassReport(today, self._calendar.is_working_day(today))
        if not report.working_day:
            return report
        async with self._database.sessions() as session, session.begin():
            people = await _people(session)
            planner = Planner(self._rules, self._calendar, people, await _snoozes(session, today))
            actions = await work.open_actions(session, None)
            audits = await work.open_audits(session, None)
            items = [from_action(a, today, self._calendar) for a in actions]
            items += [from_audit(a, today, self._calendar) for a in audits]
            planned = planner.plan(today, items, await _events(session, today))
            send_from = self._quiet_hours.next_allowed(now)
            report.board_asks = await queue_board_asks(
                session,
                now,
                today,
                send_from,
                self._calendar,
                self._board_update_days,
                self._quiet_hours.timezone,
                dry_run=dry_run,
                open_actions=actions,
            )
            if dry_run:
                existing = await outbox.existing_keys(session, [p.dedupe_key for p in planned])
                report.planned = [p for p in planned if p.dedupe_key not in existing]
                await session.rollback()
                return report
            rows = [
                outbox.new_row(
                    p.dedupe_key,
                    p.recipient_id,
                    p.kind.value,
                    render(p, people[p.recipient_id]),
                    send_from,
                    urgent=False,
                )
                for p in planned
            ]
            report.planned = planned
            report.queued = await outbox.queue(session, rows)
            if is_digest_day(today, self._calendar):
                report.digests = await queue_digest(session, now, today, send_from, self._titles)
        logger.info("Reminder pass for %s: %d planned, %d new", today, len(planned), report.queued)
        return report


async def _people(session: AsyncSession) -> dict[int, Recipient]:
    preferences = await work.reminder_preferences(session)
    leads = await areas.areas_by_lead(session)
    people = {}
    for staff in await staff_repository.list_all(session):
        choice = preferences.get(staff.id)
        people[staff.id] = Recipient(
            staff.id,
            staff.name,
            staff.role,
            staff.team_name,
            staff.manager_id,
            digest_only=bool(choice and choice.digest_only),
            paused_until=choice.paused_until if choice else None,
            leads=leads.get(staff.id, frozenset()),
        )
    return people


async def _snoozes(session: AsyncSession, today: date) -> dict[tuple[str, int], date]:
    return {(s.item_kind, s.item_id): s.until for s in await work.snoozes_from(session, today)}


async def _events(session: AsyncSession, today: date) -> list[EventInfo]:
    events = await work.events_after(session, today)
    return [EventInfo(e.id, e.title, e.date, e.kind.value, e.audience) for e in events]
