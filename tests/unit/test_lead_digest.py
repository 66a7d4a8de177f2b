"""A priority area's lead is digested on the area's actions, whoever manages their owners."""

from __future__ import annotations

from datetime import date

from cards.work_items import ItemKind, WorkItem, _item
from knowledge.working_days import WorkingDays
from notifications.planner import MessageKind, Planner, Recipient
from notifications.rules import ReminderRules
from store.models import StaffRole

CALENDAR = WorkingDays()
MONDAY = date(2026, 11, 30)
BOSS = Recipient(1, "Boss", StaffRole.MANAGER, "A", None)
WORKER = Recipient(3, "Adele", StaffRole.PRACTITIONER, "A", 1)
# A manager elsewhere who leads the partnership area: Adele does not report to her.
LEAD = Recipient(5, "Claire", StaffRole.MANAGER, "B", None, leads=frozenset({"partnership"}))
PRACTITIONER_LEAD = Recipient(
    6, "Dev", StaffRole.PRACTITIONER, "QA", 1, leads=frozenset({"quality assurance"})
)
VIEWER = Recipient(7, "Cllr Jones", StaffRole.VIEWER, None, None)


def action(item_id: int, area: str, owner: int = 3) -> WorkItem:
    return _item(
        ItemKind.ACTION,
        item_id,
        f"PA{item_id}",
        "x",
        date(2026, 12, 2),
        "in progress",
        owner,
        "Adele",
        MONDAY,
        CALENDAR,
        area=area,
    )


def digests(*items: WorkItem) -> dict[int, list[str]]:
    people = {p.staff_id: p for p in (BOSS, WORKER, LEAD, PRACTITIONER_LEAD, VIEWER)}
    planned = Planner(ReminderRules(), CALENDAR, people).plan(MONDAY, list(items), [])
    return {
        p.recipient_id: [i.ref for i in p.digest] for p in planned if p.kind is MessageKind.DIGEST
    }


def test_the_lead_is_digested_on_their_area_whatever_the_line_management() -> None:
    found = digests(action(1, "Partnership"), action(2, "Voice of the child"))

    assert found[LEAD.staff_id] == ["PA1"]
    # The owner's own line manager still has both.
    assert found[BOSS.staff_id] == ["PA1", "PA2"]


def test_a_practitioner_who_leads_an_area_is_digested_on_that_area_only() -> None:
    found = digests(action(1, "Quality Assurance"), action(2, "Partnership", owner=6))

    assert found[PRACTITIONER_LEAD.staff_id] == ["PA1"]


def test_viewers_and_people_leading_nothing_get_no_digest() -> None:
    found = digests(action(1, "Partnership"))

    assert VIEWER.staff_id not in found
    assert WORKER.staff_id not in found
