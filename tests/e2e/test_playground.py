"""End to end: the real service and the real Teams test client (the Agents Playground)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from demo.playground import playground_config
from tests.cards import card_texts, find_action, text_blocks
from tests.e2e.playground import (
    PlaygroundClient,
    PlaygroundProcess,
    PlaygroundStream,
    adaptive_cards,
)
from tests.e2e.service import ServiceProcess

# Run on each SDK: `make test` repeats the edge tests with INSPECTION_READY_SDK=agents.
pytestmark = [pytest.mark.e2e, pytest.mark.edge]


def first_text(activity: dict[str, Any]) -> str:
    """The heading of the activity's first Adaptive Card."""
    cards = adaptive_cards(activity)
    return str(cards[0]["body"][0]["text"]) if cards else ""


def card_heading(text: str) -> Any:
    return lambda activity: first_text(activity) == text


def activity_texts(activity: dict[str, Any]) -> list[str]:
    [card] = adaptive_cards(activity)
    return card_texts(card)


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[ServiceProcess]:
    async with ServiceProcess(tmp_path) as running:
        yield running


async def chat(
    service: ServiceProcess, config_path: Path | None = None
) -> tuple[PlaygroundProcess, PlaygroundClient, aiohttp.ClientSession]:
    playground = PlaygroundProcess(service.endpoint, config_path=config_path)
    await playground.start()
    session = aiohttp.ClientSession()
    return playground, PlaygroundClient(playground.base_url, session), session


async def install_and_greet(
    client: PlaygroundClient, stream: PlaygroundStream, heading: str
) -> tuple[str, dict[str, Any]]:
    config = (await client.config())["config"]
    chat_id = str(config["personalChat"]["id"])
    await client.install(chat_id)
    welcome = await stream.wait_for(card_heading(heading), timeout=30)
    return chat_id, welcome


def stored_references(service: ServiceProcess) -> list[tuple[str, int, str]]:
    with sqlite3.connect(service.database_path) as db:
        rows = db.execute(
            "SELECT c.conversation_id, c.active, s.email FROM conversation_reference c "
            "JOIN staff s ON s.id = c.staff_id"
        ).fetchall()
    return [(str(r[0]), int(r[1]), str(r[2])) for r in rows]


def stored_votes(service: ServiceProcess) -> list[tuple[str, str, int]]:
    with sqlite3.connect(service.database_path) as db:
        rows = db.execute("SELECT entry_id, voter, helpful FROM answer_feedback").fetchall()
    return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]


def completed_actions(service: ServiceProcess) -> list[tuple[str, str]]:
    with sqlite3.connect(service.database_path) as db:
        rows = db.execute("SELECT ref, status FROM action WHERE completion_note IS NOT NULL")
        return [(str(r[0]), str(r[1])) for r in rows.fetchall()]


async def test_coordinator_is_welcomed_by_name_and_gets_help(service: ServiceProcess) -> None:
    playground, client, session = await chat(service)
    try:
        async with client.stream() as stream:
            chat_id, welcome = await install_and_greet(
                client, stream, "Hello Alex, I'm Inspection Ready."
            )
            texts = activity_texts(welcome)
            assert "You are on the roster as a coordinator in Quality assurance" in texts[1]
            assert any(t.startswith("Inspection call: ") for t in texts)

            await client.send_text(chat_id, "user-id-0", "help")
            help_reply = await stream.wait_for(
                card_heading("Here is what I can do for you, Alex."), timeout=30
            )
            assert "Help: This list, whenever you need it. Type: help" in activity_texts(
                help_reply
            )
            # The two install events greeted once.
            welcomes = [a for a in stream.activities if first_text(a).startswith("Hello Alex")]
            assert len(welcomes) == 1
    finally:
        await session.close()
        await playground.stop()

    assert stored_references(service) == [(chat_id, 1, "alexw@example.com")]


async def test_practitioner_asks_a_framework_question_and_votes(
    service: ServiceProcess, tmp_path: Path
) -> None:
    config_path = tmp_path / "playground.json"
    config_path.write_text(json.dumps(playground_config("adelev@example.com")))
    playground, client, session = await chat(service, config_path)
    try:
        async with client.stream() as stream:
            chat_id, welcome = await install_and_greet(
                client, stream, "Hello Adele, I'm Inspection Ready."
            )
            texts = activity_texts(welcome)
            assert "practitioner in Assessment and intervention" in texts[1]
            assert not any(t.startswith(("Inspection call", "My team")) for t in texts)

            await client.send_text(chat_id, "user-id-2", "ICPC timescale")
            answer = await stream.wait_for(
                card_heading("Initial child protection conference (ICPC) timing"), timeout=30
            )
            [helpful] = [
                a for a in adaptive_cards(answer)[0]["actions"] if a["title"] == "Helpful"
            ]
            refreshed = await client.execute_card_action(
                chat_id, "user-id-2", str(answer["id"]), helpful["verb"], helpful["data"]
            )
            assert card_texts(refreshed["value"])[-1] == "Thanks: you found this helpful."

            await client.send_text(chat_id, "user-id-2", "what's overdue")
            overdue = await stream.wait_for(
                card_heading("Your overdue actions and audits"), timeout=30
            )
            first = find_action(adaptive_cards(overdue)[0], "Action.Execute", "Open")
            opened = await client.execute_card_action(
                chat_id, "user-id-2", str(overdue["id"]), first["verb"], first["data"]
            )
            detail = opened["value"]
            complete = find_action(detail, "Action.Execute", "Save as complete")
            done = await client.execute_card_action(
                chat_id,
                "user-id-2",
                str(overdue["id"]),
                complete["verb"],
                {**complete["data"], "evidence_note": "Evidence uploaded to the store"},
            )
            assert "Marked complete." in text_blocks(done["value"])
            assert "Evidence uploaded to the store" in str(done["value"])
    finally:
        await session.close()
        await playground.stop()

    assert stored_references(service) == [(chat_id, 1, "adelev@example.com")]
    assert stored_votes(service) == [("icpc-timescale", "adelev@example.com", 1)]
    assert completed_actions(service) == [
        (detail["body"][0]["text"][len("Action ") :], "complete")
    ]
    assert "ICPC timescale" not in service.log()
