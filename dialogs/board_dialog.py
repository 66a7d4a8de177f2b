"""This module is the Improvement Board conversation: owners' updates, leads' reviews, who
has not updated yet, and the board pack's download links."""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from cards.rendering import plain_text, render_card
from dialogs.ask_dialog import CardActionError
from dialogs.call_dialog import hash_token
from dialogs.card_data import parse_id
from dialogs.people import Person
from dialogs.replies import Reply
from store.models import (
    Action,
    ActionStatus,
    BoardUpdate,
    CalendarEvent,
    EventKind,
    Impact,
    Rag,
    ReviewStatus,
    Staff,
    StaffRole,
)
from store.repositories import audit_log, board, follow_ups, outbox, work

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from notifications.quiet_hours import QuietHours

MAX_NOTE = 1000
# Outbox kinds of the messages to other people: the lead's review card, the owner's
# sent-back card.
REVIEW_KIND = "board_review"
SENT_BACK_KIND = "board_sent_back"
MAX_LINK = 2000
# Board-pack links are bearer links: short-lived and single use, as call exports are.
PACK_LINK_LIFETIME = timedelta(minutes=5)
# Who sees the whole plan's update status and the pack; area leads see their own areas'.
STATUS_ROLES = frozenset({StaffRole.COORDINATOR, StaffRole.VIEWER})
PACK_ROLES = frozenset({StaffRole.COORDINATOR, StaffRole.VIEWER})
E = TypeVar("E", Rag, Impact)
NO_MEETING = (
    "There is no Improvement Board meeting coming up on the calendar. A coordinator adds "
    "them with `inspection-ready import events` (kind improvement_board)."
)


class BoardRefusedError(CardActionError):
    """The person may not do this; nothing is changed."""


