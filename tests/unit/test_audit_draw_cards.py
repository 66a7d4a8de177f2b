"""The draw's cards and messages show names and case references exactly as imported,
never as links or formatting."""

from __future__ import annotations

from datetime import date

from cards.rendering import materialise, render_card
from dialogs.draw_dialog import preview_context
from notifications.audit_allocation import Allocation, Auditor, CaseToAllocate, Unallocated
from notifications.audit_draw import DrawPlan, DrawRequest, DrawRules
from notifications.audit_draw_messages import messages_for
from notifications.audit_sampling import CaseCandidate, DrawnCase, Sample, Stratum
from store.models import AuditStatus, AuditType, Staff, StaffRole
from tests.unit.test_card_text_safety import (
    HOSTILE_NAME,
    assert_only_escaped,
    assert_plain_message,
)

CASE = "CR-1*2*"
LEFT = "CR-9_9_"


def plan() -> DrawPlan:
    auditor = Auditor(1, 2, frozenset({7}), frozenset({4}))
    case = CaseToAllocate(CASE, 8, 2, enhanced=True)
    left = CaseToAllocate(LEFT, 8, 2, enhanced=False)
    people = {
        1: Staff(id=1, name=HOSTILE_NAME, email="hos@example.com", role=StaffRole.MANAGER),
        2: Staff(
            id=2,
            name=HOSTILE_NAME,
            email="sw@example.com",
            role=StaffRole.PRACTITIONER,
            manager_id=3,
        ),
        3: Staff(id=3, name="Team Manager", email="tm@example.com", role=StaffRole.MANAGER),
    }
    return DrawPlan(
        request=DrawRequest("2027-01", 2, 50, 11),
        rules=DrawRules(),
        due_date=date(2027, 1, 29),
        open_cases=2,
        sample=Sample(
            (
                DrawnCase(CaseCandidate(CASE, "child in need", 8, 2), True),
                DrawnCase(CaseCandidate(LEFT, "child in need", 8, 2), False),
            ),
            (Stratum("child in need", 8, 2, 2),),
            0,
            0,
        ),
        allocation=Allocation(((case, auditor),), ((left, Unallocated.EVERY_AUDITOR_AT_CAP),)),
        tiers={1: 2},
        people=people,
        teams={8: "Assessment"},
        existing=None,
    )


def test_the_preview_shows_case_references_and_auditors_plain() -> None:
    card = render_card("audit_draw_preview", **preview_context(plan(), None, None))

    assert_only_escaped(card, CASE, LEFT, HOSTILE_NAME)


def test_the_assignment_and_booking_messages_are_plain() -> None:
    row = {
        "ref": "AUD-2027-01-001",
        "case_ref": CASE,
        "audit_type": AuditType.ENHANCED,
        "auditor_id": 1,
        "due_date": date(2027, 1, 29),
        "status": AuditStatus.ASSIGNED,
        "completed_at": None,
    }

    messages = messages_for(plan(), [row], {"AUD-2027-01-001": 9})

    assert [(m.kind, m.staff_id) for m in messages] == [
        ("audit_assigned", 1),
        ("enhanced_audit_booking", 2),
        ("enhanced_audit_booking", 3),
    ]
    for message in messages:
        sent = materialise(message.payload)
        assert_only_escaped(sent["card"], CASE, HOSTILE_NAME)
        assert_plain_message(sent["text"], CASE)
    assert materialise(messages[0].payload)["card"]["actions"][0]["data"] == {
        "action": "open_item",
        "kind": "audit",
        "id": 9,
    }
