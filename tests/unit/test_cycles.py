"""When something on a cycle is next due, from when it last happened as people say it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.cycles import next_due
from knowledge.entries import Cycle, KnowledgeError, load_entries
from knowledge.library import KnowledgeBase

TODAY = date(2026, 11, 25)
EVERY_THREE_YEARS = Cycle(years=3, either_side_months=6, start="last inspection")


@pytest.mark.parametrize(
    ("text", "due", "window"),
    [
        ("our last full inspection was march 2024", "March 2027",
         "between September 2026 and September 2027"),
        ("last ilacs was on 15 march 2024", "March 2027", "between September 2026"),
        ("we were judged good about two and a half years ago", "May 2027",
         "between November 2026 and November 2027"),
        ("inspected 18 months ago", "May 2028", "between November 2027"),
        ("last one was sept '23", "September 2026", "between March 2026 and March 2027"),
    ],
)  # fmt: skip
def test_the_next_is_due_a_cycle_on_with_its_window(text: str, due: str, window: str) -> None:
    found = next_due(text, EVERY_THREE_YEARS, TODAY)

    assert found is not None
    described = found.describe()
    assert f"the next is due around {due} (3 years on)" in described
    assert window in described


def test_a_year_alone_gives_the_year_it_is_due() -> None:
    found = next_due("we were last inspected in 2023", EVERY_THREE_YEARS, TODAY)

    assert found is not None
    assert found.describe() == (
        "If the last inspection was in 2023, the next is due in 2026: 3 years on, usually "
        "within 6 months either side of the anniversary of its date."
    )


@pytest.mark.parametrize(
    "text", ["how often are ilacs inspections", "ofsted rang today", "in 2031 will it change"]
)
def test_nothing_said_of_when_it_last_happened_gives_nothing(text: str) -> None:
    assert next_due(text, EVERY_THREE_YEARS, TODAY) is None


def test_the_answer_on_how_often_inspections_come_gives_when_the_next_is_due(
    shipped_knowledge: KnowledgeBase,
) -> None:
    reply = shipped_knowledge.respond(
        "our last full inspection was march 2024, roughly when might the next one land?", TODAY
    )

    [part] = reply.parts
    assert part.entry.id == "ilacs-inspection-frequency"
    assert part.deadline is not None
    assert "the next is due around March 2027" in part.deadline.describe()


ENTRY = """
- id: on-a-cycle
  topic: T
  title: On a cycle
  questions: [one, two, three]
  answer: Every 3 years, give or take 6 months.
  confidence: C
  source: {document: D}
  framework: F
  reviewed: 2026-11-25
  cycle: %s
"""


def test_an_entry_states_its_cycle(tmp_path: Path) -> None:
    path = tmp_path / "cycle.yaml"
    path.write_text(
        ENTRY % "{years: 3, either_side_months: 6, from: last inspection}", encoding="utf-8"
    )

    [entry] = load_entries([path])

    assert entry.cycle == EVERY_THREE_YEARS


@pytest.mark.parametrize(
    "cycle",
    [
        "{years: 0, either_side_months: 6, from: x}",
        "{years: 3, either_side_months: 36, from: x}",
        "{years: 3, from: x}",
        "{years: 3, either_side_months: 6, from: x, every: y}",
        "{years: three, either_side_months: 6, from: x}",
        "every 3 years",
    ],
)
def test_a_cycle_that_is_not_whole_is_refused(tmp_path: Path, cycle: str) -> None:
    path = tmp_path / "cycle.yaml"
    path.write_text(ENTRY % cycle, encoding="utf-8")

    with pytest.raises(KnowledgeError, match="cycle needs years"):
        load_entries([path])
