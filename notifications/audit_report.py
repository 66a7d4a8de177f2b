"""This module builds the audit report from plain rows: completion, grades, moderation,
follow-ups and the month against the months before, and writes it as text.

A month's audits are those due in it. Grades are the moderator's where they changed them.
The agreement rate is the share of decided moderations where the moderator agreed.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from notifications.audit_form import NOT_APPLICABLE, AuditForm
from notifications.errors import NotificationError
from store.repositories import audit_report
from store.repositories.audit_report import AuditRow

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

NOT_ON_CASES_LIST = "not on the cases list"
# The month is compared with this many months before it.
TREND_MONTHS = 3
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class ReportMonthError(NotificationError):
    """The month asked for is not a month (YYYY-MM)."""


def parse_month(text: str) -> date:
    """The first day of the month written YYYY-MM.

    Raises:
        ReportMonthError: it is not a month in that form.
    """
    found = _MONTH.match(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise ReportMonthError(f"the month must be written YYYY-MM, e.g. 2026-11, got {text!r}")
    return date(int(found.group(1)), int(found.group(2)), 1)


def month_label(first: date) -> str:
    """ "November 2026"."""
    return f"{first:%B %Y}"


def _months_before(first: date, count: int) -> list[date]:
    months = []
    year, month = first.year, first.month
    for _ in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        months.append(date(year, month, 1))
    return list(reversed(months))


def _last_day(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


@dataclass(frozen=True, slots=True)
class MonthRows:
    """The audits due in one month and in each of the months before it, oldest first."""

    first: date
    rows: list[AuditRow]
    previous: list[tuple[str, list[AuditRow]]]


async def month_rows(session: AsyncSession, first: date, today: date) -> MonthRows:
    """What a month's report counts, read from the database; built by `month_built`."""
    rows = await audit_report.audits_due(session, first, _last_day(first), today)
    previous = [
        (month_label(m), await audit_report.audits_due(session, m, _last_day(m), today))
        for m in _months_before(first, TREND_MONTHS)
    ]
    return MonthRows(first, rows, previous)


def month_built(month: MonthRows, form: AuditForm, today: date) -> AuditReport:
    """The month's report, with the trend, from rows already read."""
    title = f"Case audits due in {month_label(month.first)}"
    return build_report(title, month_label(month.first), month.rows, form, today, month.previous)


async def month_report(
    session: AsyncSession, form: AuditForm, first: date, today: date
) -> AuditReport:
    """The report on the audits due in the month starting `first`, with the trend."""
    return month_built(await month_rows(session, first, today), form, today)


async def call_report(
    session: AsyncSession, form: AuditForm, call_id: int, called: date, today: date
) -> AuditReport:
    """The report on the audits the inspectors asked for during one call."""
    rows = await audit_report.audits_of_call(session, call_id, today)
    title = f"Audits the inspectors asked for (inspection call of {called:%d %B %Y})"
    return build_report(title, "This inspection", rows, form, today)


@dataclass(frozen=True, slots=True)
class PeriodSummary:
    """The headline numbers for one month (or one inspection call)."""

    label: str
    audits: int
    completed: int
    overdue: int
    good_or_better: int
    moderated: int
    agreed: int
    # Completed with findings recorded: an audit imported as complete has no grades, and
    # is not counted as anything but complete.
    graded: int = 0

    @property
    def completion_pct(self) -> int | None:
        """Completed audits as a whole percentage of all, or None with none."""
        return _pct(self.completed, self.audits)

    @property
    def good_pct(self) -> int | None:
        """Graded audits good or better overall, as a percentage."""
        return _pct(self.good_or_better, self.graded)

    @property
    def agreement_pct(self) -> int | None:
        """Decided moderations the moderator agreed with, as a percentage."""
        return _pct(self.agreed, self.moderated)


