"""The inspection-call playbook: valid, covers the demo roles, dates in working days."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from cards.call_messages import DatedTask
from knowledge.working_days import WorkingDays
from notifications.playbook import Playbook, PlaybookError

CALENDAR = WorkingDays()
PLAYBOOK = Playbook.load()


def test_every_inspection_role_on_the_demo_roster_has_tasks() -> None:
    text = (resources.files("demo") / "staff.csv").read_text(encoding="utf-8")
    roles = {row["inspection_role"] for row in csv.DictReader(text.splitlines())} - {""}

    assert roles
    assert all(PLAYBOOK.has_role(role) for role in roles)


def test_tasks_are_dated_in_working_days_from_the_call() -> None:
    # Called on Thursday 24 December 2026: Christmas, the weekend and Boxing Day observed
    # on Monday 28th do not count.
    tasks = PLAYBOOK.tasks_for("ilacs_short", "annex a LEAD", date(2026, 12, 24), CALENDAR)

    assert tasks == [
        DatedTask("Refresh the Annex A data lists and quality-check them", date(2026, 12, 29)),
        DatedTask("Send the Annex A lists to the inspection team", date(2026, 12, 30)),
    ]


def test_tasks_limited_to_some_inspection_types() -> None:
    assert PLAYBOOK.tasks_for("area_send", "Annex A lead", date(2026, 11, 25), CALENDAR) == []


def test_people_without_a_known_role_get_the_general_tasks() -> None:
    for role in (None, "", "Chief dog walker"):
        tasks = PLAYBOOK.tasks_for("jtai", role, date(2026, 11, 25), CALENDAR)
        assert [t.due_date for t in tasks] == [date(2026, 11, 25), date(2026, 11, 26)]


def test_a_call_at_the_weekend_counts_from_the_next_working_day() -> None:
    tasks = PLAYBOOK.tasks_for("ilacs_short", None, date(2026, 11, 28), CALENDAR)

    assert tasks[0].due_date == date(2026, 11, 30)


def test_unknown_type_and_bad_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PlaybookError, match="unknown inspection type 'sif'"):
        PLAYBOOK.tasks_for("sif", None, date(2026, 11, 25), CALENDAR)
    bad = tmp_path / "playbook.yaml"
    bad.write_text("types: {jtai: JTAI}\ngeneral:\n  - task: Read it\n    due: -1\n")
    with pytest.raises(PlaybookError, match="needs due: working days"):
        Playbook.load(bad)
