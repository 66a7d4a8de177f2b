"""What people do in Teams survives re-importing last week's spreadsheet."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from bot.keys import NOTIFICATIONS
from store.db import Database
from store.importers.export import export_file
from store.importers.runner import ImportKind
from store.importers.upsert import UpsertCounts
from store.models import ActionStatus
from store.repositories import audit_log
from tests import fakes
from tests.cards import buttons
from tests.chat import action, as_, card, demo_client, press, say
from tests.fakes import FakeConnector
from tests.importing import run

StartClient = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    return await demo_client(database, connector, make_client)


async def complete_in_teams(client: TestClient, connector: FakeConnector, ref_id: int) -> None:
    opened = card(
        await press(
            client, connector, "adelev", {"action": "open_item", "kind": "action", "id": ref_id}
        )
    )
    complete = buttons(opened)["Save as complete"]
    await press(client, connector, "adelev", {**complete, "evidence_note": "Audit of 20 files"})


async def extend_in_teams(client: TestClient, connector: FakeConnector, ref_id: int) -> None:
    for who in ("adelev", "meganb"):
        await client.post("/api/messages", json=fakes.installation(connector.url, **as_(who)))
    opened = card(
        await press(
            client, connector, "adelev", {"action": "open_item", "kind": "action", "id": ref_id}
        )
    )
    request = {
        **buttons(opened)["Send to my manager"],
        "new_due_date": "2026-12-18",
        "reason": "Waiting for partner data",
    }
    await press(client, connector, "adelev", request)
    await client.app[NOTIFICATIONS].drain()
    decision = card(connector.sent[-1])
    await press(client, connector, "meganb", {**buttons(decision)["Approve"]})


async def test_last_weeks_spreadsheet_undoes_neither_a_completion_nor_an_extension(
    client: TestClient, connector: FakeConnector, database: Database, tmp_path: Path
) -> None:
    last_week = tmp_path / "actions.xlsx"
    await export_file(database, ImportKind.ACTIONS, last_week)
    await complete_in_teams(client, connector, (await action(database, "PA2.2")).id)
    await extend_in_teams(client, connector, (await action(database, "PA2.3")).id)
    assert (await action(database, "PA2.3")).due_date == date(2026, 12, 18)

    result = await run(database, "actions", last_week)

    assert result.counts == UpsertCounts(unchanged=43)
    assert result.reports == ()
    completed = await action(database, "PA2.2")
    assert (completed.status, completed.completion_note) == (
        ActionStatus.COMPLETE,
        "Audit of 20 files",
    )
    assert (await action(database, "PA2.3")).due_date == date(2026, 12, 18)
    # And the person who did it still sees it done.
    reply = await say(client, connector, "adelev", "my actions")
    assert "PA2.2" not in str(card(reply))


async def test_a_spreadsheet_that_moved_the_same_date_keeps_the_approved_extension(
    client: TestClient, connector: FakeConnector, database: Database, tmp_path: Path
) -> None:
    last_week = tmp_path / "actions.csv"
    await export_file(database, ImportKind.ACTIONS, last_week)
    await extend_in_teams(client, connector, (await action(database, "PA2.3")).id)
    lines = last_week.read_text(encoding="utf-8-sig").splitlines()
    [row] = [number for number, line in enumerate(lines, 1) if line.startswith("PA2.3,")]
    cells = lines[row - 1].split(",")
    cells[4] = "2027-01-29"
    lines[row - 1] = ",".join(cells)
    last_week.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = await run(database, "actions", last_week)

    async with database.sessions() as session:
        [approved] = [
            entry
            for entry in await audit_log.history(session, "action", "PA2.3")
            if entry.field == "due_date"
        ]
    when = approved.occurred_at.astimezone(UTC).date().isoformat()
    assert [str(r) for r in result.reports] == [
        f"{last_week}:{row}:due_date: kept the value set in Teams on {when} "
        "(file has '2027-01-29')"
    ]
    assert (await action(database, "PA2.3")).due_date == date(2026, 12, 18)
