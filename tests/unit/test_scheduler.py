"""The scheduler wrapper: weekday jobs at the start of working hours; failures contained."""

from __future__ import annotations

import asyncio
import logging
from datetime import time
from zoneinfo import ZoneInfo

import pytest

from notifications.scheduler import Scheduler, _guarded

LONDON = ZoneInfo("Europe/London")


async def test_daily_job_runs_on_weekdays_at_the_given_time() -> None:
    scheduler = Scheduler(LONDON)
    scheduler.start()
    try:
        scheduler.run_on_weekdays("pass", time(8, 0), _nothing)
        scheduler.run_on_weekdays("pass", time(8, 0), _nothing)  # replaces, not duplicates
        next_run = scheduler.next_run("pass")
    finally:
        scheduler.stop()

    assert next_run is not None
    local = next_run.astimezone(LONDON)
    assert (local.hour, local.minute) == (8, 0)
    assert local.weekday() < 5


async def test_a_failing_job_is_logged_and_contained(caplog: pytest.LogCaptureFixture) -> None:
    async def broken() -> None:
        raise RuntimeError("boom")

    await _guarded("reminder-pass", broken)()

    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage() == "Scheduled job reminder-pass failed"


async def _nothing() -> None:
    await asyncio.sleep(0)
