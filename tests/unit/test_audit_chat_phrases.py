"""The audit programme's chat phrases, the inspectors' case lists, and reading the form."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.audit_form_values import read_form
from dialogs.inspector_audits import parse_case_list
from dialogs.routing import Command, Intent, classify
from notifications.audit_form import AuditForm, Domain


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("audit report", Command(Intent.AUDIT_REPORT)),
        ("Audit reprot", Command(Intent.AUDIT_REPORT)),
        ("audit report 2026-10", Command(Intent.AUDIT_REPORT, "2026-10")),
        ("audits report for 2026-09", Command(Intent.AUDIT_REPORT, "2026-09")),
        ("inspection audits report", Command(Intent.INSPECTION_AUDITS_REPORT)),
        (
            "inspectors' cases: CR-1001, CR-1002",
            Command(Intent.INSPECTOR_CASES, "CR-1001, CR-1002"),
        ),
        ("Inspectors\u2019 cases CR-1", Command(Intent.INSPECTOR_CASES, "CR-1")),
        ("the inspector's case: CR-9", Command(Intent.INSPECTOR_CASES, "CR-9")),
        ("inspectors cases CR-1 CR-2", Command(Intent.INSPECTOR_CASES, "CR-1 CR-2")),
        # A question about the inspectors' cases is still a question.
        ("inspector's case tracking: how many cases?", Command(Intent.QUESTION)),
        ("inspectors cases tracked and sampled", Command(Intent.QUESTION)),
    ],
)
def test_phrases(text: str, command: Command) -> None:
    assert classify(text) == command


def test_a_pasted_list_keeps_its_order_once_each_and_names_what_is_not_a_ref() -> None:
    assert parse_case_list("cr-1001, CR-1002;CR-1001\nCR-1003") == (
        ["CR-1001", "CR-1002", "CR-1003"],
        [],
    )
    assert parse_case_list("CR-1, <script>, ok") == (["CR-1"], ["<script>", "ok"])
    # A name pasted by mistake is not a reference: it has no digit.
    assert parse_case_list("CR-1, Jayden Smith") == (["CR-1"], ["Jayden", "Smith"])


def test_a_domain_that_is_not_required_may_be_not_applicable() -> None:
    shipped = AuditForm.load()
    form = AuditForm(
        shipped.grades,
        (Domain("recording", "Recording", "ours", required=False),),
        "Audit follow-up",
        20,
    )
    data = {
        "grade_recording": "not_applicable",
        "overall": "good",
        "strengths": "a",
        "development": "b",
    }

    values = read_form(form, data, date(2026, 11, 25))

    assert values.problems == ()
    assert values.grades == {"recording": "not_applicable"}
    refused = read_form(
        shipped, {**data, "grade_assessment": "not_applicable"}, date(2026, 11, 25)
    )
    assert "Assessment of the child's needs and risks: that is not one of the grades" in (
        refused.problems
    )


def test_texts_too_long_and_past_dates_are_problems() -> None:
    form = AuditForm.load()
    data = {f"grade_{d.key}": "good" for d in form.domains} | {
        "overall": "good",
        "strengths": "x" * 2001,
        "development": "y",
        "follow_up_2": "Do it",
        "follow_up_2_owner": "a@b.gov.uk",
        "follow_up_2_due": "2026-11-01",
    }

    values = read_form(form, data, date(2026, 11, 25))

    assert values.problems == (
        "the strengths must be at most 2000 characters",
        "follow-up 2: the due date 01 Nov 2026 has passed",
    )
