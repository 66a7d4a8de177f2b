"""This module reads a submitted audit form: grades, texts, flags and follow-up actions.

Every problem is collected, so the auditor sees them all at once on the refilled form and
nothing is saved until the form is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from notifications.audit_form import NOT_APPLICABLE, AuditForm

FOLLOW_UP_SLOTS = 3
MAX_TEXT = 2000
MAX_FOLLOW_UP = 500
# Further ahead than this a follow-up date is a typing mistake, not a plan.
MAX_FOLLOW_UP_AHEAD = timedelta(days=366)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class FollowUpEntry:
    """One follow-up action as typed: what, whose (an email) and when (None: the default)."""

    slot: int
    description: str
    owner_email: str
    due: date | None


@dataclass(frozen=True, slots=True)
class FormValues:
    """A submitted form, read; `problems` is empty when it can be saved."""

    grades: dict[str, str]
    overall: str
    strengths: str
    development: str
    child_voice: bool
    equality_diversity: bool
    follow_ups: tuple[FollowUpEntry, ...]
    problems: tuple[str, ...]


def read_form(form: AuditForm, data: dict[str, Any], today: date) -> FormValues:
    """The form's values from a card submission, with every problem found."""
    problems: list[str] = []
    grades: dict[str, str] = {}
    for domain in form.domains:
        value = _text(data, f"grade_{domain.key}")
        allowed = form.grade_keys + (() if domain.required else (NOT_APPLICABLE,))
        if not value:
            problems.append(f"choose a grade for {domain.title}")
        elif value not in allowed:
            problems.append(f"{domain.title}: that is not one of the grades")
        else:
            grades[domain.key] = value
    overall = _text(data, "overall")
    if not overall:
        problems.append("choose the overall grade")
    elif overall not in form.grade_keys:
        problems.append("the overall grade is not one of the grades")
    strengths = _text(data, "strengths")
    development = _text(data, "development")
    for value, what in ((strengths, "strengths"), (development, "areas for development")):
        if not value:
            problems.append(f"say what the {what} are")
        elif len(value) > MAX_TEXT:
            problems.append(f"the {what} must be at most {MAX_TEXT} characters")
    follow_ups = []
    for slot in range(1, FOLLOW_UP_SLOTS + 1):
        entry = _follow_up(data, slot, today, problems)
        if entry is not None:
            follow_ups.append(entry)
    return FormValues(
        grades,
        overall,
        strengths,
        development,
        _flag(data, "child_voice"),
        _flag(data, "equality_diversity"),
        tuple(follow_ups),
        tuple(problems),
    )


def form_fields(data: dict[str, Any]) -> dict[str, str]:
    """What was typed, to refill the form with; only the form's own fields, as text."""
    return {
        key: str(value)[:MAX_TEXT]
        for key, value in data.items()
        if isinstance(value, str | int)
        and not isinstance(value, bool)
        and key.startswith(
            ("grade_", "overall", "strengths", "development", "child_voice", "equality", "follow")
        )
    }


def _follow_up(
    data: dict[str, Any], slot: int, today: date, problems: list[str]
) -> FollowUpEntry | None:
    description = _text(data, f"follow_up_{slot}")
    owner = _text(data, f"follow_up_{slot}_owner").lower()
    due_text = _text(data, f"follow_up_{slot}_due")
    if not (description or owner or due_text):
        return None
    name = f"follow-up {slot}"
    if not description:
        problems.append(f"{name}: say what needs doing")
    elif len(description) > MAX_FOLLOW_UP:
        problems.append(f"{name}: at most {MAX_FOLLOW_UP} characters")
    if not owner:
        problems.append(f"{name}: give the owner's email address")
    elif not _EMAIL.match(owner):
        problems.append(f"{name}: '{owner[:80]}' is not an email address")
    due = None
    if due_text:
        try:
            due = date.fromisoformat(due_text)
        except ValueError:
            problems.append(f"{name}: '{due_text[:40]}' is not a date (YYYY-MM-DD)")
        else:
            if due < today:
                problems.append(f"{name}: the due date {due:%d %b %Y} has passed")
            elif due > today + MAX_FOLLOW_UP_AHEAD:
                problems.append(f"{name}: the due date must be within a year")
    return FollowUpEntry(slot, description, owner, due)


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def _flag(data: dict[str, Any], name: str) -> bool:
    value = data.get(name)
    return value is True or (isinstance(value, str) and value.strip().lower() in ("yes", "true"))
