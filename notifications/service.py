"""This module contains Notifications: the reminder pass and the sender, wired to the clock."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from notifications.reminder_pass import PassReport, ReminderPass
from notifications.scheduler import Scheduler
from notifications.sender import DrainReport, OutboxSender

logger = logging.getLogger(__name__)

PASS_JOB = "reminder-pass"
DRAIN_JOB = "outbox-drain"
DRAIN_EVERY_SECONDS = 30


def worker_name() -> str:
    """Names this process in claims, so a stuck claim can be traced to its replica."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Notifications:
    """Runs the daily pass and keeps the outbox drained."""

    def __init__(
        self,
        reminder_pass: ReminderPass,
        sender: OutboxSender,
        timezone: ZoneInfo,
        clock: Callable[[], datetime],
    ) -> None:
        self.reminder_pass = reminder_pass
        self.sender = sender
        self._timezone = timezone
        self._clock = clock
        # One pass or drain at a time in this process, and a way to wait for it at shutdown.
        self._busy = asyncio.Lock()

    async def run_pass(self, *, dry_run: bool = False) -> PassReport:
        """Plans and queues today's reminders, then sends what may go now."""
        async with self._busy:
            now = self._clock()
            report = await self.reminder_pass.run(
                now, now.astimezone(self._timezone).date(), dry_run=dry_run
            )
            if not dry_run:
                await self.sender.drain()
            return report

    async def drain(self) -> DrainReport:
        """Sends whatever in the outbox is due."""
        async with self._busy:
            return await self.sender.drain()

    def schedule(self, scheduler: Scheduler, start_of_day: time) -> None:
        """The daily pass at the start of working hours, and a drain every half minute."""
        scheduler.run_on_weekdays(PASS_JOB, start_of_day, self.run_pass)
        scheduler.run_every(DRAIN_JOB, DRAIN_EVERY_SECONDS, self.drain)
        logger.info("Reminders scheduled for %s on working days", start_of_day)

    async def stop(self, scheduler: Scheduler) -> None:
        """Unschedules the jobs and waits for a run in progress, before the database closes."""
        scheduler.cancel(PASS_JOB)
        scheduler.cancel(DRAIN_JOB)
        async with self._busy:
            pass
