"""This module draws a month's audits from the database: plans a draw, then commits it.

Planning reads the open cases, the recent audits and the line-management tree and runs
the pure sampling and allocation (audit_sampling, audit_allocation); it writes nothing, so
a preview is exactly what a confirm with the same seed will store. Committing stores the
draw, its assignments and their messages in the caller's transaction.

A month is drawn once. A second draw of the same month is refused and shows the first;
topping a month up is not offered, because a second sample drawn around the first would
no longer be a proportional sample (add single audits in the audits file instead).
"""

from __future__ import annotations

import calendar as month_calendar
import hashlib
import json
import random
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from notifications.audit_allocation import (
    SENIOR_TIER,
    Allocation,
    CaseToAllocate,
    Person,
    allocate,
    auditors_from_roster,
    manager_tiers,
    may_audit,
)
from notifications.audit_draw_messages import messages_for
from notifications.audit_sampling import CaseCandidate, Sample, draw_sample
from notifications.errors import NotificationError
from store.importers.upsert import ChangeLog
from store.models import AuditDraw, AuditStatus, AuditType, CaseCategory, ChangeSource, Staff
from store.repositories import draws, outbox

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from knowledge.working_days import WorkingDays

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# Seeds are recorded and typed back in: a number anyone can copy, not a 64-bit giant.
MAX_SEED = 999_999_999
MAX_SIZE = 1000
MONTHS_AHEAD = 12


class DrawError(NotificationError):
    """A draw cannot be made as asked; the message says why."""


class AlreadyDrawnError(DrawError):
    """The month has been drawn already; `draw` is the draw that was made."""

    def __init__(self, draw: AuditDraw) -> None:
        super().__init__(
            f"{month_name(draw.month)} is already drawn ({draw.drawn_count} cases, seed "
            f"{draw.seed}, by {draw.drawn_by} on {draw.drawn_at:%d %B %Y}); a month is drawn "
            "once"
        )
        self.draw = draw


@dataclass(frozen=True, slots=True)
class DrawRequest:
    """What a coordinator asked for."""

    month: str
    size: int
    enhanced_percent: int
    seed: int


@dataclass(frozen=True, slots=True)
class DrawRules:
    """The settings a draw follows."""

    repeat_months: int = 6
    per_auditor: int = 3


@dataclass(frozen=True, slots=True)
class DrawPlan:
    """A draw worked out but not stored: what a preview shows and a confirm stores."""

    request: DrawRequest
    rules: DrawRules
    due_date: date
    open_cases: int
    sample: Sample
    allocation: Allocation
    tiers: dict[int, int]
    people: dict[int, Staff]
    teams: dict[int, str]
    # The first draw of this month, when there is one: nothing more will be drawn.
    existing: AuditDraw | None

    @property
    def nothing_to_store(self) -> str | None:
        """Why this draw would store no audit (and so must not use up the month), if so."""
        if not self.sample.cases:
            return (
                "there are no open cases to draw from (or every one was audited recently); "
                "import the cases file first"
            )
        if not self.allocation.assignments:
            return "no drawn case could be allocated within the rules, so nothing is stored"
        return None

    @property
    def fingerprint(self) -> str:
        """A short digest of the outcome, so a confirm can tell that nothing has moved."""
        outcome = [
            [c.case_ref, c.enhanced, a.staff_id] for c, a in self.allocation.assignments
        ] + [[c.case_ref, r.value] for c, r in self.allocation.unallocated]
        text = json.dumps([self.request.month, self.request.seed, outcome])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def parse_month(text: str) -> str:
    """A month written YYYY-MM, checked.

    Raises:
        DrawError: it is not one.
    """
    found = MONTH.match(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise DrawError(f"the month must be written YYYY-MM, such as 2026-12, not {text!r}")
    return text.strip()


def parse_percent(text: str) -> int:
    """A whole percentage written `10%` or `10`.

    Raises:
        DrawError: it is not one from 0 to 100.
    """
    number = text.strip().removesuffix("%").strip()
    if not number.isdigit() or int(number) > 100:
        raise DrawError(f"the enhanced share must be a percentage from 0 to 100, not {text!r}")
    return int(number)


def check_month(month: str, today: date) -> str:
    """A month that may be drawn: this month or one of the next MONTHS_AHEAD.

    Raises:
        DrawError: the month is over (its audits would be overdue on arrival) or too far
            ahead (almost certainly a typing mistake).
    """
    first, this = first_day(month), today.replace(day=1)
    ahead = (first.year - this.year) * 12 + first.month - this.month
    if ahead < 0:
        raise DrawError(
            f"{month_name(month)} is over; draw this month ({this:%B %Y}) or a later one"
        )
    if ahead > MONTHS_AHEAD:
        raise DrawError(
            f"{month_name(month)} is more than {MONTHS_AHEAD} months ahead; draw a nearer month"
        )
    return month


def check_size(size: int) -> int:
    """The sample size, checked (1 to MAX_SIZE)."""
    if not 1 <= size <= MAX_SIZE:
        raise DrawError(f"the number of cases to draw must be from 1 to {MAX_SIZE}, not {size}")
    return size


def new_seed() -> int:
    """A seed for a draw that was given none (recorded, so the draw can be repeated)."""
    return random.SystemRandom().randint(1, MAX_SEED)


def month_name(month: str) -> str:
    """ "2026-12" as "December 2026"."""
    first = first_day(month)
    return f"{first:%B %Y}"


def first_day(month: str) -> date:
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1)


