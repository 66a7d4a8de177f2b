"""This module contains Playbook: each inspection role's first tasks after the call, dated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
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
    """One task in the playbook; `due` is in working days after the call, or (with
    `from_on_site`) after the first on-site day, negative for the days before it."""

    title: str
    due: int
    types: frozenset[str] | None = None
    from_on_site: bool = False


# How many working days before inspectors arrive a task may be set.
MAX_DAYS_BEFORE_ON_SITE = 20
_FOLLOWING_MONDAY = "following monday"
_WORKING_DAYS = re.compile(r"^(\d{1,2}) working days?$")


@dataclass(frozen=True, slots=True)
class OnSiteRule:
    """When inspectors usually arrive after the call, for the form's default date: the
    Monday after the call, or a number of working days after it."""

    following_monday: bool = False
    working_days: int = 0

    def first_day(self, call: date, calendar: WorkingDays) -> date:
        """The first on-site day for a call on `call`."""
        if self.following_monday:
            return call + timedelta(days=7 - call.weekday())
        return calendar.add(call, self.working_days)


class Playbook:
    """Tasks per inspection role (and for everyone without one), per inspection type."""

    def __init__(
        self,
        types: dict[str, str],
        general: list[Task],
        roles: dict[str, list[Task]],
        on_site: dict[str, OnSiteRule] | None = None,
        notes: dict[str, str] | None = None,
    ) -> None:
        self.types = types
        self._general = general
        self._roles = {name.lower(): tasks for name, tasks in roles.items()}
        # Types without a rule (monitoring visits: dates agreed in advance) have no default.
        self.on_site = on_site or {}
        # Where each type's usual on-site day comes from, or why it has none.
        self.notes = notes or {}

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
        types, on_site, notes = _types(data["types"])
        general = _tasks(data.get("general"), "general", types)
        roles_data = data.get("roles") or {}
        if not isinstance(roles_data, dict):
            raise PlaybookError("roles must map each inspection role to its tasks")
        roles = {str(role): _tasks(tasks, str(role), types) for role, tasks in roles_data.items()}
        return cls(types, general, roles, on_site, notes)

    def default_on_site(
        self, inspection_type: str, call: date, calendar: WorkingDays
    ) -> date | None:
        """The usual first on-site day for a call today, if the type has one."""
        rule = self.on_site.get(inspection_type)
        return rule.first_day(call, calendar) if rule is not None else None

    def tasks_for(
        self,
        inspection_type: str,
        role: str | None,
        call: date,
        calendar: WorkingDays,
        on_site: date | None = None,
    ) -> list[DatedTask]:
        """The tasks for someone with `role` (the general ones if none or unknown), dated
        from the call, or from the first on-site day for tasks that count from it.

        Raises:
            PlaybookError: `inspection_type` is not one the playbook knows.
        """
        if inspection_type not in self.types:
            raise PlaybookError(f"unknown inspection type {inspection_type!r}")
        tasks = self._roles.get((role or "").strip().lower(), self._general)
        start = calendar.next_working_day(call)
        dated = []
        for task in tasks:
            if task.types is not None and inspection_type not in task.types:
                continue
            if task.from_on_site and on_site is not None:
                day = _working_days_from(calendar.next_working_day(on_site), task.due, calendar)
                # Never before the call itself: a short notice leaves no time before.
                dated.append(DatedTask(task.title, max(day, start)))
            else:
                dated.append(DatedTask(task.title, calendar.add(start, max(task.due, 0))))
        return sorted(dated, key=lambda t: t.due_date)

    def has_role(self, role: str | None) -> bool:
        """Whether the playbook has tasks written for this role."""
        return (role or "").strip().lower() in self._roles


def _working_days_from(day: date, count: int, calendar: WorkingDays) -> date:
    if count >= 0:
        return calendar.add(day, count)
    for _ in range(-count):
        day -= timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
    return day


def _types(
    raw: dict[Any, Any],
) -> tuple[dict[str, str], dict[str, OnSiteRule], dict[str, str]]:
    """Each type's name, and its usual first on-site day where the playbook gives one:
    `ilacs_short: ILACS short inspection` or `jtai: {name: ..., on_site: 10 working days,
    note: ...}` (on_site is "following Monday" or "N working days")."""
    names: dict[str, str] = {}
    rules: dict[str, OnSiteRule] = {}
    notes: dict[str, str] = {}
    for key, value in raw.items():
        kind = str(key)
        if isinstance(value, str):
            names[kind] = value
            continue
        if not isinstance(value, dict) or not isinstance(value.get("name"), str):
            raise PlaybookError(f"type {kind}: give its name, or name and on_site")
        names[kind] = value["name"]
        rule = value.get("on_site")
        note = value.get("note", "")
        if not isinstance(note, str):
            raise PlaybookError(f"type {kind}: note must be text")
        if note:
            notes[kind] = note
        if rule is None:
            continue
        text = str(rule).strip().lower()
        found = _WORKING_DAYS.match(text)
        if text == _FOLLOWING_MONDAY:
            rules[kind] = OnSiteRule(following_monday=True)
        elif found is not None and int(found.group(1)) > 0:
            rules[kind] = OnSiteRule(working_days=int(found.group(1)))
        else:
            raise PlaybookError(
                f"type {kind}: on_site must be 'following Monday' or 'N working days', "
                f"got {rule!r}"
            )
    return names, rules, notes


def _tasks(raw: Any, where: str, types: dict[str, str]) -> list[Task]:
    if not isinstance(raw, list) or not raw:
        raise PlaybookError(f"{where}: give a list of tasks")
    tasks = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("task"), str):
            raise PlaybookError(f"{where}: each task needs a 'task' text")
        due = item.get("due")
        start = item.get("from", "call")
        if start not in ("call", "on_site"):
            raise PlaybookError(f"{where}: {item['task']!r}: from must be call or on_site")
        from_on_site = start == "on_site"
        lowest = -MAX_DAYS_BEFORE_ON_SITE if from_on_site else 0
        if isinstance(due, bool) or not isinstance(due, int) or due < lowest:
            raise PlaybookError(
                f"{where}: {item['task']!r} needs due: working days "
                + ("(negative for before inspectors arrive)" if from_on_site else "(0 or more)")
            )
        kinds = item.get("types")
        if kinds is not None and (
            not isinstance(kinds, list) or any(k not in types for k in kinds)
        ):
            raise PlaybookError(f"{where}: {item['task']!r} names an unknown inspection type")
        tasks.append(
            Task(
                item["task"],
                due,
                frozenset(kinds) if kinds is not None else None,
                from_on_site,
            )
        )
    return tasks
