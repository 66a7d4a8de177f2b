"""This module contains AuditForm: the grades and domains an auditor records, from a file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from notifications.errors import NotificationError

# Ofsted's scale has four points; the report's "good or better" needs them in order.
GRADE_COUNT = 4
NOT_APPLICABLE = "not_applicable"
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_DUE_WORKING_DAYS = 120


class AuditFormError(NotificationError):
    """The audit form file is missing or invalid; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Domain:
    """One area of practice graded separately; `source` says where it comes from."""

    key: str
    title: str
    source: str
    required: bool = True


@dataclass(frozen=True, slots=True)
class AuditForm:
    """The grades (best first), the domains, and where follow-up actions go."""

    grades: tuple[tuple[str, str], ...]
    domains: tuple[Domain, ...]
    follow_up_area: str
    follow_up_days: int

    @classmethod
    def load(cls, path: Path | None = None) -> AuditForm:
        """The form in `path`, or the shipped one.

        Raises:
            AuditFormError: the file cannot be read or breaks the format (named).
        """
        where = str(path) if path is not None else "the shipped audit form"
        try:
            text = (
                path.read_text(encoding="utf-8")
                if path is not None
                else (resources.files("notifications") / "audit_form.yaml").read_text("utf-8")
            )
            data = yaml.safe_load(text)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise AuditFormError(f"cannot read the audit form {where}: {exc}") from exc
        if not isinstance(data, dict):
            raise AuditFormError(f"{where}: give grades, domains and follow_up (see the example)")
        grades = _grades(data.get("grades"), where)
        domains = _domains(data.get("domains"), where)
        area, days = _follow_up(data.get("follow_up"), where)
        return cls(grades, domains, area, days)

    @property
    def grade_keys(self) -> tuple[str, ...]:
        """The grades' keys, best first."""
        return tuple(key for key, _ in self.grades)

    def label(self, grade: str | None) -> str:
        """A grade's words ("Requires improvement to be good"), or "Not applicable"."""
        if grade == NOT_APPLICABLE or grade is None:
            return "Not applicable"
        return dict(self.grades).get(grade, grade)

    def good_or_better(self, grade: str | None) -> bool:
        """Whether a grade is one of the top two of the four."""
        return grade in self.grade_keys[:2]

    @property
    def worst(self) -> str:
        """The lowest grade (Inadequate), which always goes to moderation."""
        return self.grade_keys[-1]

    def domain(self, key: str) -> Domain | None:
        """The domain with this key, if the form still has it."""
        return next((d for d in self.domains if d.key == key), None)


def _grades(raw: Any, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list) or len(raw) != GRADE_COUNT:
        raise AuditFormError(
            f"{where}: grades must list the {GRADE_COUNT} points of Ofsted's scale, best "
            "first, each as `key: words`"
        )
    grades = []
    for item in raw:
        if not isinstance(item, dict) or len(item) != 1:
            raise AuditFormError(f"{where}: each grade is one `key: words` line, got {item!r}")
        [(key, words)] = item.items()
        if not isinstance(key, str) or not _KEY.match(key) or key == NOT_APPLICABLE:
            raise AuditFormError(f"{where}: grade key {key!r} must be lower_case_words")
        if not isinstance(words, str) or not words.strip():
            raise AuditFormError(f"{where}: grade {key} needs its words")
        grades.append((key, words.strip()))
    if len({key for key, _ in grades}) != len(grades):
        raise AuditFormError(f"{where}: each grade needs a key of its own")
    return tuple(grades)


def _domains(raw: Any, where: str) -> tuple[Domain, ...]:
    if not isinstance(raw, list) or not raw:
        raise AuditFormError(f"{where}: domains must list at least one domain")
    domains: list[Domain] = []
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise AuditFormError(f"{where}: domain {n} must have key, title and source")
        key, title, source = item.get("key"), item.get("title"), item.get("source")
        if not isinstance(key, str) or not _KEY.match(key):
            raise AuditFormError(f"{where}: domain {n}: key must be lower_case_words")
        if any(d.key == key for d in domains):
            raise AuditFormError(f"{where}: domain {key} is listed twice")
        for name, value in (("title", title), ("source", source)):
            if not isinstance(value, str) or not value.strip():
                raise AuditFormError(f"{where}: domain {key} needs its {name}")
        required = item.get("required", True)
        if not isinstance(required, bool):
            raise AuditFormError(f"{where}: domain {key}: required must be true or false")
        domains.append(Domain(key, str(title).strip(), str(source).strip(), required))
    return tuple(domains)


def _follow_up(raw: Any, where: str) -> tuple[str, int]:
    if not isinstance(raw, dict):
        raise AuditFormError(f"{where}: follow_up needs priority_area and due_working_days")
    area, days = raw.get("priority_area"), raw.get("due_working_days")
    if not isinstance(area, str) or not area.strip() or len(area) > 200:
        raise AuditFormError(f"{where}: follow_up.priority_area must be a short name")
    if (
        isinstance(days, bool)
        or not isinstance(days, int)
        or not 1 <= days <= MAX_DUE_WORKING_DAYS
    ):
        raise AuditFormError(
            f"{where}: follow_up.due_working_days must be a whole number from 1 to "
            f"{MAX_DUE_WORKING_DAYS}, got {days!r}"
        )
    return area.strip(), days
