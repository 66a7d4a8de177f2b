"""This module is audit moderation: which audits are sampled, who moderates, the decision.

The sample is deterministic and fair: each month's completed audits are numbered in the
order they are completed, and with a share of p% the 1st, and then each audit that takes the
running count of p% of completions to a new whole number, is sampled (10%: the 1st, 11th,
21st ...). Every audit graded "Inadequate" overall is moderated as well. The moderator is
whoever may moderate (coordinators, and staff whose inspection role says "moderator") with
the fewest moderations waiting, independent of the case: never its auditor, its worker or
the worker's line manager; ties go to the longest on the roster. When nobody independent is
left, the audit is recorded as awaiting a moderator and the coordinators are told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cards.rendering import plain_text, render_card
from dialogs.ask_dialog import CardActionError
from dialogs.card_data import parse_id
from dialogs.people import Person
from dialogs.policy import NO_ITEM
from dialogs.replies import Notice, Reply
from dialogs.work_changes import PermissionRefusedError
from notifications.audit_form import NOT_APPLICABLE, AuditForm
from store.models import AuditAssignment, AuditFinding, AuditModeration, ModerationStatus, Staff
from store.repositories import audit_log, findings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

MAX_REASON = 1000
MAX_LISTED = 20
REASONS = {"sample": "in this month's moderation sample", "inadequate": "graded Inadequate"}


def sampled(sequence: int, share: int) -> bool:
    """Whether the month's `sequence`-th completed audit is in a `share`% sample."""
    # ceil(n * share / 100) in whole numbers: it steps up at the 1st, then every 100/share.
    return (sequence * share + 99) // 100 > ((sequence - 1) * share + 99) // 100


def choose_moderator(
    candidates: list[Staff], not_independent: set[int], pending: dict[int, int]
) -> Staff | None:
    """The candidate with the fewest moderations waiting who is independent of the case
    (not in `not_independent`: its auditor, its worker, the worker's line manager)."""
    eligible = [c for c in candidates if c.id not in not_independent]
    if not eligible:
        return None
    return min(eligible, key=lambda c: (pending.get(c.id, 0), c.id))


@dataclass(frozen=True, slots=True)
class DomainRow:
    """A domain on the moderation card: its title, the grade shown and the choices."""

    key: str
    title: str
    label: str
    value: str
    choices: tuple[tuple[str, str], ...]


