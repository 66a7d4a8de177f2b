"""This module contains Playbook: each inspection role's first tasks after the call, dated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cards.call_messages import DatedTask
from knowledge.working_days import WorkingDays
from notifications.errors import NotificationError


class PlaybookError(NotificationError):
    """The playbook file is missing or invalid; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Task:
    """One task in the playbook; `due` is in working days after the call."""

    title: str
    due: int
    types: frozenset[str] | None = None


class Playbook:
    """Tasks per inspection role (and for everyone without one), per inspection type."""

    def __init__(
        self, types: dict[str, str], general: list[Task], roles: dict[str, list[Task]]
    ) -> None:
        self.types = types
        self._general = general
        self._roles = {name.lower(): tasks for name, tasks in roles.items()}

    @classmethod
    def load(cls, path: Path | None = None) -> Playbook:
        """The playbook in `path`, or the shipped example.

        Raises:
            PlaybookError: the file cannot be read or breaks the format (named).
        """
        try:
            text = (
                path.read_text(encoding="utf-8")
                if path is not None
                else (resources.files("notifications") / "playbook.yaml").read_text("utf-8")
            )
            data = yaml.safe_load(text)
        except (OSError, yaml.YAMLError) as exc:
            raise PlaybookError(f"cannot read the playbook: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("types"), dict):
            raise PlaybookError("the playbook needs types, general and roles (see the example)")
        types = {str(k): str(v) for k, v in data["types"].items()}
        general = _tasks(data.get("general"), "general", types)
        roles_data = data.get("roles") or {}
        if not isinstance(roles_data, dict):
            raise PlaybookError("roles must map each inspection role to its tasks")
        roles = {str(role): _tasks(tasks, str(role), types) for role, tasks in roles_data.items()}
        return cls(types, general, roles)

    def tasks_for(
        self, inspection_type: str, role: str | None, call: date, calendar: WorkingDays
    ) -> list[DatedTask]:
        """The tasks for someone with `role` (the general ones if none or unknown), dated.

        Raises:
            PlaybookError: `inspection_type` is not one the playbook knows.
        """
        if inspection_type not in self.types:
            raise PlaybookError(f"unknown inspection type {inspection_type!r}")
        tasks = self._roles.get((role or "").strip().lower(), self._general)
        start = calendar.next_working_day(call)
        return [
            DatedTask(task.title, calendar.add(start, task.due))
            for task in tasks
            if task.types is None or inspection_type in task.types
        ]

    def has_role(self, role: str | None) -> bool:
        """Whether the playbook has tasks written for this role."""
        return (role or "").strip().lower() in self._roles


def _tasks(raw: Any, where: str, types: dict[str, str]) -> list[Task]:
    if not isinstance(raw, list) or not raw:
        raise PlaybookError(f"{where}: give a list of tasks")
    tasks = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("task"), str):
            raise PlaybookError(f"{where}: each task needs a 'task' text")
        due = item.get("due")
        if not isinstance(due, int) or due < 0:
            raise PlaybookError(f"{where}: {item['task']!r} needs due: working days (0 or more)")
        kinds = item.get("types")
        if kinds is not None and (
            not isinstance(kinds, list) or any(k not in types for k in kinds)
        ):
            raise PlaybookError(f"{where}: {item['task']!r} names an unknown inspection type")
        tasks.append(Task(item["task"], due, frozenset(kinds) if kinds is not None else None))
    return tasks