@dataclass(frozen=True, slots=True)
class GradeTable:
    """Counts of each grade for rows of something (a domain, a team, a category)."""

    heading: str
    rows: list[tuple[str, Counter[str]]]


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Everything a report shows."""

    title: str
    today: date
    summary: PeriodSummary
    domains: GradeTable
    teams: GradeTable
    categories: GradeTable
    moderation_pending: int
    moderation_changed: int
    follow_ups: int
    follow_ups_open: int
    follow_ups_overdue: int
    child_voice: int
    equality_diversity: int
    trend: list[PeriodSummary] = field(default_factory=list)
    audits: list[AuditRow] = field(default_factory=list)


def summarise(label: str, rows: Iterable[AuditRow], form: AuditForm, today: date) -> PeriodSummary:
    """The headline numbers for a set of audits."""
    rows = list(rows)
    done = [r for r in rows if r.complete]
    decided = [r for r in rows if r.moderation in ("agreed", "changed")]
    return PeriodSummary(
        label=label,
        audits=len(rows),
        completed=len(done),
        overdue=sum(1 for r in rows if not r.complete and r.due_date < today),
        good_or_better=sum(1 for r in done if form.good_or_better(r.overall)),
        moderated=len(decided),
        agreed=sum(1 for r in decided if r.moderation == "agreed"),
        graded=sum(1 for r in done if r.overall is not None),
    )


def build_report(
    title: str,
    label: str,
    rows: list[AuditRow],
    form: AuditForm,
    today: date,
    previous: list[tuple[str, list[AuditRow]]] | None = None,
) -> AuditReport:
    """The report on `rows`; `previous` are earlier months, oldest first, for the trend."""
    done = [r for r in rows if r.complete and r.overall is not None]
    domains = [
        (d.title, Counter((r.grades or {}).get(d.key, NOT_APPLICABLE) for r in done))
        for d in form.domains
    ]
    domains.append(("Overall", Counter(str(r.overall) for r in done)))
    summary = summarise(label, rows, form, today)
    trend = [summarise(m, month_rows, form, today) for m, month_rows in previous or []]
    return AuditReport(
        title=title,
        today=today,
        summary=summary,
        domains=GradeTable("Domain", domains),
        teams=GradeTable("Team", _by(done, lambda r: r.team)),
        categories=GradeTable("Category", _by(done, lambda r: r.category)),
        moderation_pending=sum(1 for r in rows if r.moderation == "pending"),
        moderation_changed=sum(1 for r in rows if r.moderation == "changed"),
        follow_ups=sum(r.follow_ups for r in rows),
        follow_ups_open=sum(r.follow_ups_open for r in rows),
        follow_ups_overdue=sum(r.follow_ups_overdue for r in rows),
        child_voice=sum(1 for r in done if r.child_voice),
        equality_diversity=sum(1 for r in done if r.equality_diversity),
        trend=[*trend, summary],
        audits=rows,
    )


def grade_columns(form: AuditForm) -> list[tuple[str, str]]:
    """The grade columns of every table: the four grades, then "Not applicable"."""
    return [*form.grades, (NOT_APPLICABLE, "Not applicable")]


def report_text(report: AuditReport, form: AuditForm) -> str:
    """The report as plain text, for the terminal."""
    s = report.summary
    lines = [
        report.title,
        "",
        f"Audits: {s.audits}; completed {s.completed} ({_show(s.completion_pct)}); "
        f"overdue {s.overdue}.",
        f"Good or better overall: {s.good_or_better} of {s.graded} graded ({_show(s.good_pct)}).",
        f"Child's voice considered: {report.child_voice} of {s.graded}; equality and "
        f"diversity considered: {report.equality_diversity} of {s.graded}.",
        f"Moderation: {s.moderated} decided, {s.agreed} agreed, {report.moderation_changed} "
        f"changed, {report.moderation_pending} waiting; agreement rate "
        f"{_show(s.agreement_pct)}.",
        f"Follow-up actions: {report.follow_ups} created, {report.follow_ups_open} open, "
        f"{report.follow_ups_overdue} overdue.",
    ]
    columns = grade_columns(form)
    for table in (report.domains, report.teams, report.categories):
        lines += ["", f"Grades by {table.heading.lower()}:"]
        if not table.rows:
            lines.append("  (no completed audits)")
        for name, counts in table.rows:
            shown = ", ".join(f"{label} {counts[key]}" for key, label in columns if counts[key])
            lines.append(f"  {name}: {shown or 'none'}")
    if len(report.trend) > 1:
        lines += ["", "Against the previous months:"]
        for period in report.trend:
            lines.append(
                f"  {period.label}: {period.audits} audits, {_show(period.completion_pct)} "
                f"completed, {_show(period.good_pct)} good or better, agreement "
                f"{_show(period.agreement_pct)}"
            )
    return "\n".join(lines) + "\n"


def _by(
    rows: list[AuditRow], key: Callable[[AuditRow], str | None]
) -> list[tuple[str, Counter[str]]]:
    groups: dict[str, Counter[str]] = {}
    for row in rows:
        name = key(row) or NOT_ON_CASES_LIST
        groups.setdefault(name, Counter())[str(row.overall)] += 1
    return sorted(groups.items())


def _pct(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _show(pct: int | None) -> str:
    return "n/a" if pct is None else f"{pct}%"
