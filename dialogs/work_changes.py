"""This module carries out the buttons on work cards: complete, status, start, extensions.

Completing an audit records its findings: see dialogs/audit_findings.py.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from cards.rendering import plain_text, render_card
from dialogs.ask_dialog import CardActionError
from dialogs.card_data import parse_choice, parse_id
from dialogs.people import Person
from dialogs.policy import NO_ITEM, may_decide_extensions
from dialogs.replies import Notice, Reply
from dialogs.scope import may_change, may_see_action, may_see_audit
from dialogs.work_dialog import WorkViews, back_of, version_of
from store.models import (
    Action,
    ActionStatus,
    AuditAssignment,
    AuditStatus,
    ExtensionRequest,
    ExtensionStatus,
    StaffRole,
    utc_now,
)
from store.repositories import audit_log, work
from store.repositories.staff import list_by_role

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger(__name__)
MAX_NOTE = 500
# How far ahead an extension may reach: further than this is not a plan, it is a typo.
MAX_EXTENSION = timedelta(days=366)


class PermissionRefusedError(CardActionError):
    """The person may not act on this item; logged, as a forged card looks like this."""


class WorkChanges:
    """Applies a button press to the database, with the audit log, and says what changed."""

    def __init__(self, views: WorkViews) -> None:
        self.views = views

    async def open_item(
        self, session: AsyncSession, person: Person, data: dict[str, Any], today: date
    ) -> Reply:
        """The detail card for an item the person may see."""
        if data.get("kind") == "audit":
            audit = await self._audit(session, person, data)
            return await self.views.audit_detail(session, person, audit, today, back=back_of(data))
        action = await self._action(session, person, data)
        return await self.views.action_detail(session, person, action, today, back=back_of(data))

    async def complete_action(
        self, session: AsyncSession, person: Person, data: dict[str, Any], today: date
    ) -> Reply:
        """Marks an action complete with the evidence note given."""
        action = await self._action(session, person, data, changing=True)
        note = _text(data, "evidence_note", "an evidence note")
        await _take(session, action)
        self._log(session, person, "action", action.ref, "status", action.status.value, "complete")
        self._log(
            session, person, "action", action.ref, "completion_note", action.completion_note, note
        )
        action.status = ActionStatus.COMPLETE
        action.completion_note = note
        action.completed_at = utc_now()
        await session.flush()
        return _refreshed(
            # The evidence is on the card already; the notice does not repeat it.
            await self.views.action_detail(
                session, person, action, today, notice="Marked complete.", back=back_of(data)
            )
        )

    async def set_action_status(
        self, session: AsyncSession, person: Person, data: dict[str, Any], today: date
    ) -> Reply:
        """Changes an action's status (completion has its own button, with evidence).

        Blocked needs a reason, which the owner's line manager is told.
        """
        action = await self._action(session, person, data, changing=True)
        try:
            status = ActionStatus(str(data.get("status", "")))
        except ValueError:
            raise CardActionError("that is not a status an action can have") from None
        if status is ActionStatus.COMPLETE:
            raise CardActionError("use 'Mark complete', which asks for the evidence")
        if action.status is ActionStatus.COMPLETE:
            # Reopening would quietly discard the completion and its evidence: not a button.
            raise CardActionError("this action is complete; ask a coordinator to reopen it")
        reason = str(data.get("status_reason") or "").strip()[:MAX_NOTE] or None
        if status is ActionStatus.BLOCKED and reason is None:
            raise CardActionError(
                "say what is blocking it, in the box under the status: your line manager is told"
            )
        newly_blocked = status is ActionStatus.BLOCKED and (
            action.status is not ActionStatus.BLOCKED or reason != action.blocked_reason
        )
        notices: tuple[Notice, ...] = ()
        if status is not action.status or newly_blocked:
            await _take(session, action)
            if status is not action.status:
                self._log(
                    session,
                    person,
                    "action",
                    action.ref,
                    "status",
                    action.status.value,
                    status.value,
                )
            if newly_blocked or action.blocked_reason is not None:
                new_reason = reason if status is ActionStatus.BLOCKED else None
                self._log(
                    session,
                    person,
                    "action",
                    action.ref,
                    "blocked_reason",
                    action.blocked_reason,
                    new_reason,
                )
                action.blocked_reason = new_reason
            action.status = status
            await session.flush()
            if newly_blocked:
                notices = await self._blocked_notices(session, person, action)
        notice = f"Status is now {status.value}."
        if notices:
            told = " and ".join(plain_text(n.name) for n in notices)
            notice += f" {told} {'has' if len(notices) == 1 else 'have'} been told."
        detail = await self.views.action_detail(
            session, person, action, today, notice=notice, back=back_of(data)
        )
        return Reply(card=detail.card, notices=notices, refresh=True)

    async def _blocked_notices(
        self, session: AsyncSession, person: Person, action: Action
    ) -> tuple[Notice, ...]:
        """A message to whoever decides for the owner: their line manager (or, with none,
        the coordinators), never the person who set it."""
        deciders = await self._deciders(session, action, int(person.staff_id or 0))
        by = plain_text(person.display_name)
        text = (
            f"Action {plain_text(action.ref)} ({plain_text(action.owner.name)}) is blocked"
            f"{'' if person.staff_id == action.owner_id else f', says {by}'}: "
            f"{plain_text(action.blocked_reason or '')}"
        )
        return tuple(Notice(staff_id, name, Reply(text=text)) for staff_id, name in deciders)

    async def start_audit(
        self, session: AsyncSession, person: Person, data: dict[str, Any], today: date
    ) -> Reply:
        """Marks an audit as in progress."""
        audit = await self._audit(session, person, data, changing=True)
        if audit.status is not AuditStatus.ASSIGNED:
            raise CardActionError("this audit has already been started")
        await _take(session, audit)
        self._log(session, person, "audit", audit.ref, "status", audit.status.value, "in progress")
        audit.status = AuditStatus.IN_PROGRESS
        await session.flush()
        return _refreshed(
            await self.views.audit_detail(
                session, person, audit, today, notice="Started.", back=back_of(data)
            )
        )

    async def snooze(
        self, session: AsyncSession, person: Person, data: dict[str, Any], today: date
    ) -> Reply:
        """Stops reminders to the owner about one item for 1 or 3 working days."""
        item: Action | AuditAssignment
        if data.get("kind") == "audit":
            audit = await self._audit(session, person, data)
            item, owner_id, kind = audit, audit.auditor_id, "audit"
        else:
            action = await self._action(session, person, data)
            item, owner_id, kind = action, action.owner_id, "action"
        if owner_id != person.staff_id:
            raise PermissionRefusedError("only the owner can snooze reminders about it")
        days = parse_choice(data.get("days"), (1, 3))
        if days is None:
            raise CardActionError("snooze for 1 or 3 working days")
        until = self.views.calendar.add(today, days)
        await work.set_snooze(session, owner_id, kind, item.id, until)
        ref = plain_text(item.ref)
        return Reply(text=f"Snoozed: no reminders about {ref} until after {until:%A %d %B}.")

    async def request_extension(
        self, session: AsyncSession, person: Person, data: dict[str, Any], today: date
    ) -> Reply:
        """Records a request for a later due date and asks the owner's line manager."""
        action = await self._action(session, person, data, changing=True)
        new_date = _date(data, "new_due_date")
        reason = _text(data, "reason", "a reason")
        if new_date <= action.due_date or new_date <= today:
            raise CardActionError("the new date must be later than the current due date")
        if new_date > today + MAX_EXTENSION:
            raise CardActionError("the new date must be within a year; ask again nearer the time")
        if action.status is ActionStatus.COMPLETE:
            raise CardActionError("this action is complete, so it needs no more time")
        pending = await work.pending_extensions(session, [action.owner_id])
        if any(r.action_id == action.id for r in pending):
            raise CardActionError("an extension for this action is already waiting for a decision")
        # Checked above and claimed here: two requests sent at once make one, not two.
        await _take(session, action)
        request = ExtensionRequest(
            action_id=action.id,
            requested_by_id=int(person.staff_id or 0),
            current_due_date=action.due_date,
            requested_due_date=new_date,
            reason=reason,
        )
        session.add(request)
        await session.flush()
        self._log(
            session,
            person,
            "action",
            action.ref,
            "extension_requested",
            None,
            f"{new_date.isoformat()}: {reason}",
        )
        request = await work.extension_by_id(session, request.id) or request
        deciders = await self._deciders(session, action, request.requested_by_id)
        card = self.extension_card(request)
        notices = tuple(Notice(staff_id, name, Reply(card=card)) for staff_id, name in deciders)
        who = " and ".join(name for _, name in deciders) or "a coordinator"
        detail = await self.views.action_detail(
            session,
            person,
            action,
            today,
            notice=f"Extension requested; {who} will decide.",
            back=back_of(data),
        )
        return Reply(card=detail.card, notices=notices, refresh=True)

    async def open_extension(
        self, session: AsyncSession, person: Person, data: dict[str, Any]
    ) -> Reply:
        """The decision card for a pending request, for someone allowed to decide it."""
        request = await self._request(session, person, data)
        return Reply(card=self.extension_card(request))

    async def decide_extension(
        self, session: AsyncSession, person: Person, data: dict[str, Any]
    ) -> Reply:
        """Approves (moving the due date) or declines a request and tells the requester."""
        request = await self._request(session, person, data)
        if request.status is not ExtensionStatus.PENDING:
            raise CardActionError(f"this request was already {request.status.value}")
        decision = data.get("decision")
        if decision not in ("approve", "decline"):
            raise CardActionError("choose approve or decline")
        note = str(data.get("decision_note") or "").strip()[:MAX_NOTE] or None
        action = request.action
        if action.status is ActionStatus.COMPLETE:
            raise CardActionError(
                f"action {plain_text(action.ref)} is complete: nothing to extend"
            )
        status = ExtensionStatus.APPROVED if decision == "approve" else ExtensionStatus.DECLINED
        if decision == "approve":
            # The due date is about to move: nobody else may change the action meanwhile.
            await _take(session, action)
        # Two deciders pressing at once: exactly one decision is recorded. Both writes come
        # last, after every check, so a refused press changes nothing.
        if not await work.settle_extension(session, request, status, int(person.staff_id or 0)):
            raise CardActionError("this request has just been decided by someone else")
        await session.refresh(request)
        request.decision_note = note
        self._log(
            session, person, "action", action.ref, "extension", "pending", request.status.value
        )
        if decision == "approve":
            self._log(
                session,
                person,
                "action",
                action.ref,
                "due_date",
                action.due_date.isoformat(),
                request.requested_due_date.isoformat(),
            )
            action.due_date = request.requested_due_date
        await session.flush()
        outcome = f"{request.status.value.capitalize()} by {person.display_name}" + (
            f": {note}" if note else "."
        )
        # The card escapes `outcome` itself; this message text is escaped here.
        told = Reply(
            text=f"Your extension request for action {plain_text(action.ref)} was "
            f"{request.status.value} by {plain_text(person.display_name)}."
            + (
                f" The new due date is {request.requested_due_date:%A %d %B %Y}."
                if decision == "approve"
                else ""
            )
            + (f" Note: {plain_text(note)}" if note else "")
        )
        notice = Notice(action.owner_id, action.owner.name, told)
        return Reply(card=self.extension_card(request, outcome), notices=(notice,), refresh=True)

    def extension_card(
        self, request: ExtensionRequest, outcome: str | None = None
    ) -> dict[str, Any]:
        """The card a manager decides on (or, with `outcome`, the decided version)."""
        return render_card(
            "extension_request",
            request=request,
            current_due=f"{request.current_due_date:%a %d %b %Y}",
            requested_due=f"{request.requested_due_date:%a %d %b %Y}",
            outcome=outcome,
        )

    async def audit(
        self,
        session: AsyncSession,
        person: Person,
        data: dict[str, Any],
        *,
        changing: bool = False,
    ) -> AuditAssignment:
        """The audit a button names, if this person may see it (or, `changing`, change it
        and the card is current)."""
        return await self._audit(session, person, data, changing=changing)

    async def _action(
        self,
        session: AsyncSession,
        person: Person,
        data: dict[str, Any],
        *,
        changing: bool = False,
    ) -> Action:
        action = await work.action_by_id(session, _id(data, "id"))
        if action is None:
            raise CardActionError("that action no longer exists")
        what = f"action {plain_text(action.ref)}"
        if changing:
            await self._check(session, person, action.owner_id, what)
        elif not await may_see_action(session, person, action):
            # An area's lead sees its actions whoever manages their owners.
            raise PermissionRefusedError(f"you cannot see {what}")
        if changing:
            _check_version(data, version_of(action))
        return action

    async def _audit(
        self,
        session: AsyncSession,
        person: Person,
        data: dict[str, Any],
        *,
        changing: bool = False,
    ) -> AuditAssignment:
        audit = await work.audit_by_id(session, _id(data, "id"))
        if audit is None:
            raise CardActionError("that audit no longer exists")
        what = f"audit {plain_text(audit.ref)}"
        if changing:
            await self._check(session, person, audit.auditor_id, what)
        elif not await may_see_audit(session, person, audit.auditor_id):
            # An audit names a case: a viewer, who sees the whole plan, sees none of them.
            raise PermissionRefusedError(f"you cannot see {what}")
        if changing:
            _check_version(data, version_of(audit))
        return audit

    async def _request(
        self, session: AsyncSession, person: Person, data: dict[str, Any]
    ) -> ExtensionRequest:
        request = await work.extension_by_id(session, _id(data, "request"))
        if request is None:
            raise CardActionError("that extension request no longer exists")
        owner = request.action.owner_id
        if person.staff_id in (owner, request.requested_by_id):
            # Nobody decides their own request, or one about their own action.
            raise PermissionRefusedError("you cannot decide an extension you asked for")
        # The owner's managers (at any level) and coordinators decide; admins do not.
        allowed = may_decide_extensions(person) and await may_change(session, person, owner)
        if not allowed:
            raise PermissionRefusedError("only the owner's line manager can decide this request")
        return request

    async def _check(
        self, session: AsyncSession, person: Person, owner_id: int, what: str
    ) -> None:
        if person.staff_id is None or not await may_change(session, person, owner_id):
            raise PermissionRefusedError(f"you cannot change {what}")

    async def _deciders(
        self, session: AsyncSession, action: Action, requester_id: int
    ) -> list[tuple[int, str]]:
        """Who is asked to decide: the first manager up the owner's line who did not ask.

        A manager asking for more time on a report's action cannot decide it, so the
        request goes to the next manager up; with nobody above, to the coordinators.
        """
        manager_id = action.owner.manager_id
        seen: set[int] = set()
        while manager_id is not None and manager_id not in seen:
            seen.add(manager_id)
            manager = await session.get(type(action.owner), manager_id)
            if manager is None:
                break
            if manager.id not in (requester_id, action.owner_id):
                return [(manager.id, manager.name)]
            manager_id = manager.manager_id
        coordinators = await list_by_role(session, StaffRole.COORDINATOR)
        return [(c.id, c.name) for c in coordinators if c.id != requester_id]

    def _log(
        self,
        session: AsyncSession,
        person: Person,
        entity: str,
        key: str,
        field: str,
        old: str | None,
        new: str | None,
    ) -> None:
        audit_log.record_change(
            session,
            actor=person.email or "unknown",
            entity=entity,
            key=key,
            field=field,
            old=old,
            new=new,
        )


def _refreshed(reply: Reply) -> Reply:
    return Reply(text=reply.text, card=reply.card, notices=reply.notices, refresh=True)


def _id(data: dict[str, Any], name: str) -> int:
    number = parse_id(data.get(name))
    if number is None:
        raise CardActionError(NO_ITEM)
    return number


def _text(data: dict[str, Any], name: str, what: str) -> str:
    value = str(data.get(name) or "").strip()
    if not value:
        raise CardActionError(f"please add {what}")
    return value[:MAX_NOTE]


def _date(data: dict[str, Any], name: str) -> date:
    try:
        return date.fromisoformat(str(data.get(name) or ""))
    except ValueError:
        raise CardActionError("choose the new due date") from None


STALE_CARD = (
    "this item has changed since that card was sent (or the button was already used); "
    "open it again to see where it stands"
)


def _check_version(data: dict[str, Any], current: str) -> None:
    if data.get("version") != current:
        raise CardActionError(STALE_CARD)


async def _take(session: AsyncSession, record: Action | AuditAssignment) -> None:
    # The card's version was checked when the record was read; this settles a race between
    # two presses. Called just before a handler's first write, after every other check.
    if not await work.take_version(session, record):
        raise CardActionError(STALE_CARD)
