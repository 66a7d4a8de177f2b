"""This module contains Scheduler, the APScheduler wrapper that tells the service "look now"."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

logger = logging.getLogger(__name__)


class Scheduler:
    """Owns one AsyncIOScheduler for the life of the service.

    The scheduler only wakes the service up; what is due is always decided from the
    database, so a missed or doubled wake-up changes nothing.
    """

    def __init__(self, timezone: ZoneInfo) -> None:
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