def due_date_for(month: str, calendar: WorkingDays) -> date:
    """The last working day of the month: audits are the month's work."""
    first = first_day(month)
    day = _month_end(first)
    while not calendar.is_working_day(day):
        day = date.fromordinal(day.toordinal() - 1)
    return day


def window_start(month: str, repeat_months: int) -> date:
    """The first day from which an audit keeps a case out of the month's draw."""
    first = first_day(month)
    index = first.year * 12 + first.month - 1 - repeat_months
    return date(index // 12, index % 12 + 1, 1)


async def plan_draw(
    session: AsyncSession, request: DrawRequest, rules: DrawRules, calendar: WorkingDays
) -> DrawPlan:
    """Works out the draw, writing nothing."""
    existing = await draws.draw_for_month(session, request.month)
    due = due_date_for(request.month, calendar)
    cases = [CaseCandidate(*row) for row in await draws.open_cases(session)]
    recent = await draws.audited_since(session, window_start(request.month, rules.repeat_months))
    roster = [Person(*row) for row in await draws.line_management(session)]
    month_start = first_day(request.month)
    loads = await draws.audits_due_between(session, month_start, _month_end(month_start))
    auditors = auditors_from_roster(roster, loads)
    seniors = [a for a in auditors if a.tier >= SENIOR_TIER]

    def may_be_enhanced(case: CaseCandidate) -> bool:
        candidate = CaseToAllocate(case.case_ref, case.team_id, case.worker_id, enhanced=True)
        return any(may_audit(a, candidate) for a in seniors)

    sample = draw_sample(
        cases,
        size=request.size,
        enhanced_percent=request.enhanced_percent,
        seed=request.seed,
        recently_audited=recent,
        category_order=[category.value for category in CaseCategory],
        may_be_enhanced=may_be_enhanced,
    )
    to_allocate = [
        CaseToAllocate(d.case.case_ref, d.case.team_id, d.case.worker_id, d.enhanced)
        for d in sample.cases
    ]
    allocation = allocate(to_allocate, auditors, cap=rules.per_auditor, seed=request.seed)
    named = {a.staff_id for _, a in allocation.assignments}
    named |= {c.worker_id for c in to_allocate if c.enhanced and c.worker_id is not None}
    people = await draws.people_by_id(session, named)
    managers = {p.manager_id for p in people.values() if p.manager_id is not None}
    people |= await draws.people_by_id(session, managers - set(people))
    return DrawPlan(
        request=request,
        rules=rules,
        due_date=due,
        open_cases=len(cases),
        sample=sample,
        allocation=allocation,
        tiers=manager_tiers(roster),
        people=people,
        teams=await draws.team_names(session),
        existing=existing,
    )


def _month_end(first: date) -> date:
    return first.replace(day=month_calendar.monthrange(first.year, first.month)[1])


async def commit_draw(
    session: AsyncSession,
    plan: DrawPlan,
    *,
    drawn_by: str,
    drawn_by_id: int | None,
    now: datetime,
    send_from: datetime,
) -> AuditDraw:
    """Stores the planned draw, its assignments, their messages and the audit-log entries.

    Raises:
        AlreadyDrawnError: the month was drawn already (perhaps a moment ago, by someone
            else); nothing is stored.
        DrawError: the draw would store no audit (no case to draw, or none allocated),
            which would only use the month up.
    """
    if plan.existing is not None:
        raise AlreadyDrawnError(plan.existing)
    problem = plan.nothing_to_store
    if problem is not None:
        raise DrawError(problem)
    request = plan.request
    prefix = f"AUD-{request.month}-"
    taken = await draws.refs_starting(session, prefix)
    refs = (f"{prefix}{n:03d}" for n in range(1, 10_000) if f"{prefix}{n:03d}" not in taken)
    rows: list[dict[str, Any]] = [
        {
            "ref": next(refs),
            "case_ref": case.case_ref,
            "audit_type": AuditType.ENHANCED if case.enhanced else AuditType.MONTHLY,
            "auditor_id": auditor.staff_id,
            "due_date": plan.due_date,
            "status": AuditStatus.ASSIGNED,
            "completed_at": None,
        }
        for case, auditor in plan.allocation.assignments
    ]
    draw = AuditDraw(
        month=request.month,
        size=request.size,
        enhanced_pct=request.enhanced_percent,
        seed=request.seed,
        due_date=plan.due_date,
        drawn_by=drawn_by,
        drawn_by_id=drawn_by_id,
        drawn_at=now,
        parameters=_explanation(plan),
        drawn_count=len(plan.sample.cases),
        allocated_count=len(rows),
    )
    try:
        async with session.begin_nested():
            ids = await draws.save_draw(session, draw, rows)
    except IntegrityError:
        # Someone else confirmed the same month between this plan and now.
        existing = await draws.draw_for_month(session, request.month)
        if existing is None:
            raise
        raise AlreadyDrawnError(existing) from None
    log = ChangeLog(ChangeSource.BOT, actor=drawn_by, at=now)
    log.created("audit_draw", request.month)
    for row in rows:
        log.created("audit", row["ref"])
    await log.write(session)
    messages = messages_for(plan, rows, ids)
    await outbox.queue(
        session,
        [
            outbox.new_row(m.dedupe_key, m.staff_id, m.kind, m.payload, send_from, urgent=False)
            for m in messages
        ],
    )
    return draw


def _explanation(plan: DrawPlan) -> dict[str, object]:
    """What the draw followed and found, kept with it so it can be explained later."""
    return {
        "repeat_months": plan.rules.repeat_months,
        "per_auditor": plan.rules.per_auditor,
        "open_cases": plan.open_cases,
        "excluded_recently_audited": plan.sample.excluded_recently_audited,
        "shortfall": plan.sample.shortfall,
        "strata": [
            {
                "category": s.category,
                "team": plan.teams.get(s.team_id) if s.team_id is not None else None,
                "eligible": s.eligible,
                "drawn": s.drawn,
            }
            for s in plan.sample.strata
        ],
        "unallocated": [
            {"case_ref": c.case_ref, "enhanced": c.enhanced, "reason": r.value}
            for c, r in plan.allocation.unallocated
        ],
    }
