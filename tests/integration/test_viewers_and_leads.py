"""Board members read the plan and change nothing; an area's lead sees the area's actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select, update

from store.db import Database
from store.importers.upsert import UpsertCounts
from store.models import (
    Action,
    ActionStatus,
    AuditAssignment,
    PriorityArea,
    Staff,
    StaffRole,
)
from tests.cards import buttons, text_blocks
from tests.chat import action, card, demo_client, press, say
from tests.fakes import FakeConnector
from tests.importing import STAFF_HEADER, run, write_csv

StartClient = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    # Lynne sits on the Improvement Board as an elected member.
    return await demo_client(database, connector, make_client, viewers=("lynner@example.com",))


async def open_item(
    client: TestClient, connector: FakeConnector, who: str, kind: str, item_id: int
) -> dict[str, Any]:
    return await press(
        client, connector, who, {"action": "open_item", "kind": kind, "id": item_id}
    )


async def test_a_viewer_sees_the_whole_plan_and_no_case_reference(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    async with database.sessions() as session:
        still_open = (
            await session.execute(
                select(func.count()).select_from(Action).where(Action.status != "complete")
            )
        ).scalar_one()

    reply = card(await say(client, connector, "lynner", "the plan"))

    texts = text_blocks(reply)
    assert texts[0] == "Actions in every priority area"
    assert texts[1].startswith(f"{still_open} open, ")
    assert any(t.startswith("PA") for t in texts)
    assert "AUD-" not in str(reply)
    assert "CR-" not in str(reply)


@pytest.mark.parametrize(
    ("asked", "heading"),
    [
        ("overdue in care leavers", "Overdue in Care leavers: pathway plans and staying in touch"),
        ("overdue in assessment and intervention", "Overdue in Assessment and intervention"),
    ],
)
async def test_a_viewer_sees_what_is_overdue_in_an_area_or_team_without_audits(
    client: TestClient, connector: FakeConnector, asked: str, heading: str
) -> None:
    reply = card(await say(client, connector, "lynner", asked))

    texts = text_blocks(reply)
    assert texts[0] == heading
    assert any(t.startswith("PA") for t in texts)
    assert "AUD-" not in str(reply)
    assert "CR-" not in str(reply)


@pytest.mark.parametrize("asked", ["my audits", "audits due"])
async def test_a_viewer_is_refused_audits(
    client: TestClient, connector: FakeConnector, asked: str
) -> None:
    reply = await say(client, connector, "lynner", asked)

    assert "can see case audits" in reply["text"]
    assert "CR-" not in str(reply)


@pytest.mark.parametrize("intent", ["my_audits", "audits_due"])
async def test_a_viewer_paging_a_list_of_audits_is_refused_too(
    client: TestClient, connector: FakeConnector, intent: str
) -> None:
    reply = await press(
        client, connector, "lynner", {"action": "show_list", "intent": intent, "offset": 0}
    )

    assert reply["text"] == (
        "Case audits are not shown to board members: they name children's cases."
    )


async def test_a_viewer_paging_a_team_list_is_refused(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    async with database.sessions() as session, session.begin():
        # Even a viewer someone reports to by mistake sees no team list (it has audits).
        viewer = select(Staff.id).where(Staff.email == "lynner@example.com").scalar_subquery()
        await session.execute(
            update(Staff).where(Staff.email == "adelev@example.com").values(manager_id=viewer)
        )

    reply = await press(
        client, connector, "lynner", {"action": "show_list", "intent": "my_team", "offset": 0}
    )

    assert reply["text"] == "'My team' is for managers and coordinators. Try 'the plan'."


async def test_a_viewer_opens_an_action_read_only_and_cannot_change_it(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    pa22 = await action(database, "PA2.2")
    opened = card(await open_item(client, connector, "lynner", "action", pa22.id))
    assert text_blocks(opened)[0] == "Action PA2.2"
    assert not {"Save as complete", "Send to my manager"} & set(buttons(opened))

    # A forged press of the owner's button changes nothing.
    forged = {
        "action": "complete_action",
        "id": pa22.id,
        "version": pa22.updated_at.isoformat(),
        "evidence_note": "Done",
    }
    reply = await press(client, connector, "lynner", forged)

    assert "can change work items" in reply["text"]
    after = await action(database, "PA2.2")
    assert (after.status, after.completion_note) == (pa22.status, None)
    assert after.status is not ActionStatus.COMPLETE


async def test_a_viewer_cannot_open_an_audit(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    async with database.sessions() as session:
        audit = (await session.execute(select(AuditAssignment).limit(1))).scalar_one()

    reply = await open_item(client, connector, "lynner", "audit", audit.id)

    assert audit.case_ref not in str(reply)
    assert "you cannot see audit" in reply["text"]


async def test_a_lead_sees_their_areas_actions_whoever_manages_the_owners(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    pa92 = await action(database, "PA9.2")
    # Megan manages the assessment team; PA9.2's owner is not in her line.
    refused = await open_item(client, connector, "meganb", "action", pa92.id)
    assert "you cannot see action PA9.2" in refused["text"]
    async with database.sessions() as session, session.begin():
        megan = (
            await session.execute(select(Staff).where(Staff.email == "meganb@example.com"))
        ).scalar_one()
        await session.execute(
            update(PriorityArea)
            .where(PriorityArea.name == "Partnership working")
            .values(lead_id=megan.id)
        )

    listed = card(await say(client, connector, "meganb", "area actions"))
    opened = card(await open_item(client, connector, "meganb", "action", pa92.id))

    texts = text_blocks(listed)
    assert texts[0] == "Actions in your priority areas"
    assert any(t.startswith("PA9.2:") for t in texts)
    assert any(t.startswith("PA2.3:") for t in texts)  # she leads her own area too
    assert not any(t.startswith("PA1.") for t in texts)
    assert "Partnership working" in texts
    assert text_blocks(opened)[0] == "Action PA9.2"
    # Seeing is not changing: the owner's line manager does that.
    assert "Save as complete" not in buttons(opened)


async def test_a_manager_who_leads_no_area_is_told_so(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    async with database.sessions() as session, session.begin():
        await session.execute(
            update(PriorityArea)
            .where(PriorityArea.name == "Quality of assessments and plans")
            .values(
                lead_id=select(Staff.id)
                .where(Staff.email == "pattif@example.com")
                .scalar_subquery()
            )
        )

    reply = await say(client, connector, "meganb", "my areas")

    assert reply["text"].startswith("You do not lead a priority area")


async def test_a_practitioner_is_not_offered_area_actions(
    client: TestClient, connector: FakeConnector
) -> None:
    reply = await say(client, connector, "adelev", "area actions")

    assert "see a priority area's actions" in reply["text"]


async def test_a_viewer_is_imported_from_the_staff_file(
    database: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        f"{STAFF_HEADER}\ncllr.jones@example.com,Cllr Jones,Viewer,,,Lead member\n",
    )

    assert (await run(database, "staff", path)).counts == UpsertCounts(new=1)

    async with database.sessions() as session:
        stored = (await session.execute(select(Staff))).scalar_one()
    assert (stored.role, stored.inspection_role) == (StaffRole.VIEWER, "Lead member")
