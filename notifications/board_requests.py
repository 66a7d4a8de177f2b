"""This module asks action owners for their Improvement Board updates, and chases once.

From INSPECTION_READY_BOARD_UPDATE_DAYS working days before each board meeting, every
owner of an open action is sent one card listing the actions that still need an update for
that meeting (a meeting imported later than that is asked for at once, or at the next
pass if it was not a working day). An owner who
has still not updated them all CHASE_DAYS working days before the meeting, having been asked
on an earlier day, is chased once. Everything goes through the outbox with a dedupe key, so
re-running a pass sends nothing twice; the daily pass runs on working days and its rows are
held until working hours.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from cards.rendering import plain_text
from knowledge.working_days import WorkingDays
from store.models import ReviewStatus
from store.repositories import board, outbox, work
from store.repositories.follow_ups import follow_up_ids

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from sqlalchemy.ext.asyncio import AsyncSession

    from notifications.quiet_hours import QuietHours
    from store.db import Database
    from store.models import Action

ASK = "board_ask"
CHASE = "board_chase"
TEMPLATE = "board_ask"
# The chase goes this many working days before the meeting (if still not updated).
CHASE_DAYS = 2
# A card lists this many actions; the rest are in "my actions" (and the card says so).
MAX_LISTED = 15


@dataclass(frozen=True, slots=True)
class Meeting:
    """A board meeting as the planner needs it."""

    id: int
    title: str
    date: date


@dataclass(frozen=True, slots=True)
class OwnedAction:
    """An open action, and whether its owner has given (and not had sent back) an update."""

    id: int
    ref: str
    summary: str
    owner_id: int
    updated: bool


@dataclass(frozen=True, slots=True)
class BoardAsk:
    """One message to queue: an ask or a chase, for one owner and one meeting."""

    dedupe_key: str
    kind: str
    owner_id: int
    meeting: Meeting
    actions: tuple[OwnedAction, ...]
    working_days: int


def ask_key(meeting: Meeting, owner_id: int) -> str:
    """The ask's dedupe key; the meeting's date is in it, so a meeting moved is asked again."""
    return f"{ASK}:{meeting.id}:{meeting.date.isoformat()}:{owner_id}"


def plan_board_asks(
    today: date,
    meetings: list[Meeting],
    actions: dict[int, list[OwnedAction]],
    asked_before_today: set[str],
    calendar: WorkingDays,
    lead_days: int,
) -> list[BoardAsk]:
    """The asks and chases due today; `actions` are each meeting's open actions (by meeting
    id), `asked_before_today` the ask keys queued on earlier days."""
    planned: list[BoardAsk] = []
    for meeting in meetings:
        if meeting.date <= today:
            continue
        ahead = calendar.between(today, meeting.date)
        if ahead > lead_days:
            continue
        waiting: dict[int, list[OwnedAction]] = defaultdict(list)
        for action in actions.get(meeting.id, []):
            if not action.updated:
                waiting[action.owner_id].append(action)
        for owner_id, mine in sorted(waiting.items()):
            key = ask_key(meeting, owner_id)
            if key not in asked_before_today:
                planned.append(BoardAsk(key, ASK, owner_id, meeting, tuple(mine), ahead))
            elif ahead <= CHASE_DAYS:
                chase = f"{CHASE}:{meeting.id}:{meeting.date.isoformat()}:{owner_id}"
                planned.append(BoardAsk(chase, CHASE, owner_id, meeting, tuple(mine), ahead))
    return planned


def render_ask(ask: BoardAsk) -> dict[str, Any]:
    """The outbox payload: the card's template and plain context, and a summary text."""
    when = f"{ask.meeting.date:%A} {ask.meeting.date.day} {ask.meeting.date:%B %Y}"
    count = len(ask.actions)
    plural = "s" if count != 1 else ""
    if ask.kind == CHASE:
        heading = f"Reminder: the Improvement Board is on {when}"
        intro = f"{count} of your action{plural} still need{'s' if count == 1 else ''} an update."
    else:
        heading = f"Your update for the Improvement Board on {when}"
        days = f"{ask.working_days} working day{'s' if ask.working_days != 1 else ''}"
        intro = (
            f"The board meets in {days}. Please give an update on "
            f"{'each of ' if count != 1 else ''}your {count} open action{plural}: a RAG "
            "rating, progress, evidence of impact."
        )
    listed = ask.actions[:MAX_LISTED]
    context = {
        "heading": heading,
        "intro": intro,
        "meeting": ask.meeting.id,
        "actions": [{"id": a.id, "ref": a.ref, "summary": a.summary} for a in listed],
        "more": count - len(listed),
    }
    return {"text": plain_text(heading), "template": TEMPLATE, "context": context}


async def queue_board_asks(
    session: AsyncSession,
    now: datetime,
    today: date,
    send_from: datetime,
    calendar: WorkingDays,
    lead_days: int,
    timezone: ZoneInfo,
    *,
    dry_run: bool = False,
    open_actions: list[Action] | None = None,
) -> list[BoardAsk]:
    """Plans today's asks and chases and (unless `dry_run`) queues them; returns the new ones.

    `open_actions` are the plan's open actions, when the caller has them already.
    """
    upcoming = [
        Meeting(m.id, m.title, m.date)
        for m in await board.meetings(session)
        if m.date > today and calendar.between(today, m.date) <= lead_days
    ]
    if not upcoming:
        return []
    if open_actions is None:  # the daily pass has them loaded already
        open_actions = await work.open_actions(session, None)
    # Audit follow-ups are about a child's case and never go to the board: nobody is
    # asked for an update on one.
    follow_ups = await follow_up_ids(session)
    open_actions = [a for a in open_actions if a.id not in follow_ups]
    by_meeting: dict[int, list[OwnedAction]] = {}
    for meeting in upcoming:
        updates = await board.updates_for(session, meeting.id)
        by_meeting[meeting.id] = [
            OwnedAction(
                a.id,
                a.ref,
                a.description,
                a.owner_id,
                a.id in updates and updates[a.id].review_status is not ReviewStatus.SENT_BACK,
            )
            for a in open_actions
        ]
    keys = [ask_key(m, a.owner_id) for m in upcoming for a in by_meeting[m.id]]
    asked = await board.asked_on(session, sorted(set(keys)))
    before_today = {k for k, at in asked.items() if at.astimezone(timezone).date() < today}
    planned = plan_board_asks(today, upcoming, by_meeting, before_today, calendar, lead_days)
    existing = await outbox.existing_keys(session, [p.dedupe_key for p in planned])
    new = [p for p in planned if p.dedupe_key not in existing]
    if not dry_run:
        rows = [
            outbox.new_row(
                p.dedupe_key, p.owner_id, p.kind, render_ask(p), send_from, urgent=False
            )
            for p in new
        ]
        # The pass's own clock: whether an ask went on an earlier day is read from it.
        for row in rows:
            row["created_at"] = now
        await outbox.queue(session, rows)
    return new


async def ask_now(
    database: Database,
    now: datetime,
    calendar: WorkingDays,
    quiet_hours: QuietHours,
    lead_days: int,
) -> list[BoardAsk]:
    """Queues at once the asks for meetings already inside the window (after an events
    import), on a working day; the daily pass then finds them queued. Returns the new ones."""
    today = now.astimezone(quiet_hours.timezone).date()
    if not calendar.is_working_day(today):
        return []
    async with database.sessions() as session, session.begin():
        return await queue_board_asks(
            session,
            now,
            today,
            quiet_hours.next_allowed(now),
            calendar,
            lead_days,
            quiet_hours.timezone,
        )
