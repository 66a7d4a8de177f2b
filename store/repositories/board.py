"""This module reads and writes the Improvement Board's updates, reviews and pack links."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload

from store.errors import UnknownMeetingError
from store.models import (
    Action,
    CalendarEvent,
    EventKind,
    ExtensionRequest,
    ExtensionStatus,
    OutboxMessage,
    PriorityArea,
    Recommendation,
    Staff,
)
from store.models.board import BoardPackLink, BoardUpdate
from store.repositories.board_pack_data import (
    PackAction,
    PackData,
    PackExtension,
    PackGroup,
    PackUpdate,
)
from store.repositories.follow_ups import not_follow_up


async def meetings(session: AsyncSession) -> list[CalendarEvent]:
    """Every Improvement Board meeting on the calendar, earliest first."""
    result = await session.execute(
        select(CalendarEvent)
        .where(CalendarEvent.kind == EventKind.IMPROVEMENT_BOARD)
        .order_by(CalendarEvent.date, CalendarEvent.id)
    )
    return list(result.scalars())


async def next_meeting(session: AsyncSession, today: date) -> CalendarEvent | None:
    """The first board meeting on or after `today`."""
    result = await session.execute(
        select(CalendarEvent)
        .where(CalendarEvent.kind == EventKind.IMPROVEMENT_BOARD, CalendarEvent.date >= today)
        .order_by(CalendarEvent.date, CalendarEvent.id)
        .limit(1)
    )
    return result.scalars().first()


async def meeting_on(session: AsyncSession, day: date) -> CalendarEvent:
    """The board meeting on `day`.

    Raises:
        UnknownMeetingError: there is none that day; the message lists the meetings there are.
    """
    known = await meetings(session)
    for meeting in known:
        if meeting.date == day:
            return meeting
    raise UnknownMeetingError(day.isoformat(), sorted({m.date.isoformat() for m in known}))


async def area_leads(session: AsyncSession) -> dict[str, int]:
    """Each priority area's lead, by the area's name casefolded."""
    rows = await session.execute(select(PriorityArea.name, PriorityArea.lead_id))
    return {name.casefold(): lead_id for name, lead_id in rows}


async def areas_led_by(session: AsyncSession, staff_id: int) -> list[str]:
    """The names of the priority areas `staff_id` leads, in order."""
    rows = await session.execute(
        select(PriorityArea.name)
        .where(PriorityArea.lead_id == staff_id)
        .order_by(PriorityArea.name)
    )
    return list(rows.scalars())


async def updates_for(session: AsyncSession, meeting_id: int) -> dict[int, BoardUpdate]:
    """The updates given for one meeting, by action id."""
    result = await session.execute(select(BoardUpdate).where(BoardUpdate.meeting_id == meeting_id))
    return {u.action_id: u for u in result.scalars()}


async def update_for(session: AsyncSession, action_id: int, meeting_id: int) -> BoardUpdate | None:
    """The update for one action and meeting, if one was given."""
    result = await session.execute(
        select(BoardUpdate).where(
            BoardUpdate.action_id == action_id, BoardUpdate.meeting_id == meeting_id
        )
    )
    return result.scalars().first()


async def add_update(session: AsyncSession, board_update: BoardUpdate) -> bool:
    """Adds a first update for its action and meeting; False if one was added meanwhile
    (the pair is unique), and then nothing is added."""
    try:
        async with session.begin_nested():
            session.add(board_update)
    except IntegrityError:
        return False
    return True


async def update_by_id(session: AsyncSession, update_id: int) -> BoardUpdate | None:
    """An update with its action (and the action's owner), author and meeting loaded."""
    result = await session.execute(
        select(BoardUpdate)
        .options(
            joinedload(BoardUpdate.action).joinedload(Action.owner),
            joinedload(BoardUpdate.author),
            joinedload(BoardUpdate.meeting),
        )
        .where(BoardUpdate.id == update_id)
    )
    return result.scalars().first()


async def pack_data(session: AsyncSession, meeting_day: date) -> PackData:
    """Everything the pack for the meeting on `meeting_day` shows, as plain data.

    Raises:
        UnknownMeetingError: `meeting_day` is not a board meeting.
    """
    meeting = await meeting_on(session, meeting_day)
    dates = sorted({m.date for m in await meetings(session)})
    owner = aliased(Staff)
    actions = await session.execute(
        select(
            Action.ref,
            Action.description,
            Action.priority_area,
            Recommendation.ref,
            owner.name,
            Action.status,
            Action.due_date,
            Action.completed_at,
        )
        .join(owner, owner.id == Action.owner_id)
        .outerjoin(Recommendation, Recommendation.id == Action.recommendation_id)
        # Audit follow-ups are about a child's case: the board's pack leaves them out.
        .where(not_follow_up(Action.id))
    )
    reviewer = aliased(Staff)
    updates = await session.execute(
        select(BoardUpdate, Action.ref, CalendarEvent.date, reviewer.name)
        .join(Action, Action.id == BoardUpdate.action_id)
        .join(CalendarEvent, CalendarEvent.id == BoardUpdate.meeting_id)
        .outerjoin(reviewer, reviewer.id == BoardUpdate.reviewed_by_id)
        .where(CalendarEvent.date <= meeting_day, not_follow_up(Action.id))
    )
    decider = aliased(Staff)
    extensions = await session.execute(
        select(ExtensionRequest, Action.ref, decider.name)
        .join(Action, Action.id == ExtensionRequest.action_id)
        .outerjoin(decider, decider.id == ExtensionRequest.decided_by_id)
        .where(ExtensionRequest.status == ExtensionStatus.APPROVED, not_follow_up(Action.id))
    )
    area_lead = aliased(Staff)
    areas = await session.execute(
        select(PriorityArea.name, area_lead.name)
        .join(area_lead, area_lead.id == PriorityArea.lead_id)
        .order_by(PriorityArea.name)
    )
    recommendation_lead = aliased(Staff)
    recommendations = await session.execute(
        select(Recommendation.ref, Recommendation.text, recommendation_lead.name)
        .outerjoin(recommendation_lead, recommendation_lead.id == Recommendation.lead_id)
        .order_by(Recommendation.ref)
    )
    return PackData(
        meeting=meeting_day,
        meeting_title=meeting.title,
        meetings=tuple(dates),
        actions=tuple(
            PackAction(ref, text, area, rec, name, status.value, due, _day(done))
            for ref, text, area, rec, name, status, due, done in actions
        ),
        updates=tuple(
            PackUpdate(
                ref,
                day,
                u.rag.value,
                u.note,
                u.evidence_text,
                u.evidence_link,
                u.impact.value,
                u.submitted_at,
                u.review_status.value,
                reviewed_by,
            )
            for u, ref, day, reviewed_by in updates
        ),
        extensions=tuple(
            PackExtension(
                ref,
                e.current_due_date,
                e.requested_due_date,
                name or "someone no longer on the roster",
                _day(e.decided_at) or e.created_at.date(),
                e.reason,
            )
            for e, ref, name in extensions
        ),
        areas=tuple(PackGroup(name, name, lead) for name, lead in areas),
        recommendations=tuple(PackGroup(ref, text, lead) for ref, text, lead in recommendations),
    )


def _day(moment: datetime | None) -> date | None:
    # Completion and decision times are UTC; the pack counts them by the London day. The
    # difference matters only just after midnight in summer, and the board meets by day.
    return moment.date() if moment is not None else None


async def save_pack_link(
    session: AsyncSession,
    token_hash: str,
    meeting_day: date,
    file_format: str,
    staff_id: int,
    created_at: datetime,
    expires_at: datetime,
) -> None:
    """Keeps a board-pack download link's token (hashed) until it expires."""
    await session.execute(delete(BoardPackLink).where(BoardPackLink.expires_at <= created_at))
    session.add(
        BoardPackLink(
            token_hash=token_hash,
            meeting_date=meeting_day,
            file_format=file_format,
            staff_id=staff_id,
            created_at=created_at,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def claim_pack_link(
    session: AsyncSession, token_hash: str, now: datetime, address: str
) -> BoardPackLink | None:
    """Uses up a board-pack link, once, while it has not expired (as calls.claim_export)."""
    claimed = await session.execute(
        update(BoardPackLink)
        .where(
            BoardPackLink.token_hash == token_hash,
            BoardPackLink.used_at.is_(None),
            BoardPackLink.expires_at > now,
        )
        .values(used_at=now, used_from=address[:200])
    )
    if int(getattr(claimed, "rowcount", 0)) != 1:
        return None
    return await session.get(BoardPackLink, token_hash, populate_existing=True)


async def asked_on(session: AsyncSession, keys: list[str]) -> dict[str, datetime]:
    """When each of the outbox rows with these dedupe keys was queued."""
    found: dict[str, datetime] = {}
    for start in range(0, len(keys), 500):
        rows = await session.execute(
            select(OutboxMessage.dedupe_key, OutboxMessage.created_at).where(
                OutboxMessage.dedupe_key.in_(keys[start : start + 500])
            )
        )
        found.update({key: at for key, at in rows})
    return found
