"""This module contains Scheduler, the APScheduler wrapper that tells the service "look now"."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

logger = logging.getLogger(__name__)

JobCallback = Callable[[], Awaitable[object]]


class Scheduler:
    """Owns one AsyncIOScheduler for the life of the service.

    The scheduler only wakes the service up; what is due is always decided from the
    database, so a missed or doubled wake-up changes nothing.
    """

    def __init__(self, timezone: ZoneInfo) -> None:
        self._timezone = timezone
        self._scheduler = AsyncIOScheduler(timezone=timezone)

    @property
    def running(self) -> bool:
        """Whether the scheduler has been started and not stopped."""
        return bool(self._scheduler.running)

    def start(self) -> None:
        """Starts the scheduler on the running event loop."""
        self._scheduler.start()
        logger.info("Scheduler started")

    def stop(self) -> None:
        """Stops the scheduler without waiting for jobs in progress."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
            logger.info("Scheduler stopped")

    def run_on_weekdays(self, job_id: str, at: time, callback: JobCallback) -> None:
        """Runs `callback` Monday to Friday at `at` local time (bank holidays are the
        callback's business: it knows the calendar)."""
        trigger = CronTrigger(
            day_of_week="mon-fri", hour=at.hour, minute=at.minute, timezone=self._timezone
        )
        self._scheduler.add_job(
            _guarded(job_id, callback),
            trigger,
            id=job_id,
            name=job_id,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=3600,
        )

    def run_every(self, job_id: str, seconds: float, callback: JobCallback) -> None:
        """Runs `callback` every `seconds`, first straight away; never two at once."""
        self._scheduler.add_job(
            _guarded(job_id, callback),
            IntervalTrigger(seconds=seconds),
            id=job_id,
            name=job_id,
            replace_existing=True,
            next_run_time=datetime.now(UTC),
            coalesce=True,
            # However late the loop gets to it (start-up can take seconds), run it: the
            # default would skip a run more than a second late as "misfired".
            misfire_grace_time=None,
            max_instances=1,
        )

    def cancel(self, job_id: str) -> None:
        """Removes a job if it is scheduled (a run in progress carries on)."""
        if self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    def next_run(self, job_id: str) -> datetime | None:
        """When a job runs next, if it is scheduled."""
        job = self._scheduler.get_job(job_id)
        return job.next_run_time if job is not None else None


def _guarded(job_id: str, callback: JobCallback) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        try:
            await callback()
        except Exception:
            # One bad run must not stop the scheduler; the next run tries again.
            logger.exception("Scheduled job %s failed", job_id)

    return run
