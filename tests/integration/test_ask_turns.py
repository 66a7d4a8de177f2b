"""Framework questions through the real app: answers, gaps, votes by Submit and Execute."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.settings import Settings
from demo.loader import DEMO_ANCHOR, load_demo
from knowledge.privacy import REMINDER
from knowledge.small_talk import SmallTalk
from store.db import Database
from store.models import AnswerFeedback, UnansweredQuestion
from tests import fakes
from tests.cards import card_texts
from tests.fakes import FakeConnector, TeamsMember
from tests.knowledge_samples import LOCAL, write

TODAY = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
StartClient = Callable[..., Awaitable[TestClient]]
ADELE = TeamsMember("29:adele", "Adele Vance", "aad-adele", "adelev@example.com", None)
AS_ADELE = {
    "user_id": ADELE.user_id,
    "aad_object_id": ADELE.aad_object_id,
    "user_name": ADELE.name,
}


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient, tmp_path: Path
) -> TestClient:
    async with database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
    connector.add_member(ADELE)
    local = tmp_path / "local-knowledge"
    write(local, "ours.yaml", LOCAL)
    # A fixed today: "20 November" means the one just gone, whatever the date of the run.
    return await make_client(
        Settings(dev_no_auth=True, database_url=database.url, local_knowledge=local),
        clock=lambda: TODAY,
    )


def only_card(activity: dict[str, Any]) -> dict[str, Any]:
    [attachment] = activity["attachments"]
    card: dict[str, Any] = attachment["content"]
    return card


async def ask(client: TestClient, connector: FakeConnector, text: str) -> dict[str, Any]:
    response = await client.post(
        "/api/messages", json=fakes.message(connector.url, text, **AS_ADELE)
    )
    assert response.status == 201
    return only_card(connector.sent[-1])


async def rows(database: Database, model: type[Any]) -> list[Any]:
    async with database.sessions() as session:
        return list((await session.execute(select(model))).scalars())


async def test_a_question_gets_the_answer_with_source_and_deadline(
    client: TestClient, connector: FakeConnector
) -> None:
    card = await ask(client, connector, "ICPC timescale? strategy discussion was on 20 November")

    texts = card_texts(card)
    assert texts[:2] == [
        "ICPC timing in our council",
        "Local procedure: this is your council's own guidance.",
    ]
    assert "within 10 working days of the strategy discussion" in texts[2]
    assert texts[3] == (
        "If the strategy discussion was on Friday 20 November 2026, the deadline is Friday "
        "4 December 2026: 10 working days (day 1 is the first working day after it; weekends "
        "and bank holidays in England and Wales are not counted)."
    )
    assert "Source: Our council's child protection procedures, 3.2" in texts
    assert "Applies to: Local procedures 2026. Reviewed 20 November 2026." in texts
    execute = [a for a in card["actions"] if a["type"] == "Action.Execute"]
    assert [a["title"] for a in execute] == ["Helpful", "Not helpful"]
    assert [a["fallback"]["type"] for a in execute] == ["Action.Submit", "Action.Submit"]


async def test_an_unclear_question_offers_topics_and_is_recorded(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    card = await ask(client, connector, "where do I park at county hall")

    assert card_texts(card)[0] == "I'm not sure I have the right answer to that."
    [gap] = await rows(database, UnansweredQuestion)
    assert gap.question == "where do I park at county hall"
    assert gap.staff_id is not None


async def test_a_vote_by_submit_is_stored_and_the_card_refreshed_in_place(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    card = await ask(client, connector, "ICPC timescale")
    data = card["actions"][0]["fallback"]["data"]

    for helpful in (True, False):
        vote = fakes.activity(
            "message",
            connector.url,
            value={**data, "helpful": helpful},
            replyToId="sent-1",
            **AS_ADELE,
        )
        assert (await client.post("/api/messages", json=vote)).status == 201

    assert [u["_updated_id"] for u in connector.updated] == ["sent-1", "sent-1"]
    refreshed = only_card(connector.updated[-1])
    assert card_texts(refreshed)[-1].startswith("Thanks: you said this was not helpful.")
    assert [a["type"] for a in refreshed["actions"]] == []
    [feedback] = await rows(database, AnswerFeedback)
    assert (feedback.entry_id, feedback.voter, feedback.helpful) == (
        "icpc-timescale",
        "adelev@example.com",
        False,
    )


async def test_a_vote_by_execute_answers_with_the_refreshed_card(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    card = await ask(client, connector, "ICPC timescale")
    execute = card["actions"][0]
    invoke = fakes.activity(
        "invoke",
        connector.url,
        name="adaptiveCard/action",
        value={
            "action": {"type": "Action.Execute", "verb": execute["verb"], "data": execute["data"]}
        },
        **AS_ADELE,
    )

    response = await client.post("/api/messages", json=invoke)

    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert card_texts(body["value"])[-1] == "Thanks: you found this helpful."
    [feedback] = await rows(database, AnswerFeedback)
    assert feedback.helpful is True


@pytest.mark.parametrize(
    "data",
    [
        {
            "action": "answer_feedback",
            "entry": "no-such-entry",
            "answer_ref": "x",
            "helpful": True,
        },
        {"action": "answer_feedback", "entry": "icpc-timescale", "helpful": "yes"},
        {"action": "delete_everything"},
        {"action": "show_entry", "entry": "../etc/passwd"},
    ],
)
async def test_forged_or_stale_submissions_are_refused_and_change_nothing(
    client: TestClient,
    connector: FakeConnector,
    database: Database,
    caplog: pytest.LogCaptureFixture,
    data: dict[str, Any],
) -> None:
    submit = fakes.activity("message", connector.url, value=data, **AS_ADELE)

    assert (await client.post("/api/messages", json=submit)).status == 201

    assert connector.sent[-1]["text"].startswith("Sorry, that did not work:")
    assert connector.updated == []
    assert await rows(database, AnswerFeedback) == []
    assert "Refused a card action" in caplog.text


async def test_picking_a_suggested_topic_shows_its_answer(
    client: TestClient, connector: FakeConnector
) -> None:
    submit = fakes.activity(
        "message",
        connector.url,
        value={"action": "show_entry", "entry": "icpc-timescale"},
        **AS_ADELE,
    )

    await client.post("/api/messages", json=submit)

    assert card_texts(only_card(connector.sent[-1]))[0] == "ICPC timing in our council"


async def say(client: TestClient, connector: FakeConnector, text: str) -> dict[str, Any]:
    """The activity the bot sent in answer to `text`."""
    response = await client.post(
        "/api/messages", json=fakes.message(connector.url, text, **AS_ADELE)
    )
    assert response.status == 201
    return connector.sent[-1]


@pytest.mark.parametrize("text", ["thanks!", "👍", "@Inspection Ready hello", "Good morning"])
async def test_small_talk_gets_a_short_answer_and_is_not_queued(
    client: TestClient, connector: FakeConnector, database: Database, text: str
) -> None:
    sent = await say(client, connector, text)

    assert sent.get("attachments") in (None, [])
    assert sent["text"] in {kind.value for kind in SmallTalk}
    assert await rows(database, UnansweredQuestion) == []


async def test_a_question_naming_a_child_is_answered_with_a_reminder_and_kept_redacted(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    answered = only_card(
        await say(client, connector, "Jayden Smith had his ICPC, when is the first core group")
    )
    not_sure = only_card(
        await say(client, connector, "is Jayden Smith's school allowed to see his plan")
    )

    assert card_texts(answered)[0] == REMINDER
    assert card_texts(not_sure)[0] == REMINDER
    [kept] = await rows(database, UnansweredQuestion)
    assert "Jayden" not in kept.question
    assert "Smith" not in kept.question
    assert "school allowed to see his plan" in kept.question


async def test_a_compound_question_gets_both_answers_on_one_card(
    client: TestClient, connector: FakeConnector
) -> None:
    card = only_card(await say(client, connector, "icpc and first core group timescales"))

    texts = card_texts(card)
    assert texts[0] == "ICPC timing in our council"
    assert "First core group meeting timing" in texts
    assert sum(t.startswith("Source: ") for t in texts) == 2


async def test_a_part_answered_by_its_likely_entry_says_so_on_the_card(
    client: TestClient, connector: FakeConnector
) -> None:
    card = only_card(
        await say(
            client,
            connector,
            "when exactly does the overall effectiveness grade go, and what's the new "
            "framework ofsted is consulting on called?",
        )
    )

    texts = card_texts(card)
    assert texts[0] == "Overall effectiveness judgement removed (April 2026)"
    think = texts.index(
        "I think you are asking about New children and families services framework (2027)."
    )
    assert texts[think + 1] == "New children and families services framework (2027)"
    assert sum(t.startswith("Source: ") for t in texts) == 2


async def test_a_likely_answer_says_so_and_offers_the_other_topics(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    question = "jtai - who's involved"
    card = only_card(await say(client, connector, question))

    texts = card_texts(card)
    assert texts[0].startswith("I think you are asking about ")
    [choices] = [e for e in card["body"] if e["type"] == "Input.ChoiceSet"]
    assert len(choices["choices"]) == 2
    shows = [a for e in card["body"] if e["type"] == "ActionSet" for a in e["actions"]]
    assert [(a["type"], a["verb"]) for a in shows] == [("Action.Execute", "show_entry")]
    assert await rows(database, UnansweredQuestion) == []
