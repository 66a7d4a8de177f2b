"""This module contains the `audits draw` command: draws and allocates a month's audits."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING

from knowledge.working_days import WorkingDays
from notifications.audit_draw import (
    AlreadyDrawnError,
    DrawError,
    DrawPlan,
    DrawRequest,
    DrawRules,
    check_month,
    check_size,
    commit_draw,
    month_name,
    new_seed,
    parse_month,
    parse_percent,
    plan_draw,
    window_start,
)
from notifications.quiet_hours import QuietHours
from store.db import Database
from store.importers.problems import escape_unprintable
from store.migrate import upgrade_database
from store.models import AuditDraw, utc_now
from store.repositories import draws

if TYPE_CHECKING:
    from bot.settings import Settings

ACTOR = "inspection-ready audits draw (command line)"


def add_draw_parser(audit_commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds `audits draw` to the `inspection-ready audits` group."""
    command = audit_commands.add_parser(
        "draw",
        help="draw and allocate a month's case audits",
        description="Draws a random sample of open cases, stratified by category and team, "
        "leaving out cases audited in the last INSPECTION_READY_AUDIT_REPEAT_MONTHS months, "
        "and allocates each to a manager who may audit it (never their own case or a team "
        "they manage; at most INSPECTION_READY_AUDITS_PER_AUDITOR a month; enhanced audits "
        "to heads of service and above). A month is drawn once; the seed is printed and "
        "recorded, so the same draw can be worked out again.",
    )
    command.add_argument("--month", required=True, help="the month, YYYY-MM")
    command.add_argument("--size", required=True, type=int, help="how many cases to draw")
    command.add_argument(
        "--enhanced", required=True, help="the share given an enhanced audit: 10%% or 10"
    )
    command.add_argument("--seed", type=int, help="repeat a draw: the seed it printed")
    command.add_argument(
        "--dry-run", action="store_true", help="show the draw and the allocation; store nothing"
    )


async def run_draw(settings: Settings, args: argparse.Namespace) -> int:
    """Plans (and unless a dry run, stores) the draw; prints it; returns the exit code."""
    try:
        today = datetime.now(settings.timezone).date()
        month = check_month(parse_month(args.month), today)
        request = DrawRequest(
            month=month,
            size=check_size(args.size),
            enhanced_percent=parse_percent(args.enhanced),
            seed=args.seed if args.seed is not None else new_seed(),
        )
    except DrawError as exc:
        sys.stderr.write(f"inspection-ready: audits draw: {exc}\n")
        return 2
    if request.seed < 0:
        sys.stderr.write("inspection-ready: audits draw: the seed must not be negative\n")
        return 2
    rules = DrawRules(settings.audit_repeat_months, settings.audits_per_auditor)
    calendar = WorkingDays()
    database = Database(settings.database_url)
    try:
        await upgrade_database(database)
        async with database.sessions() as session, session.begin():
            plan = await plan_draw(session, request, rules, calendar)
            if plan.existing is not None:
                made = await draws.assignments_of(session, plan.existing.id)
                sys.stdout.write(describe_existing(plan.existing, [a.ref for a in made]))
                return 1
            sys.stdout.write(describe_plan(plan, seed_given=args.seed is not None))
            if args.dry_run:
                sys.stdout.write("Dry run: nothing was stored and nobody was told.\n")
                await session.rollback()
                return 0
            if plan.nothing_to_store is not None:
                sys.stderr.write(f"inspection-ready: audits draw: {plan.nothing_to_store}\n")
                return 1
            now = utc_now()
            send_from = QuietHours(settings.timezone, settings.working_hours, calendar)
            draw = await commit_draw(
                session,
                plan,
                drawn_by=ACTOR,
                drawn_by_id=None,
                now=now,
                send_from=send_from.next_allowed(now),
            )
    except AlreadyDrawnError as exc:
        sys.stderr.write(f"inspection-ready: audits draw: {exc}\n")
        return 1
    finally:
        await database.dispose()
    sys.stdout.write(
        f"Stored: {draw.allocated_count} audits assigned for {month_name(month)}; each "
        "auditor is told in Teams in working hours.\n"
    )
    return 0


def describe_plan(plan: DrawPlan, *, seed_given: bool) -> str:
    """The draw as a person reads it: the strata, then who audits what."""
    request, sample = plan.request, plan.sample
    lines = [f"Audit draw for {month_name(request.month)}, seed {request.seed}"]
    if not seed_given:
        lines[0] += f" (chosen at random: --seed {request.seed} repeats this draw)"
    since = window_start(request.month, plan.rules.repeat_months)
    enhanced = sum(1 for d in sample.cases if d.enhanced)
    lines += [
        f"Open cases: {plan.open_cases}; left out as audited since {since:%d %B %Y}: "
        f"{sample.excluded_recently_audited}.",
        f"Drawn: {len(sample.cases)} of {request.size} asked ({enhanced} enhanced, "
        f"{request.enhanced_percent}%); due {plan.due_date:%A %d %B %Y}.",
    ]
    if sample.shortfall:
        lines.append(f"Only {len(sample.cases)} cases could be drawn: every eligible case.")
    lines.append("By category (drawn of eligible), then team:")
    by_category: dict[str, list[tuple[str, int, int]]] = {}
    for stratum in sample.strata:
        team = plan.teams.get(stratum.team_id, "no team") if stratum.team_id else "no team"
        by_category.setdefault(stratum.category, []).append(
            (team, stratum.drawn, stratum.eligible)
        )
    for category, teams in by_category.items():
        drawn, eligible = sum(t[1] for t in teams), sum(t[2] for t in teams)
        lines.append(f"  {category}: {drawn} of {eligible}")
        lines += [f"    {team}: {d} of {e}" for team, d, e in teams if d]
    allocation = plan.allocation
    tiers = Counter(plan.tiers[a.staff_id] for _, a in allocation.assignments)
    auditors = {a.staff_id for _, a in allocation.assignments}
    tier_text = ", ".join(f"tier {t}: {n}" for t, n in sorted(tiers.items())) or "none"
    lines.append(
        f"Allocated: {len(allocation.assignments)} to {len(auditors)} auditors ({tier_text}); "
        f"at most {plan.rules.per_auditor} each this month."
    )
    for case, auditor in allocation.assignments:
        person = plan.people[auditor.staff_id]
        kind = "enhanced" if case.enhanced else "monthly"
        lines.append(f"  {case.case_ref}  {kind:<8}  {person.email} (tier {auditor.tier})")
    if allocation.unallocated:
        lines.append(
            f"Not allocated: {len(allocation.unallocated)} (no rule is broken to fill a place)"
        )
        lines += [f"  {case.case_ref}  {reason.value}" for case, reason in allocation.unallocated]
    return "".join(escape_unprintable(line) + "\n" for line in lines)


def describe_existing(draw: AuditDraw, refs: list[str]) -> str:
    """A month already drawn: when, by whom, with what, and the audits it made."""
    lines = [
        f"{month_name(draw.month)} is already drawn: a month is drawn once.",
        f"Drawn {draw.drawn_at:%d %B %Y %H:%M} UTC by {draw.drawn_by}: {draw.drawn_count} "
        f"of {draw.size} cases asked, enhanced {draw.enhanced_pct}%, seed {draw.seed}; "
        f"{draw.allocated_count} allocated, due {draw.due_date:%d %B %Y}.",
        "Its audits: " + (", ".join(refs) if refs else "none"),
    ]
    return "".join(escape_unprintable(line) + "\n" for line in lines)
