"""Talking to the real app in tests as people on the demo roster: what they say and press."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import select, update

from bot.settings import Settings
from demo.loader import DEMO_ANCHOR, load_demo
from store.db import Database
from store.models import Action, Staff, StaffRole
from tests import fakes
from tests.fakes import FakeConnector, TeamsMember

StartClient = Callable[..., Awaitable[TestClient]]
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday; the demo is written for this week
# Demo people with Teams accounts; object ids are GUIDs, as Entra ID gives them.
MEMBERS = {
    name: TeamsMember(
        f"29:{name}", name.capitalize(), f"00000000-0000-0000-0000-{n:012d}", f"{name}@example.com"
    )
    for n, name in enumerate(("adelev", "meganb", "pattif", "isaiahl", "alexw", "lynner"), 1)
}
# Those who have installed the app in the inspection-call tests (the admin has not).
PEOPLE = {name: member for name, member in MEMBERS.items() if name != "lynner"}


def as_(name: str) -> dict[str, Any]:
    """The activity fields that make a message come from `name`'s personal chat."""
    member = MEMBERS[name]
    return {
        "user_id": member.user_id,
        "aad_object_id": member.aad_object_id,
        "user_name": member.name,
        "conversation_id": f"a:personal-{name}",
    }


async def demo_client(
    database: Database,
    connector: FakeConnector,
    make_client: StartClient,
    *,
    greet: bool = False,
    viewers: tuple[str, ...] = (),
    **settings: Any,
) -> TestClient:
    """The app on the demo organisation, every person in MEMBERS known to the connector.

    With `greet`, each says hello first, which links their Teams account (a change of its
    own), and the replies are cleared. `viewers` (emails) are made read-only viewers, as
    board and elected members are.
    """
    client = await _demo_app(database, connector, make_client, MEMBERS, lambda: NOW, settings)
    if viewers:
        async with database.sessions() as session, session.begin():
            await session.execute(
                update(Staff).where(Staff.email.in_(viewers)).values(role=StaffRole.VIEWER)
            )
    if greet:
        for name in MEMBERS:
            await client.post(
                "/api/messages", json=fakes.message(connector.url, "hi", **as_(name))
            )
        connector.sent.clear()
    return client


async def installed_client(
    database: Database,
    connector: FakeConnector,
    make_client: StartClient,
    clock: Callable[[], datetime],
    **settings: Any,
) -> TestClient:
    """The app on the demo organisation with everyone in PEOPLE having installed it (their
    installations' greetings cleared), as the inspection-call tests start."""
    client = await _demo_app(database, connector, make_client, PEOPLE, clock, settings)
    for name in PEOPLE:
        response = await client.post(
            "/api/messages", json=fakes.installation(connector.url, **as_(name))
        )
        assert response.status == 201
    connector.sent.clear()
    return client


async def _demo_app(
    database: Database,
    connector: FakeConnector,
    make_client: StartClient,
    members: dict[str, TeamsMember],
    clock: Callable[[], datetime],
    settings: dict[str, Any],
) -> TestClient:
    """The app on the demo organisation, `members` known to the connector."""
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
    for member in members.values():
        connector.add_member(member)
    return await make_client(
        Settings(dev_no_auth=True, database_url=database.url, **settings), clock=clock
    )


async def press_in_chat(
    client: TestClient, connector: FakeConnector, who: str, data: dict[str, Any]
) -> list[dict[str, Any]]:
    """`who` presses a button (Action.Submit): the cards updated and the messages sent in
    their own chat, in order (alerts to others go out while the turn runs)."""
    before, updated = len(connector.sent), len(connector.updated)
    activity = fakes.activity("message", connector.url, value=data, replyToId="card-1", **as_(who))
    assert (await client.post("/api/messages", json=activity)).status == 201
    return [
        a
        for a in connector.updated[updated:] + connector.sent[before:]
        if a["_conversation_id"] == f"a:personal-{who}"
    ]


async def say(client: TestClient, connector: FakeConnector, who: str, text: str) -> dict[str, Any]:
    """`who` types `text` in their personal chat; the bot's last reply."""
    response = await client.post(
        "/api/messages", json=fakes.message(connector.url, text, **as_(who))
    )
    assert response.status == 201
    return connector.sent[-1]


async def press(
    client: TestClient,
    connector: FakeConnector,
    who: str,
    data: dict[str, Any],
    reply_to: str = "sent-card",
) -> dict[str, Any]:
    """`who` presses a button (Action.Submit) with `data`; the bot's last reply."""
    activity = fakes.activity("message", connector.url, value=data, replyToId=reply_to, **as_(who))
    assert (await client.post("/api/messages", json=activity)).status == 201
    return connector.sent[-1] if connector.sent else {}


def card(activity: dict[str, Any]) -> dict[str, Any]:
    """The one Adaptive Card an activity carries."""
    [attachment] = activity["attachments"]
    content: dict[str, Any] = attachment["content"]
    return content


async def action(database: Database, ref: str) -> Action:
    """The improvement-plan action with this ref, as stored now."""
    async with database.sessions() as session:
        return (await session.execute(select(Action).where(Action.ref == ref))).scalar_one()
