"""This module contains WorkingHours and QuietHours: when a non-urgent message may go out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from knowledge.working_days import WorkingDays


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """The part of a working day in which scheduled nudges may go out."""

    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


# INSPECTION_READY_WORKING_HOURS when it is not set.
DEFAULT_WORKING_HOURS = WorkingHours(time(8, 0), time(18, 0))


class QuietHours:
    """Working hours on working days, in the council's time zone."""

    def __init__(self, timezone: ZoneInfo, hours: WorkingHours, calendar: WorkingDays) -> None:
        self._timezone = timezone
        self._hours = hours
        self._calendar = calendar

    @property
    def timezone(self) -> ZoneInfo:
        """The council's time zone, in which working days and hours are counted."""
        return self._timezone

    def allows(self, at: datetime) -> bool:
        """Whether `at` is inside working hours on a working day."""
        local = at.astimezone(self._timezone)
        return (
            self._calendar.is_working_day(local.date())
            and self._hours.start <= local.time() < self._hours.end
        )

    def next_allowed(self, at: datetime) -> datetime:
        """`at` itself if allowed, else the start of the next working hours."""
        if self.allows(at):
            return at
        local = at.astimezone(self._timezone)
        day = local.date()
        if local.time() >= self._hours.start:
            day += timedelta(days=1)
        day = self._calendar.next_working_day(day)
        start = datetime.combine(day, self._hours.start, tzinfo=self._timezone)
        return start.astimezone(at.tzinfo)
