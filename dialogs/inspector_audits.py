"""This module allocates the cases the inspectors ask to see audited, during the call.

While an inspection call is active a coordinator pastes the inspectors' list ("inspectors'
cases: CR-1001, CR-1002"). Each known case is allocated at once by the audit programme's
own rules (notifications/audit_allocation.py: never the case's worker, their manager or
a manager of its team; the least busy first), with no monthly cap, since the inspectors'
audits come first. Each becomes an "inspection" audit due today; its auditor is told at
once, even outside working hours, as the call's messages are. A status card shows each
audit assigned, started or complete.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from cards.rendering import plain_text
from dialogs.ask_dialog import CardActionError
from dialogs.card_data import parse_id
from dialogs.people import Person
from dialogs.policy import NO_CALL
from dialogs.replies import Reply
from notifications.audit_allocation import (
    CaseToAllocate,
    allocate,
    auditors_from_roster,
)
from notifications.audit_allocation import (
    Person as RosterPerson,
)
from notifications.inspector_audits_card import audits_card
from notifications.notices import Notice, queue_notices
from store.importers.validation import CASE_REFERENCE
from store.models import AuditAssignment, AuditStatus, AuditType, InspectionCall
from store.repositories import audit_log, call_audits, calls, draws, findings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

MAX_CASES = 60
# As the import files have them: a name, which has no digit, is never taken for one.
MAX_REFERENCE = 64
_SEPARATORS = re.compile(r"[\s,;]+")
NO_ACTIVE_CALL = (
    "There is no inspection call in progress. The inspectors' cases are allocated only "
    "while a call is active; start it with 'inspection call'."
)
HOW = "Paste the inspectors' list after the colon: \"inspectors' cases: CR-1001, CR-1002\"."


def parse_case_list(text: str) -> tuple[list[str], list[str]]:
    """The case references in a pasted list, in order, each once; and what is not one."""
    refs: list[str] = []
    bad: list[str] = []
    for part in _SEPARATORS.split(text.strip()):
        if not part:
            continue
        word = part.strip().upper()
        if len(word) > MAX_REFERENCE or not CASE_REFERENCE.match(word):
            bad.append(part[:40])
        elif word not in refs:
            refs.append(word)
    return refs, bad


class InspectorAudits:
    """The inspectors' cases: allocating them and their status card."""

    async def request(
        self, session: AsyncSession, person: Person, text: str, today: date, now: datetime
    ) -> Reply:
        """Allocates each known case in the list; says which refs are unknown."""
        call = await calls.active_call(session)
        if call is None:
            return Reply(text=NO_ACTIVE_CALL)
        refs, bad = parse_case_list(text)
        if bad:
            shown = ", ".join(f"'{plain_text(b)}'" for b in bad[:5])
            return Reply(
                text=f"These are not case references: {shown}. Nothing was allocated. {HOW}"
            )
        if not refs:
            return Reply(text=f"I did not find any case references. {HOW}")
        if len(refs) > MAX_CASES:
            return Reply(
                text=f"That is {len(refs)} cases; I can allocate up to {MAX_CASES} at a time. "
                "Nothing was allocated; please paste them in parts."
            )
        known = await findings.cases_by_refs(session, refs)
        requested = {a.case_ref for a in await call_audits.audits_of(session, call.id)}
        unknown = [r for r in refs if r not in known]
        repeated = [r for r in refs if r in known and r in requested]
        wanted = [known[r] for r in refs if r in known and r not in requested]
        roster = [RosterPerson(*row) for row in await draws.line_management(session)]
        loads = await draws.audits_due_between(session, today, today)
        to_allocate = [CaseToAllocate(c.case_ref, c.team_id, c.worker_id, False) for c in wanted]
        # No cap: the inspectors' audits come before the month's; the least busy go first.
        allocation = allocate(
            to_allocate,
            auditors_from_roster(roster, loads),
            cap=len(to_allocate) + max(loads.values(), default=0) + 1,
            seed=call.id,
        )
        notices = []
        created = []
        number = await call_audits.count(session, call.id)
        for case, auditor in allocation.assignments:
            number += 1
            ref = f"INSP-{call.id}-{number:03d}"
            while await call_audits.ref_taken(session, ref):
                number += 1
                ref = f"INSP-{call.id}-{number:03d}"
            audit = AuditAssignment(
                ref=ref,
                case_ref=case.case_ref,
                audit_type=AuditType.INSPECTION,
                auditor_id=auditor.staff_id,
                due_date=today,
                status=AuditStatus.ASSIGNED,
            )
            session.add(audit)
            await session.flush()
            await call_audits.add(session, call.id, audit, person.staff_id)
            audit_log.record_change(
                session,
                actor=person.email or "unknown",
                entity="audit",
                key=ref,
                field="created",
                old=None,
                new=f"inspectors' case {case.case_ref} for call {call.id}, auditor "
                f"{auditor.staff_id}, due {today.isoformat()}",
            )
            created.append(audit)
        for audit in created:
            notices.append(
                Notice(
                    audit.auditor_id,
                    f"Urgent: the inspectors have asked for an audit of case "
                    f"{plain_text(audit.case_ref)} today. It is yours: audit "
                    f"{plain_text(audit.ref)}, due today. Open it in 'my audits', start it, "
                    "and record the findings when you are done.",
                    None,
                )
            )
        # Queued with the audits, as urgent outbox rows: they go at once, whatever the hour.
        unreachable = await queue_notices(session, notices, now)
        people = await draws.people_by_id(session, unreachable)
        summary = [f"Allocated {len(created)} of the inspectors' cases, each due today."]
        if unknown:
            summary.append(
                "Not on the cases list, so not allocated: "
                + ", ".join(plain_text(r) for r in unknown)
                + "."
            )
        if repeated:
            summary.append("Already asked for in this call: " + ", ".join(repeated) + ".")
        for case, reason in allocation.unallocated:
            summary.append(f"{plain_text(case.case_ref)} has no auditor: {reason.value}.")
        if people:
            names = ", ".join(plain_text(p.name) for p in people.values())
            summary.append(f"Not reachable in Teams, so tell them yourself: {names}.")
        card = await self.status_card(session, call, notice=" ".join(summary))
        # Sent as a message of its own, so that it can be refreshed in place as audits start
        # and finish (notifications/call_watch.py).
        status = Reply(text="The inspectors' cases", card=card, audits_card_of_call=call.id)
        return Reply(text=" ".join(summary), follow_up=status, urgent_queued=bool(notices))

    async def status(self, session: AsyncSession, data: dict[str, Any]) -> Reply:
        """The status card again, as things stand ("Refresh")."""
        call_id = parse_id(data.get("call"))
        call = await session.get(InspectionCall, call_id) if call_id is not None else None
        if call is None:
            raise CardActionError(NO_CALL)
        return Reply(card=await self.status_card(session, call), refresh=True)

    async def status_card(
        self, session: AsyncSession, call: InspectionCall, notice: str | None = None
    ) -> dict[str, Any]:
        """Each requested audit: its case, ref, auditor and whether it is assigned,
        started or complete."""
        card, _ = await audits_card(session, call, notice)
        return card