class BoardDialog:
    """Updates for the board, their review, the status of updates and the pack's links."""

    def __init__(self, export_base_url: str, quiet_hours: QuietHours) -> None:
        self._export_base_url = export_base_url.rstrip("/")
        # When the lead's review requests and the owner's sent-back cards may go out.
        self._quiet_hours = quiet_hours

    async def status(self, session: AsyncSession, person: Person, today: date) -> Reply:
        """Who has not updated for the next meeting: the whole plan for coordinators and
        viewers, their own areas for area leads."""
        led = await board.areas_led_by(session, person.staff_id) if person.staff_id else []
        if person.role not in STATUS_ROLES and not led:
            raise BoardRefusedError(
                "only coordinators, board viewers and priority-area leads can see who has "
                "updated for the board"
            )
        meeting = await board.next_meeting(session, today)
        if meeting is None:
            return Reply(text=NO_MEETING)
        # Audit follow-ups are about a child's case: the board never asks for them.
        actions = await work.open_actions(session, None, follow_ups=False)
        scope = None
        if person.role not in STATUS_ROLES:
            mine = {name.casefold() for name in led}
            actions = [a for a in actions if a.priority_area.casefold() in mine]
            scope = "Your priority areas only: " + ", ".join(led)
        updates = await board.updates_for(session, meeting.id)
        # By owner (two people may share a name), listed by name.
        waiting: dict[tuple[str, int], list[str]] = {}
        sent_back = pending = 0
        for action in actions:
            given = updates.get(action.id)
            if given is None or given.review_status is ReviewStatus.SENT_BACK:
                waiting.setdefault((action.owner.name, action.owner_id), []).append(action.ref)
                sent_back += given is not None
            elif given.review_status is ReviewStatus.PENDING:
                pending += 1
        behind = sum(len(refs) for refs in waiting.values())
        summary = (
            f"{len(actions) - behind} of {len(actions)} open actions updated; {behind} "
            f"not yet (of which {sent_back} sent back); {pending} waiting for the lead's review."
        )
        heading = f"Board updates for {meeting.title}, {_when(meeting.date)}"
        card = render_card(
            "board_status",
            heading=heading,
            summary=summary,
            waiting=[
                {"name": name, "refs": ", ".join(sorted(refs))}
                for (name, _), refs in sorted(waiting.items())
            ],
            scope=scope,
        )
        return Reply(text=f"{plain_text(heading)}: {summary}", card=card)

    async def pack_links(
        self, session: AsyncSession, person: Person, today: date, now: datetime
    ) -> Reply:
        """Single-use links to the pack for the next meeting (or the last, if none is
        coming), as Word and as Excel."""
        if person.role not in PACK_ROLES or person.staff_id is None:
            raise BoardRefusedError("only coordinators and board viewers can have the board pack")
        meeting = await board.next_meeting(session, today)
        if meeting is None:
            past = await board.meetings(session)
            if not past:
                return Reply(text=NO_MEETING)
            meeting = past[-1]
        urls = {}
        for file_format in ("docx", "xlsx"):
            token = secrets.token_urlsafe(32)
            await board.save_pack_link(
                session,
                hash_token(token),
                meeting.date,
                file_format,
                person.staff_id,
                now,
                now + PACK_LINK_LIFETIME,
            )
            urls[file_format] = f"{self._export_base_url}/exports/{token}"
        audit_log.record_change(
            session,
            actor=person.email or f"staff {person.staff_id}",
            entity="board_pack",
            key=meeting.date.isoformat(),
            field="link_made",
            old=None,
            new=f"docx and xlsx links, valid until {(now + PACK_LINK_LIFETIME).isoformat()}",
        )
        minutes = int(PACK_LINK_LIFETIME.total_seconds() // 60)
        heading = f"Board pack for {meeting.title}, {_when(meeting.date)}"
        card = render_card(
            "board_pack",
            heading=heading,
            minutes=minutes,
            docx_url=urls["docx"],
            xlsx_url=urls["xlsx"],
        )
        return Reply(text=plain_text(heading), card=card)

    async def form(
        self, session: AsyncSession, person: Person, data: dict[str, Any], today: date
    ) -> Reply:
        """The update card for one of the person's own open actions."""
        action, meeting = await self._own(session, person, data, today)
        existing = await board.update_for(session, action.id, meeting.id)
        accepted = existing is not None and existing.review_status is ReviewStatus.ACCEPTED
        # An accepted update is final for this meeting: shown, not offered for editing.
        outcome = "Your lead has accepted this update." if accepted else None
        return Reply(
            card=await self._form_card(session, action, meeting, existing, outcome=outcome)
        )

    async def submit(
        self,
        session: AsyncSession,
        person: Person,
        data: dict[str, Any],
        today: date,
        now: datetime,
    ) -> Reply:
        """Saves the owner's update (again, if it was sent back) and asks the lead to review."""
        action, meeting = await self._own(session, person, data, today)
        rag = _choice(Rag, data.get("rag"), "choose on track, at risk or off track")
        impact = _choice(Impact, data.get("impact"), "choose how far the impact is evident")
        note = _text(data.get("note"))
        if note is None:
            raise CardActionError("say what progress there has been since the last meeting")
        evidence = _text(data.get("evidence_text"))
        link = _link(data.get("evidence_link"))
        existing = await board.update_for(session, action.id, meeting.id)
        if existing is not None and existing.review_status is ReviewStatus.ACCEPTED:
            raise CardActionError(
                "your lead has accepted this update already; it cannot change now"
            )
        key = f"{action.ref}@{meeting.date.isoformat()}"
        values = {
            "rag": rag.value,
            "note": note,
            "evidence_text": evidence,
            "evidence_link": link,
            "impact": impact.value,
        }
        before = {f: _value(getattr(existing, f, None)) for f in values}
        update = existing or BoardUpdate(action_id=action.id, meeting_id=meeting.id)
        update.author_id = int(person.staff_id or 0)
        update.rag, update.impact = rag, impact
        update.note, update.evidence_text, update.evidence_link = note, evidence, link
        update.submitted_at = now
        update.review_status = ReviewStatus.PENDING
        update.reviewed_by_id = update.reviewed_at = None
        # Two first updates sent at once (two windows): one is kept, the other told.
        if existing is None and not await board.add_update(session, update):
            raise CardActionError(
                "an update for this action was sent a moment ago; open it again to see it"
            )
        await session.flush()
        for field, value in values.items():
            if before[field] != value:
                _log(session, person, key, field, before[field], value)
        reviewer = await reviewer_of(session, action)
        loaded = await board.update_by_id(session, update.id)
        if reviewer is not None and loaded is not None:
            await self._tell(
                session,
                f"{REVIEW_KIND}:{update.id}:{uuid.uuid4().hex}",
                reviewer.id,
                REVIEW_KIND,
                f"{plain_text(person.display_name)} sent a board update for action "
                f"{plain_text(action.ref)} for you to review.",
                self.review_card(loaded),
                now,
            )
        outcome = (
            f"Update sent; {plain_text(reviewer.name)} will review it."
            if reviewer
            else "Update saved. Your area has no lead and you have no line manager on the "
            "roster, so nobody reviews it: the board pack shows it as not reviewed."
        )
        card = await self._form_card(session, action, meeting, update, outcome=outcome)
        return Reply(card=card, refresh=True)

    async def review(
        self, session: AsyncSession, person: Person, data: dict[str, Any], now: datetime
    ) -> Reply:
        """Accepts the update, or sends it back with a note (the owner is told)."""
        update = await board.update_by_id(session, parse_id(data.get("update")) or 0)
        if update is None:
            raise CardActionError("that update no longer exists")
        reviewer = await reviewer_of(session, update.action)
        if reviewer is None or reviewer.id != person.staff_id:
            raise BoardRefusedError(
                "only the priority area's lead (or, with none, the owner's line manager) "
                "reviews this update"
            )
        if update.review_status is not ReviewStatus.PENDING:
            raise CardActionError(f"this update was already {update.review_status.value}")
        decision = data.get("decision")
        note = _text(data.get("review_note"))
        if decision not in ("accept", "send_back"):
            raise CardActionError("choose accept or send back")
        if decision == "send_back" and note is None:
            raise CardActionError("say what the owner should change, in the note")
        status = ReviewStatus.ACCEPTED if decision == "accept" else ReviewStatus.SENT_BACK
        key = f"{update.action.ref}@{update.meeting.date.isoformat()}"
        _log(
            session,
            person,
            key,
            "review",
            update.review_status.value,
            status.value + (f": {note}" if note else ""),
        )
        update.review_status, update.review_note = status, note
        update.reviewed_by_id, update.reviewed_at = person.staff_id, now
        await session.flush()
        outcome = f"{status.value.capitalize()} by {person.display_name}" + (
            f": {note}" if note else "."
        )
        if status is ReviewStatus.SENT_BACK:
            await self._tell(
                session,
                f"{SENT_BACK_KIND}:{update.id}:{uuid.uuid4().hex}",
                update.author_id,
                SENT_BACK_KIND,
                f"{plain_text(person.display_name)} sent back your board update for "
                f"action {plain_text(update.action.ref)}: {plain_text(note or '')}",
                await self._form_card(session, update.action, update.meeting, update),
                now,
            )
        return Reply(card=self.review_card(update, outcome), refresh=True)

    async def _tell(
        self,
        session: AsyncSession,
        key: str,
        staff_id: int,
        kind: str,
        text: str,
        card: dict[str, Any],
        now: datetime,
    ) -> None:
        # Queued with the change it announces, under a key of its own (as every notice is:
        # a turn runs once); not urgent, so it waits for working hours, and an update sent
        # late in the evening reaches the lead the next working morning.
        row = outbox.new_row(
            key,
            staff_id,
            kind,
            {"text": text, "card": card},
            self._quiet_hours.next_allowed(now),
            urgent=False,
        )
        await outbox.queue(session, [row])

    def review_card(self, update: BoardUpdate, outcome: str | None = None) -> dict[str, Any]:
        """The card the lead reviews on (or, with `outcome`, the decided version)."""
        return render_card(
            "board_review",
            update=update,
            action=update.action,
            author=update.author.name,
            meeting_when=_when(update.meeting.date),
            outcome=outcome,
            max_note=MAX_NOTE,
        )

    async def _form_card(
        self,
        session: AsyncSession,
        action: Action,
        meeting: CalendarEvent,
        update: BoardUpdate | None,
        outcome: str | None = None,
    ) -> dict[str, Any]:
        reviewer = await reviewer_of(session, action)
        sent_back = (
            update.review_note
            if update is not None and update.review_status is ReviewStatus.SENT_BACK
            else None
        )
        return render_card(
            "board_update",
            action=action,
            meeting=meeting.id,
            meeting_when=_when(meeting.date),
            due=_when(action.due_date),
            update=update,
            reviewer=reviewer.name if reviewer else None,
            sent_back=sent_back if outcome is None else None,
            outcome=outcome,
            max_note=MAX_NOTE,
            max_link=MAX_LINK,
        )

    async def _own(
        self, session: AsyncSession, person: Person, data: dict[str, Any], today: date
    ) -> tuple[Action, CalendarEvent]:
        action = await work.action_by_id(session, parse_id(data.get("id")) or 0)
        if action is None:
            raise CardActionError("that action no longer exists")
        if person.staff_id is None or action.owner_id != person.staff_id:
            raise BoardRefusedError("only the action's owner gives its board update")
        if await follow_ups.is_follow_up(session, action.id):
            raise CardActionError(
                f"action {plain_text(action.ref)} follows up a case audit, which the board "
                "does not see: no update is needed"
            )
        if action.status is ActionStatus.COMPLETE:
            raise CardActionError(
                f"action {plain_text(action.ref)} is complete: no update is needed"
            )
        meeting = await session.get(CalendarEvent, parse_id(data.get("meeting")) or 0)
        if meeting is None or meeting.kind is not EventKind.IMPROVEMENT_BOARD:
            raise CardActionError("that board meeting is no longer on the calendar")
        if meeting.date < today:
            raise CardActionError(
                f"the board met on {_when(meeting.date)}; updates for it are closed"
            )
        return action, meeting


async def reviewer_of(session: AsyncSession, action: Action) -> Staff | None:
    """Who reviews an owner's update: the area's lead; with no lead (or when the lead owns
    the action), the owner's line manager."""
    leads = await board.area_leads(session)
    lead_id = leads.get(action.priority_area.casefold())
    if lead_id is not None and lead_id != action.owner_id:
        return await session.get(Staff, lead_id)
    if action.owner.manager_id is not None:
        return await session.get(Staff, action.owner.manager_id)
    return None


def _value(value: object) -> str | None:
    """A stored field as the audit log writes it."""
    if value is None:
        return None
    return value.value if isinstance(value, Rag | Impact) else str(value)


def _when(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _choice(kind: type[E], value: object, problem: str) -> E:
    try:
        return kind(str(value or ""))
    except ValueError:
        raise CardActionError(problem) from None


def _text(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    if len(value) > MAX_NOTE:
        raise CardActionError(f"please keep each box to {MAX_NOTE} characters")
    return value.strip()


def _link(value: object) -> str | None:
    """An evidence link, which must be a web address (http or https) with a host."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if (
        len(text) > MAX_LINK
        or parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() for c in text)
    ):
        raise CardActionError(
            "the evidence link must be a web address starting https:// (or http://)"
        )
    return text


def _log(
    session: AsyncSession, person: Person, key: str, field: str, old: str | None, new: str | None
) -> None:
    audit_log.record_change(
        session,
        actor=person.email or f"staff {person.staff_id}",
        entity="board_update",
        key=key,
        field=field,
        old=old,
        new=new,
    )
