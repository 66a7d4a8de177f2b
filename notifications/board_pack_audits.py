"""This module contains the board pack's audit programme section: the audit report of the
last complete month before the meeting, in aggregate figures only.

The board sees the month before the meeting's month: the meeting's own month is still under
way (its audits are due up to its last day), so its completion would look worse than it
will be. Only the report's totals are shown, never its list of audits, which names cases
and auditors: board viewers see figures, not cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from notifications.audit_form import AuditForm
from notifications.audit_report import (
    MonthRows,
    grade_columns,
    month_built,
    month_label,
    month_rows,
)
from notifications.audit_report_files import headline_rows, trend_rows

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

TREND_HEADINGS = ("Month", "Audits", "Completed", "Overdue", "Good or better", "Agreement %")


def report_month(meeting: date) -> date:
    """The first day of the last complete month before the meeting."""
    if meeting.month == 1:
        return date(meeting.year - 1, 12, 1)
    return date(meeting.year, meeting.month - 1, 1)


async def gather_audits(session: AsyncSession, meeting: date, today: date) -> MonthRows:
    """The audit rows the pack for `meeting` counts, as at the meeting or today if earlier
    (the same day the rest of the pack is as at)."""
    return await month_rows(session, report_month(meeting), min(today, meeting))


@dataclass(frozen=True, slots=True)
class AuditSection:
    """The audit figures the pack shows; with no audits due, only `note` is shown."""

    month: str
    note: str
    headlines: tuple[tuple[str, int | str], ...]
    domain_headings: tuple[str, ...]
    domains: tuple[tuple[str, tuple[int, ...]], ...]
    # Each month, oldest first, then the month itself; -1 is an agreement rate of "n/a".
    trend: tuple[tuple[str, int, int, int, int, int], ...]

    @property
    def has_audits(self) -> bool:
        """Whether any audits were due in the month."""
        return bool(self.headlines)


def audit_section(month: MonthRows, form: AuditForm, as_of: date) -> AuditSection:
    """The section for `month`, its figures as at `as_of`, from the audit report itself."""
    report = month_built(month, form, as_of)
    label = month_label(month.first)
    if report.summary.audits == 0:
        return AuditSection(
            month=label,
            note=f"No case audits were due in {label}, the last complete month before the "
            "meeting.",
            headlines=(),
            domain_headings=(),
            domains=(),
            trend=(),
        )
    columns = grade_columns(form)
    return AuditSection(
        month=label,
        note=f"Case audits due in {label}, the last complete month before the meeting (the "
        f"meeting's own month is still under way); figures as at {as_of:%d %B %Y}. "
        "Totals only: the audits themselves are in the audit report.",
        headlines=tuple(headline_rows(report)),
        domain_headings=(report.domains.heading, *(text for _, text in columns)),
        domains=tuple(
            (name, tuple(counts[key] for key, _ in columns))
            for name, counts in report.domains.rows
        ),
        trend=tuple(trend_rows(report)),
    )
