"""This module contains Broadcast: starts an inspection call and queues everything it sends."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from cards import call_messages
from cards.call_messages import LISTED_NAMES, CallFacts, DatedTask
from knowledge.working_days import WorkingDays
from notifications.ack_times import summarise
from notifications.call_chasing import ChaseKind, ChasePolicy, plan_chases
from notifications.call_fallback import CallFallback, policy_text, status_facts
from notifications.playbook import Playbook
from store.models import CallStatus, InspectionCall, OutboxStatus, Staff, StaffRole, utc_now
from store.repositories import audit_log, call_fallbacks, calls, outbox
from store.repositories import staff as staff_repository
from store.repositories.staff import list_by_role

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger(__name__)

# How long an alert waits for the chat of someone the app was just installed for; Teams
# announces an installation within seconds, and the alert is released as soon as it does.
HELD_FOR_INSTALLATION = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class CallRequest:
    """What the coordinator chose in the trigger dialog."""

    inspection_type: str
    on_site: date
    drill: bool


class Broadcast:
    """The inspection call's writes: the call, its recipients and every outbox row."""

    def __init__(
        self,
        playbook: Playbook,
        calendar: WorkingDays,
        timezone: ZoneInfo,
        policy: ChasePolicy,
        fallback: CallFallback | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.playbook = playbook
        self.calendar = calendar
        self.timezone = timezone
        self.policy = policy
        # SMS and email for those Teams cannot reach; None: GOV.UK Notify is not set up.
        self.fallback = fallback
        # What "now" is for the status card (a fixed time in tests).
        self.clock = clock

    async def facts(self, session: AsyncSession, call: InspectionCall) -> CallFacts:
        """The call's description, as every message about it gives it."""
        caller = await session.get(Staff, call.called_by_id) if call.called_by_id else None
        return CallFacts(
            call_id=call.id,
            type_name=self.playbook.types.get(call.inspection_type, call.inspection_type),
            on_site=call.on_site,
            drill=call.drill,
            called_by=caller.name if caller is not None else "a coordinator",
            called_at=call.called_at,
            timezone=self.timezone,
        )

    def tasks(self, call: InspectionCall, role: str | None) -> list[DatedTask]:
        """The person's first tasks; the general ones when their role has none for this type."""
        day = call.called_at.astimezone(self.timezone).date()
        kind, on_site = call.inspection_type, call.on_site
        tasks = self.playbook.tasks_for(kind, role, day, self.calendar, on_site)
        if not tasks and role:
            tasks = self.playbook.tasks_for(kind, None, day, self.calendar, on_site)
        return tasks

    async def start(
        self,
        session: AsyncSession,
        request: CallRequest,
        caller: Staff,
        now: datetime,
        *,
        held: frozenset[int] = frozenset(),
        people: list[Staff] | None = None,
    ) -> InspectionCall | None:
        """Starts the call and queues one urgent alert per person on the roster (but the
        caller); None, with nothing written, when a call is already active.

        `held` are people the app is about to be installed for (they have no chat with
        the bot yet): their alerts wait (HELD_FOR_INSTALLATION at most) until their
        installation is settled (notifications/call_installs.py), rather than finding no
        conversation and being marked unreachable at once. `people` is the roster but the
        caller, when the caller has read it already.
        """
        call = InspectionCall(
            inspection_type=request.inspection_type,
            on_site=request.on_site,
            drill=request.drill,
            called_by_id=caller.id,
            called_at=now,
            updates_sent=0,
            version=1,
        )
        if not await calls.start_call(session, call):
            return None
        if people is None:
            people = [p for p in await staff_repository.list_all(session) if p.id != caller.id]
        await calls.add_recipients(session, call.id, [(p.id, p.inspection_role) for p in people])
        facts = await self.facts(session, call)
        # A few roles, thousands of people: each role's tasks are dated once.
        by_role: dict[str | None, list[DatedTask]] = {}

        def tasks_of(role: str | None) -> list[DatedTask]:
            if role not in by_role:
                by_role[role] = self.tasks(call, role)
            return by_role[role]

        rows = [
            _row(
                call,
                f"call:{call.id}:alert:{person.id}",
                person.id,
                calls.ALERT,
                call_messages.alert(
                    facts, person.id, person.inspection_role, tasks_of(person.inspection_role)
                ),
                now + HELD_FOR_INSTALLATION if person.id in held else now,
            )
            for person in people
        ]
        queued = await outbox.queue(session, rows)
        await self.fall_back(session, call, now)
        kind = "drill" if call.drill else "call"
        _log(session, caller.email, call, "status", None, f"{kind} started: {facts.headline()}")
        logger.info("Inspection %s %s started: %d alerts queued", kind, call.id, queued)
        return call

    async def fall_back(self, session: AsyncSession, call: InspectionCall, now: datetime) -> int:
        """Queues the SMS and email for those Teams cannot reach and, from the first
        reminder round, for everyone still silent; returns how many were new."""
        if self.fallback is None:
            return 0
        found = await call_fallbacks.candidates(
            session,
            call.id,
            now,
            all_silent=self.policy.reminder_round(now - call.called_at) >= 1,
            mobile_needed=self.fallback.mobile_needed,
        )
        if not found:
            return 0
        rows = self.fallback.rows(call, await self.facts(session, call), found, now)
        queued = await outbox.queue(session, rows)
        if queued:
            logger.info("Inspection call %s: %d SMS or email message(s) queued", call.id, queued)
        return queued

    async def chase(self, session: AsyncSession, call: InspectionCall, now: datetime) -> int:
        """Queues the reminders and manager messages due now; returns how many were new."""
        elapsed = now - call.called_at
        if not (self.policy.reminder_round(elapsed) or self.policy.escalation_round(elapsed)):
            return 0  # nothing is due yet: skip loading everyone's acknowledgement
        unacknowledged = await calls.unacknowledged(session, call.id)
        fallback = [call.called_by_id] if call.called_by_id else []
        if not fallback:
            fallback = [p.id for p in await list_by_role(session, StaffRole.COORDINATOR)]
        chases = plan_chases(call.id, call.called_at, now, unacknowledged, self.policy, fallback)
        if not chases:
            return 0
        if not await _new_keys(session, [c.dedupe_key for c in chases]):
            return 0
        facts = await self.facts(session, call)
        people = await _people(session, {p for c in chases for p in (c.recipient_id, *c.about)})
        rows = []
        for chase in chases:
            if chase.kind is ChaseKind.REMINDER:
                role = people[chase.recipient_id].inspection_role
                payload = call_messages.alert(
                    facts,
                    chase.recipient_id,
                    role,
                    self.tasks(call, role),
                    reminder_round=chase.round,
                )
            else:
                names = sorted(people[p].name for p in chase.about)
                payload = call_messages.escalation(facts, chase.round, names)
            rows.append(_row(call, chase.dedupe_key, chase.recipient_id, chase.kind, payload, now))
        queued = await outbox.queue(session, rows)
        if queued:
            logger.info("Inspection call %s: %d chase message(s) queued", call.id, queued)
        return queued

    async def send_update(
        self,
        session: AsyncSession,
        call: InspectionCall,
        message: str,
        sender: Staff,
        now: datetime,
    ) -> tuple[int, int]:
        """Queues the coordinator's update to everyone the alert went to.

        Returns (how many of them can be reached in Teams, how many the alert went to).
        """
        call.updates_sent += 1
        facts = await self.facts(session, call)
        payload = call_messages.update(facts, call.updates_sent, message, sender.name)
        recipients = await calls.recipient_ids(session, call.id)
        rows = [
            _row(
                call,
                f"call:{call.id}:update:{call.updates_sent}:{staff_id}",
                staff_id,
                "call_update",
                payload,
                now,
            )
            for staff_id in recipients
        ]
        _log(session, sender.email, call, "update", None, message)
        await outbox.queue(session, rows)
        return len(await calls.reachable(session, recipients)), len(recipients)

    async def stand_down(
        self, session: AsyncSession, call: InspectionCall, by: Staff, now: datetime
    ) -> tuple[int, int]:
        """Ends the call: unsent messages are withdrawn, those alerted are told.

        Returns (messages withdrawn, stand-down messages queued).
        """
        call.status = CallStatus.STOOD_DOWN
        call.active_slot = None
        call.stood_down_at = now
        call.stood_down_by_id = by.id
        await session.flush()
        withdrawn = await calls.withdraw_unsent(session, call.id)
        facts = await self.facts(session, call)
        payload = call_messages.stand_down(facts, by.name, now)
        rows = [
            _row(
                call,
                f"call:{call.id}:stand_down:{staff_id}",
                staff_id,
                "call_stand_down",
                payload,
                now,
            )
            for staff_id in await calls.alerted(session, call.id)
        ]
        queued = await outbox.queue(session, rows)
        _log(
            session,
            by.email,
            call,
            "status",
            "active",
            f"stood down ({withdrawn} unsent withdrawn)",
        )
        logger.info("Inspection call %s stood down; %d unsent withdrawn", call.id, withdrawn)
        return withdrawn, queued

    async def status(
        self, session: AsyncSession, call: InspectionCall, notice: str | None = None
    ) -> dict[str, Any]:
        """The coordinator's status card as a message payload (text, template, context; see
        rendering.materialise), its context with a fingerprint of what it shows."""
        facts = await self.facts(session, call)
        counts = await calls.counts(session, call.id)
        # Only the names the card lists are loaded: this runs every few seconds.
        waiting = await calls.recipients(session, call.id, waiting_only=True, limit=LISTED_NAMES)
        alerts = counts.alerts
        installing = await calls.held_alerts(
            session, call.id, call.called_at + HELD_FOR_INSTALLATION, self.clock()
        )
        stood_down = None
        if call.status is CallStatus.STOOD_DOWN and call.stood_down_at is not None:
            by = await session.get(Staff, call.stood_down_by_id) if call.stood_down_by_id else None
            local = call.stood_down_at.astimezone(self.timezone)
            stood_down = f"Stood down at {local:%H:%M}" + (f" by {by.name}" if by else "")
        overall, by_team = summarise(
            call.called_at, await calls.acknowledgements(session, call.id)
        )
        figures = {
            "recipients": counts.recipients,
            "acknowledged": counts.acknowledged,
            "sent": alerts.get(OutboxStatus.SENT, 0),
            # Read receipts: only from people whose Teams sends them (their setting).
            "read": counts.read,
            "waiting_to_send": alerts.get(OutboxStatus.PENDING, 0)
            + alerts.get(OutboxStatus.SENDING, 0)
            - installing,
            # Held until the app is installed for them (see notifications/call_installs.py).
            "installing": installing,
            "failed": alerts.get(OutboxStatus.FAILED, 0),
            "unreachable": alerts.get(OutboxStatus.UNREACHABLE, 0),
            "fallback": status_facts(
                self.fallback,
                await call_fallbacks.counts(session, call.id) if self.fallback else {},
            ),
        }
        context = {
            **facts.context(),
            **figures,
            "active": call.status is CallStatus.ACTIVE,
            "stood_down": stood_down,
            "version_stamp": call.version,
            "updates_sent": call.updates_sent,
            "waiting": [_waiting_line(r) for r in waiting],
            "more_waiting": max(counts.recipients - counts.acknowledged - len(waiting), 0),
            "policy": _policy_text(self.policy) + policy_text(self.fallback, self.policy),
            "notice": notice,
            # How quickly people acknowledged, from the call: as soon as anyone has.
            "ack_times": overall.describe() if overall else None,
            "ack_times_by_team": [(t.group, t.describe()) for t in by_team],
        }
        shown = json.dumps(
            [figures, call.status.value, call.version, context["waiting"], context["ack_times"]]
        )
        context["fingerprint"] = hashlib.sha256(shown.encode()).hexdigest()[:32]
        text = (
            f"{counts.acknowledged} of {counts.recipients} have acknowledged the inspection call."
        )
        return {"text": text, "template": "call_status", "context": context}


async def bump_version(session: AsyncSession, call: InspectionCall, seen: int) -> bool:
    """Moves the call to its next version if the card pressed showed the current one."""
    return await calls.bump_version(session, call, seen)


def _waiting_line(row: calls.RecipientRow) -> str:
    state = {
        None: "not sent (withdrawn)",
        "pending": "sending",
        "sending": "sending",
        "sent": "sent",
        "failed": "could not be delivered",
        "unreachable": "cannot be reached in Teams",
    }.get(row.alert_status, row.alert_status or "")
    if row.alert_read_at is not None:
        state = "read, not acknowledged"
    role = f", {row.inspection_role}" if row.inspection_role else ""
    return f"{row.name}{role}: {state}"


def _policy_text(policy: ChasePolicy) -> str:
    minutes = int(policy.renotify_after.total_seconds() // 60)
    escalate = int(policy.escalate_after.total_seconds() // 60)
    return (
        f"People who have not acknowledged are reminded in Teams every {minutes} minutes, "
        f"and from {escalate} minutes their line managers are told, {policy.rounds} times "
        "at most: both only where the app can reach them."
    )


def _row(
    call: InspectionCall,
    key: str,
    recipient_id: int,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    # Everything about the call goes at once, whatever the hour.
    return outbox.new_row(key, recipient_id, kind, payload, now, urgent=True, call_id=call.id)


async def _new_keys(session: AsyncSession, keys: list[str]) -> bool:
    return len(await outbox.existing_keys(session, keys)) < len(keys)


async def _people(session: AsyncSession, ids: set[int]) -> dict[int, Staff]:
    return {p.id: p for p in await staff_repository.by_ids(session, ids)}


def _log(
    session: AsyncSession,
    actor: str,
    call: InspectionCall,
    field: str,
    old: str | None,
    new: str | None,
) -> None:
    audit_log.record_change(
        session,
        actor=actor,
        entity="inspection_call",
        key=str(call.id),
        field=field,
        old=old,
        new=new,
    )
