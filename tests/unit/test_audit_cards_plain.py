"""The audit programme's cards show what people typed, and names from files, as plain text."""

from __future__ import annotations

from datetime import date

from cards.rendering import render_card
from dialogs.audit_moderation import ModerationViews
from notifications.audit_form import AuditForm
from notifications.inspector_audits_card import StatusRow
from store.models import (
    AuditAssignment,
    AuditFinding,
    AuditModeration,
    AuditStatus,
    AuditType,
    ModerationStatus,
    Staff,
    StaffRole,
)
from tests.unit.test_card_text_safety import HOSTILE, HOSTILE_NAME, assert_only_escaped

FORM = AuditForm.load()


def audit() -> AuditAssignment:
    row = AuditAssignment(
        id=5,
        ref="AU-1 [x](https://evil.example)",
        case_ref="C-**1**",
        audit_type=AuditType.MONTHLY,
        due_date=date(2026, 11, 25),
        status=AuditStatus.COMPLETE,
    )
    row.auditor = Staff(id=4, name=HOSTILE_NAME, email="a@x.gov.uk", role=StaffRole.MANAGER)
    return row


def test_the_moderation_card_shows_the_findings_plain() -> None:
    finding = AuditFinding(
        id=1,
        grades={d.key: "good" for d in FORM.domains},
        overall="good",
        strengths=HOSTILE,
        development=HOSTILE,
        child_voice=True,
        equality_diversity=False,
        moderation_reason="sample",
    )
    moderation = AuditModeration(id=2, finding_id=1, moderator_id=3)
    views = ModerationViews(FORM)

    pending = views.card(moderation, finding, audit())
    moderation.status = ModerationStatus.CHANGED
    decided = views.card(moderation, finding, audit(), outcome=f"{HOSTILE_NAME} agreed.")

    for card in (pending, decided):
        assert_only_escaped(
            card, HOSTILE, HOSTILE_NAME, "C-**1**", "AU-1 [x](https://evil.example)"
        )


def test_the_form_and_the_inspectors_card_show_names_and_problems_plain() -> None:
    form = render_card(
        "audit_form",
        audit=audit(),
        form=FORM,
        values={},
        problems=[f"follow-up 1: nobody on the roster has the email {HOSTILE_NAME}"],
        follow_up_slots=3,
        max_text=2000,
        version_stamp="v",
        back={},
    )
    status = render_card(
        "inspection_audits",
        rows=[StatusRow("C-**1**", "INSP-1-001", HOSTILE_NAME, "assigned")],
        counts={"assigned": 1, "started": 0, "complete": 0},
        call_id=1,
        drill=False,
        notice=f"Not reachable in Teams, so tell them yourself: {HOSTILE_NAME}.",
    )

    assert_only_escaped(form, HOSTILE_NAME, "C-**1**")
    assert_only_escaped(status, HOSTILE_NAME, "C-**1**")
