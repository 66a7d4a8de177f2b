"""This module contains Notifications: the reminder pass and the sender, wired to the clock."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from notifications.call_watch import CallWatch
from notifications.reminder_pass import PassReport, ReminderPass
from notifications.scheduler import Scheduler
from notifications.sender import DrainReport, OutboxSender

logger = logging.getLogger(__name__)

PASS_JOB = "reminder-pass"
DRAIN_JOB = "outbox-drain"
DRAIN_EVERY_SECONDS = 30
CALL_WATCH_JOB = "inspection-call-watch"
# Reminders are due on the minute; the status card should follow acknowledgements closely.
CALL_WATCH_EVERY_SECONDS = 10


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
        call_watch: CallWatch | None = None,
    ) -> None:
        self.reminder_pass = reminder_pass
        self.sender = sender
        self.call_watch = call_watch
        self._timezone = timezone
        self._clock = clock
        # One pass or drain at a time in this process, and a way to wait for it at shutdown.
        self._busy = asyncio.Lock()
        # The call watch runs beside a drain (a broadcast's drain takes minutes).
        self._watching = asyncio.Lock()
        self._kicks: set[asyncio.Task[DrainReport]] = set()
        self._kick_waiting = False

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

    def drain_soon(self) -> None:
        """Starts a drain now, without waiting for the next scheduled one (urgent messages
        were queued). One waiting drain is enough: it sends everything queued before it."""
        # A drain already running may be waiting for retries: have it send these first.
        self.sender.nudge()
        if self._kick_waiting:
            return
        self._kick_waiting = True

        async def kick() -> DrainReport:
            async with self._busy:
                self._kick_waiting = False
                return await self.sender.drain()

        task = asyncio.get_running_loop().create_task(kick())
        self._kicks.add(task)
        task.add_done_callback(self._kick_done)

    def _kick_done(self, task: asyncio.Task[DrainReport]) -> None:
        self._kicks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("Urgent drain failed", exc_info=task.exception())

    async def watch_calls(self) -> None:
        """Chases the unacknowledged and refreshes status cards while a call is active."""
        if self.call_watch is None:
            return
        async with self._watching:
            queued = await self.call_watch.chase()
            await self.call_watch.refresh_status_cards()
        if queued:
            self.drain_soon()

    def schedule(self, scheduler: Scheduler, start_of_day: time) -> None:
        """The daily pass at the start of working hours, a drain every half minute and the
        inspection-call watch every few seconds."""
        scheduler.run_on_weekdays(PASS_JOB, start_of_day, self.run_pass)
        scheduler.run_every(DRAIN_JOB, DRAIN_EVERY_SECONDS, self.drain)
        scheduler.run_every(CALL_WATCH_JOB, CALL_WATCH_EVERY_SECONDS, self.watch_calls)
        logger.info("Reminders scheduled for %s on working days", start_of_day)

    async def stop(self, scheduler: Scheduler) -> None:
        """Unschedules the jobs and waits for a run in progress, before the database closes."""
        scheduler.cancel(PASS_JOB)
        scheduler.cancel(DRAIN_JOB)
        scheduler.cancel(CALL_WATCH_JOB)
        self.sender.stop()
        if self._kicks:
            await asyncio.gather(*self._kicks, return_exceptions=True)
        async with self._busy, self._watching:
            pass
        await self.sender.close()
