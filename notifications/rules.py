"""This module contains ReminderRules, read from the shipped rules file or a council's own."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from notifications.errors import RulesError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


@dataclass(frozen=True, slots=True)
class ReminderRules:
    """How many working days before and after a deadline people are reminded."""

    before_due: tuple[int, ...] = (5,)
    on_due_date: bool = True
    overdue_every: int = 5
    escalate_after: int = 5
    event_before: tuple[int, ...] = (10, 5, 1)
    digest_weekday: int = 0  # Monday

    @classmethod
    def load(cls, path: Path | None = None) -> ReminderRules:
        """The rules in `path`, or the shipped defaults.

        Raises:
            RulesError: the file is missing, not YAML, or has a bad value (named).
        """
        try:
            text = (
                path.read_text(encoding="utf-8")
                if path is not None
                else (resources.files("notifications") / "rules.yaml").read_text(encoding="utf-8")
            )
            data = yaml.safe_load(text)
        except (OSError, yaml.YAMLError) as exc:
            raise RulesError(f"cannot read the reminder rules: {exc}") from exc
        if not isinstance(data, dict):
            raise RulesError("the reminder rules must be a mapping (see notifications/rules.yaml)")
        items = _section(data, "items")
        events = _section(data, "events")
        digest = _section(data, "digest")
        weekday = str(digest.get("weekday", "monday")).lower()
        if weekday not in WEEKDAYS:
            raise RulesError(f"digest.weekday must be a working weekday, got {weekday!r}")
        return cls(
            before_due=_days(items, "before_due", "items"),
            on_due_date=bool(items.get("on_due_date", True)),
            overdue_every=_positive(items, "overdue_every", "items"),
            escalate_after=_positive(items, "escalate_after", "items"),
            event_before=_days(events, "before", "events"),
            digest_weekday=WEEKDAYS.index(weekday),
        )


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise RulesError(f"{name} must be a mapping")
    return section


def _days(section: dict[str, Any], key: str, name: str) -> tuple[int, ...]:
    value = section.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, int) and v > 0 for v in value):
        raise RulesError(f"{name}.{key} must be a list of whole numbers of working days")
    return tuple(sorted(set(value), reverse=True))


def _positive(section: dict[str, Any], key: str, name: str) -> int:
    value = section.get(key)
    if not isinstance(value, int) or value <= 0:
        raise RulesError(f"{name}.{key} must be a whole number of working days above 0")
    return value
