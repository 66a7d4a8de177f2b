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


@pytest.mark.parametrize(
    ("kind", "call", "on_site"),
    [
        # The Monday after the call, even when the call is on a Monday.
        ("ilacs_short", date(2026, 11, 25), date(2026, 11, 30)),
        ("ilacs_standard", date(2026, 11, 30), date(2026, 12, 7)),
        # 10 working days, over Christmas and the bank holidays.
        ("jtai", date(2026, 12, 21), date(2027, 1, 7)),
        ("area_send", date(2026, 11, 23), date(2026, 12, 7)),
        ("focused_visit", date(2026, 11, 24), date(2026, 12, 1)),
        ("monitoring_visit", date(2026, 11, 25), None),
    ],
)
def test_each_type_says_when_inspectors_usually_arrive(
    kind: str, call: date, on_site: date | None
) -> None:
    assert PLAYBOOK.default_on_site(kind, call, CALENDAR) == on_site
    assert PLAYBOOK.notes[kind]  # where it comes from, or why there is none


def test_a_task_can_count_from_the_first_day_on_site() -> None:
    tasks = PLAYBOOK.tasks_for(
        "ilacs_short", "Evidence store lead", date(2026, 11, 25), CALENDAR, date(2026, 11, 30)
    )

    assert tasks == [
        DatedTask(
            "Check the evidence store is complete and give inspectors access", date(2026, 11, 27)
        ),
        # The working day before inspectors arrive.
        DatedTask(
            "Check inspectors' access to the evidence store works on their own devices",
            date(2026, 11, 27),
        ),
    ]


def test_a_task_before_arrival_is_never_set_before_the_call() -> None:
    tasks = PLAYBOOK.tasks_for(
        "ilacs_short", "Evidence store lead", date(2026, 11, 30), CALENDAR, date(2026, 11, 30)
    )

    assert min(t.due_date for t in tasks) == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("types: {jtai: {name: JTAI, on_site: soon}}", "on_site must be 'following Monday'"),
        ("types: {jtai: {on_site: 10 working days}}", "give its name"),
        ("types: {jtai: {name: JTAI, note: [x]}}", "note must be text"),
        ("types: {jtai: JTAI}\ngeneral: [{task: T, due: 1, from: inspectors}]", "from must be"),
        ("types: {jtai: JTAI}\ngeneral: [{task: T, due: -21, from: on_site}]", "negative for"),
    ],
)
def test_bad_on_site_rules_are_refused_with_the_type_named(
    tmp_path: Path, text: str, problem: str
) -> None:
    bad = tmp_path / "playbook.yaml"
    bad.write_text(text + ("\ngeneral: [{task: T, due: 0}]" if "general" not in text else ""))
    with pytest.raises(PlaybookError, match=problem):
        Playbook.load(bad)