class ModerationViews:
    """The moderation card and the moderator's decision."""

    def __init__(self, form: AuditForm) -> None:
        self.form = form

    def card(
        self,
        moderation: AuditModeration,
        finding: AuditFinding,
        audit: AuditAssignment,
        outcome: str | None = None,
        problem: str | None = None,
    ) -> dict[str, Any]:
        """The card a moderator decides on; with `outcome`, the decided version."""
        grades = moderation.grades if outcome and moderation.grades else finding.grades
        rows = []
        for domain in self.form.domains:
            value = grades.get(domain.key, NOT_APPLICABLE)
            choices = self.form.grades + (
                () if domain.required else ((NOT_APPLICABLE, "Not applicable"),)
            )
            rows.append(
                DomainRow(domain.key, domain.title, self.form.label(value), value, choices)
            )
        overall = moderation.overall if outcome and moderation.overall else finding.overall
        return render_card(
            "audit_moderation",
            moderation=moderation,
            finding=finding,
            audit=audit,
            rows=rows,
            grades=self.form.grades,
            overall_label=self.form.label(overall),
            why=REASONS.get(finding.moderation_reason or "", "sent for moderation"),
            outcome=outcome,
            problem=problem,
        )

    async def pending_list(self, session: AsyncSession, person: Person) -> Reply:
        """ "my moderations": the audits waiting for this person's moderation."""
        if person.staff_id is None:
            return Reply(text="You are not on the roster, so you have nothing to moderate.")
        waiting = await findings.pending_for(session, person.staff_id)
        if not waiting:
            return Reply(text="No audits are waiting for your moderation.")
        rows = [
            (
                f"{m.finding.audit.ref}: case {m.finding.audit.case_ref}, overall "
                f"{self.form.label(m.finding.overall)}",
                {"action": "open_moderation", "moderation": m.id},
            )
            for m in waiting[:MAX_LISTED]
        ]
        more = len(waiting) - len(rows)
        return Reply(card=render_card("moderation_list", rows=rows, total=len(waiting), more=more))

    async def open(self, session: AsyncSession, person: Person, data: dict[str, Any]) -> Reply:
        """The moderation card again, for its moderator."""
        moderation = await self._moderation(session, person, data)
        finding = moderation.finding
        if moderation.status is not ModerationStatus.PENDING:
            outcome = f"Moderated already: {moderation.status.value}."
            return Reply(card=self.card(moderation, finding, finding.audit, outcome=outcome))
        return Reply(card=self.card(moderation, finding, finding.audit))

    async def _moderation(
        self, session: AsyncSession, person: Person, data: dict[str, Any]
    ) -> AuditModeration:
        moderation_id = parse_id(data.get("moderation"))
        moderation = (
            await findings.moderation_by_id(session, moderation_id)
            if moderation_id is not None
            else None
        )
        if moderation is None:
            raise CardActionError(NO_ITEM)
        if person.staff_id != moderation.moderator_id:
            raise PermissionRefusedError(
                f"only the moderator audit {plain_text(moderation.finding.audit.ref)} was "
                "sent to can moderate it"
            )
        return moderation

    async def decide(
        self, session: AsyncSession, person: Person, data: dict[str, Any], now: datetime
    ) -> Reply:
        """The moderator agrees, or changes grades with a reason; the auditor is told."""
        moderation = await self._moderation(session, person, data)
        finding, audit = moderation.finding, moderation.finding.audit
        if moderation.status is not ModerationStatus.PENDING:
            raise CardActionError(f"this audit was moderated already ({moderation.status.value})")
        decision = data.get("decision")
        if decision == "agree":
            grades, overall = dict(finding.grades), finding.overall
            status = ModerationStatus.AGREED
        elif decision == "change":
            grades, overall, problem = self._changed(data, finding)
            if problem is not None:
                card = self.card(moderation, finding, audit, problem=problem)
                return Reply(card=card, refresh=True)
            status = ModerationStatus.CHANGED
        else:
            raise CardActionError("choose Agree or Change grades")
        reason = str(data.get("reason") or "").strip()[:MAX_REASON] or None
        if not await findings.settle_moderation(
            session, moderation, status, grades, overall, reason, now
        ):
            raise CardActionError("this audit has just been moderated")
        await session.refresh(moderation)
        audit_log.record_change(
            session,
            actor=person.email or "unknown",
            entity="audit",
            key=audit.ref,
            field="moderation",
            old="pending",
            new=status.value
            + ("" if status is ModerationStatus.AGREED else f": overall={overall}, {grades}"),
        )
        outcome = self._outcome(status, finding, grades, overall, reason, person)
        told = Reply(
            text=f"Moderation of your audit {plain_text(audit.ref)}: {plain_text(outcome)}"
        )
        notices = (Notice(audit.auditor_id, audit.auditor.name, told),)
        card = self.card(moderation, finding, audit, outcome=outcome)
        return Reply(card=card, notices=notices, refresh=True)

    def _changed(
        self, data: dict[str, Any], finding: AuditFinding
    ) -> tuple[dict[str, str], str, str | None]:
        grades: dict[str, str] = {}
        for domain in self.form.domains:
            value = str(data.get(f"grade_{domain.key}") or "").strip()
            allowed = self.form.grade_keys + (() if domain.required else (NOT_APPLICABLE,))
            if value not in allowed:
                return {}, "", f"choose a grade for {domain.title}"
            grades[domain.key] = value
        overall = str(data.get("overall") or "").strip()
        if overall not in self.form.grade_keys:
            return {}, "", "choose the overall grade"
        if grades == finding.grades and overall == finding.overall:
            return {}, "", "no grade was changed; press Agree if you agree"
        if not str(data.get("reason") or "").strip():
            return {}, "", "say why you changed the grade"
        return grades, overall, None

    def _outcome(
        self,
        status: ModerationStatus,
        finding: AuditFinding,
        grades: dict[str, str],
        overall: str,
        reason: str | None,
        person: Person,
    ) -> str:
        if status is ModerationStatus.AGREED:
            return f"{person.display_name} agreed with the grades." + (
                f" Note: {reason}" if reason else ""
            )
        changes = [
            f"{d.title}: {self.form.label(finding.grades.get(d.key))} to "
            f"{self.form.label(grades.get(d.key))}"
            for d in self.form.domains
            if finding.grades.get(d.key) != grades.get(d.key)
        ]
        if overall != finding.overall:
            changes.append(
                f"Overall: {self.form.label(finding.overall)} to {self.form.label(overall)}"
            )
        return f"{person.display_name} changed {'; '.join(changes)}. Reason: {reason}"
