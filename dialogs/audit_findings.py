"""This module records what a completed audit found: the form, its checks, its follow-ups.

Completing an audit opens the form; saving it completes the audit, creates the follow-up
actions (improvement-plan actions, so reminders and "my actions" carry them), sends a
share of audits to a moderator, and tells the case's worker and their manager.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from cards.rendering import plain_text, render_card
from dialogs.ask_dialog import CardActionError
from dialogs.audit_form_values import FOLLOW_UP_SLOTS, MAX_TEXT, FormValues, form_fields, read_form
from dialogs.audit_moderation import ModerationViews, choose_moderator, sampled
from dialogs.people import Person
from dialogs.replies import Notice, Reply
from dialogs.work_changes import STALE_CARD, PermissionRefusedError, WorkChanges
from dialogs.work_dialog import back_of, version_of
from notifications.audit_form import AuditForm
from store.models import (
    Action,
    ActionStatus,
    AuditAssignment,
    AuditFinding,
    AuditModeration,
    AuditStatus,
    Staff,
)
from store.repositories import audit_log, findings, work
from store.repositories.staff import find_by_email

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

ONLY_AUDITOR = "only the auditor can record the findings of audit {ref}"


class AuditFindings:
    """The audit form and what saving it does."""

    def __init__(
        self,
        changes: WorkChanges,
        form: AuditForm,
        moderation: ModerationViews,
        timezone: ZoneInfo,
        moderation_share: int = 10,
    ) -> None:
        self.changes = changes
        self.form = form
        self.moderation = moderation
        self._timezone = timezone
        self._share = moderation_share

    async def open_form(
        self, session: AsyncSession, person: Person, data: dict[str, Any], today: date
    ) -> Reply:
        """The form for an audit its auditor is completing ("Record findings")."""
        audit = await self._own_open_audit(session, person, data)
        return Reply(card=self.form_card(audit, back_of(data)), refresh=True)

    def form_card(
        self,
        audit: AuditAssignment,
        back: dict[str, Any],
        values: dict[str, str] | None = None,
        problems: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        """The form, empty or refilled with what was typed and the problems with it."""
        return render_card(
            "audit_form",
            audit=audit,
            form=self.form,
            values=values or {},
            problems=problems,
            follow_up_slots=FOLLOW_UP_SLOTS,
            max_text=MAX_TEXT,
            version_stamp=version_of(audit),
            back=back,
        )

    async def record(
        self,
        session: AsyncSession,
        person: Person,
        data: dict[str, Any],
        today: date,
        now: datetime,
    ) -> Reply:
        """Saves the findings and completes the audit, or shows every problem and saves
        nothing."""
        audit = await self._own_open_audit(session, person, data)
        back = back_of(data)
        values = read_form(self.form, data, today)
        owners, owner_problems = await self._owners(session, values)
        problems = values.problems + owner_problems
        if problems:
            card = self.form_card(audit, back, form_fields(data), problems)
            return Reply(card=card, refresh=True)
        if not await work.take_version(session, audit):
            raise CardActionError(STALE_CARD)
        month = f"{now.astimezone(self._timezone):%Y-%m}"
        sequence = await findings.next_sequence(session, month)
        reason = self._moderation_reason(values.overall, sequence)
        finding = AuditFinding(
            audit_id=audit.id,
            month=month,
            month_sequence=sequence,
            grades=values.grades,
            overall=values.overall,
            strengths=values.strengths,
            development=values.development,
            child_voice=values.child_voice,
            equality_diversity=values.equality_diversity,
            completed_by_id=person.staff_id,
            completed_at=now,
            moderation_reason=reason,
        )
        session.add(finding)
        self._log(session, person, audit, "status", audit.status.value, "complete")
        self._log(session, person, audit, "findings", None, self._summary(values))
        audit.status = AuditStatus.COMPLETE
        audit.completed_at = now
        await session.flush()
        actions = await self._follow_ups(session, person, audit, finding, values, owners, today)
        notices = list(self._follow_up_notices(actions, audit))
        notice_text = f"Findings saved: overall {self.form.label(values.overall)}."
        if actions:
            notice_text += f" {len(actions)} follow-up action(s): " + ", ".join(
                a.ref for a in actions
            )
            notice_text += "."
        if reason is not None:
            moderation = await self._moderate(session, audit, finding)
            if moderation is None:
                notice_text += (
                    " It is due for moderation, but nobody who may moderate is independent "
                    "of the case (not its auditor, its worker or the worker's line manager): "
                    "it is recorded as awaiting a moderator and the coordinators are told."
                )
                notices += await self._awaiting_moderator_notices(session, person, audit)
            else:
                moderator = await session.get(Staff, moderation.moderator_id)
                name = moderator.name if moderator else "a moderator"
                notice_text += f" Sent for moderation to {name}."
                card = self.moderation.card(moderation, finding, audit)
                notices.append(Notice(moderation.moderator_id, name, Reply(card=card)))
        notices += await self._outcome_notices(session, person, audit, values, actions)
        detail = await self.changes.views.audit_detail(
            session, person, audit, today, notice=notice_text, back=back
        )
        return Reply(card=detail.card, notices=tuple(notices), refresh=True)

    def _moderation_reason(self, overall: str, sequence: int) -> str | None:
        # Every "Inadequate" is looked at again; the others by the month's sample.
        if overall == self.form.worst:
            return "inadequate"
        return "sample" if sampled(sequence, self._share) else None

    async def _moderate(
        self, session: AsyncSession, audit: AuditAssignment, finding: AuditFinding
    ) -> AuditModeration | None:
        candidates = await findings.moderators(session)
        moderator = choose_moderator(
            candidates,
            await self._not_independent(session, audit),
            await findings.pending_counts(session),
        )
        moderation = None
        chosen = "awaiting a moderator"
        if moderator is not None:
            moderation = AuditModeration(finding_id=finding.id, moderator_id=moderator.id)
            session.add(moderation)
            await session.flush()
            chosen = moderator.email
        audit_log.record_change(
            session,
            actor="system",
            entity="audit",
            key=audit.ref,
            field="moderator",
            old=None,
            new=f"{chosen} ({finding.moderation_reason})",
        )
        return moderation

    async def _not_independent(self, session: AsyncSession, audit: AuditAssignment) -> set[int]:
        """Who may not moderate this audit: its auditor, the case's worker and the worker's
        line manager (a moderator looks at the audit with fresh eyes)."""
        excluded = {audit.auditor_id}
        case = await findings.case_by_ref(session, audit.case_ref)
        if case is not None and case.worker_id is not None:
            excluded.add(case.worker_id)
            worker = await session.get(Staff, case.worker_id)
            if worker is not None and worker.manager_id is not None:
                excluded.add(worker.manager_id)
        return excluded

    async def _awaiting_moderator_notices(
        self, session: AsyncSession, person: Person, audit: AuditAssignment
    ) -> list[Notice]:
        """Each coordinator (other than the auditor, who is told in the reply) hears that an
        audit waits for a moderator nobody on the roster can be."""
        text = (
            f"Audit {plain_text(audit.ref)} is due for moderation, but nobody who may "
            "moderate is independent of the case (not its auditor, its worker or the "
            "worker's line manager). It is recorded as awaiting a moderator: give someone "
            "independent a moderator inspection role on the roster, or moderate it outside "
            "the bot."
        )
        return [
            Notice(coordinator.id, coordinator.name, Reply(text=text))
            for coordinator in await findings.coordinators(session)
            if coordinator.id != person.staff_id
        ]

    async def _owners(
        self, session: AsyncSession, values: FormValues
    ) -> tuple[dict[str, Staff], tuple[str, ...]]:
        owners: dict[str, Staff] = {}
        problems: list[str] = []
        for entry in values.follow_ups:
            if not entry.owner_email or "@" not in entry.owner_email:
                continue
            staff = await find_by_email(session, entry.owner_email)
            if staff is None:
                problems.append(
                    f"follow-up {entry.slot}: nobody on the roster has the email "
                    f"{entry.owner_email[:80]}"
                )
            else:
                owners[entry.owner_email] = staff
        return owners, tuple(problems)

    async def _follow_ups(
        self,
        session: AsyncSession,
        person: Person,
        audit: AuditAssignment,
        finding: AuditFinding,
        values: FormValues,
        owners: dict[str, Staff],
        today: date,
    ) -> list[Action]:
        created = []
        default_due = self.changes.views.calendar.add(today, self.form.follow_up_days)
        number = 0
        for entry in values.follow_ups:
            number += 1
            ref = f"{audit.ref}-F{number}"
            # An imported action may hold the ref already: the next free number is used.
            while await findings.action_ref_taken(session, ref):
                number += 1
                ref = f"{audit.ref}-F{number}"
            owner = owners[entry.owner_email]
            action = Action(
                ref=ref,
                priority_area=self.form.follow_up_area,
                description=entry.description,
                owner_id=owner.id,
                due_date=entry.due or default_due,
                status=ActionStatus.NOT_STARTED,
                evidence_required=f"Follow-up from audit {audit.ref}",
            )
            session.add(action)
            await session.flush()
            await findings.add_follow_up(session, finding.id, action.id)
            audit_log.record_change(
                session,
                actor=person.email or "unknown",
                entity="action",
                key=ref,
                field="created",
                old=None,
                new=f"follow-up from audit {audit.ref}, owner {owner.email}, "
                f"due {action.due_date.isoformat()}",
            )
            action.owner = owner
            created.append(action)
        return created

    def _follow_up_notices(self, actions: list[Action], audit: AuditAssignment) -> list[Notice]:
        return [
            Notice(
                action.owner_id,
                action.owner.name,
                Reply(
                    text=f"A follow-up action from audit {plain_text(audit.ref)} is yours: "
                    f"{plain_text(action.ref)}, {plain_text(action.description)}, due "
                    f"{action.due_date:%A %d %B %Y}. It is in 'my actions'."
                ),
            )
            for action in actions
            if action.owner_id != audit.auditor_id
        ]

    async def _outcome_notices(
        self,
        session: AsyncSession,
        person: Person,
        audit: AuditAssignment,
        values: FormValues,
        actions: list[Action],
    ) -> list[Notice]:
        """The case's worker and their line manager hear the outcome (not the auditor)."""
        case = await findings.case_by_ref(session, audit.case_ref)
        if case is None or case.worker_id is None:
            return []
        worker = await session.get(Staff, case.worker_id)
        if worker is None:
            return []
        people = [worker]
        if worker.manager_id is not None:
            manager = await session.get(Staff, worker.manager_id)
            if manager is not None:
                people.append(manager)
        grades = "; ".join(
            f"{domain.title}: {self.form.label(values.grades.get(domain.key))}"
            for domain in self.form.domains
        )
        follow = (
            " Follow-up actions: "
            + "; ".join(
                f"{a.ref} ({plain_text(a.owner.name)}, due {a.due_date:%d %b %Y})" for a in actions
            )
            + "."
            if actions
            else ""
        )
        text = (
            f"The {audit.audit_type.value} audit of case {plain_text(audit.case_ref)} "
            f"({plain_text(audit.ref)}) by {plain_text(person.display_name)} is complete. "
            f"Overall: {self.form.label(values.overall)}. {grades}. "
            f"Strengths: {plain_text(values.strengths)} "
            f"Areas for development: {plain_text(values.development)}{follow}"
        )
        return [Notice(p.id, p.name, Reply(text=text)) for p in people if p.id != audit.auditor_id]

    async def _own_open_audit(
        self, session: AsyncSession, person: Person, data: dict[str, Any]
    ) -> AuditAssignment:
        audit = await self.changes.audit(session, person, data, changing=True)
        if audit.auditor_id != person.staff_id:
            raise PermissionRefusedError(ONLY_AUDITOR.format(ref=plain_text(audit.ref)))
        if audit.status is AuditStatus.COMPLETE or await findings.finding_for(session, audit.id):
            raise CardActionError(f"audit {plain_text(audit.ref)} is complete already")
        return audit

    def _summary(self, values: FormValues) -> str:
        # Grades and flags only: the free text stays in the findings, not the log.
        grades = ", ".join(f"{k}={v}" for k, v in sorted(values.grades.items()))
        return (
            f"overall={values.overall}; {grades}; child_voice={values.child_voice}; "
            f"equality_diversity={values.equality_diversity}; "
            f"follow_ups={len(values.follow_ups)}"
        )

    def _log(
        self,
        session: AsyncSession,
        person: Person,
        audit: AuditAssignment,
        field: str,
        old: str | None,
        new: str | None,
    ) -> None:
        audit_log.record_change(
            session,
            actor=person.email or "unknown",
            entity="audit",
            key=audit.ref,
            field=field,
            old=old,
            new=new,
        )
