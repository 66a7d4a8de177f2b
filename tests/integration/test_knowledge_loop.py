"""Unanswered questions and 'not helpful' votes reach the coordinators, who answer in chat."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from cards.rendering import materialise
from knowledge.entries import load_entries
from knowledge.library import KnowledgeBase
from knowledge.working_days import WorkingDays
from notifications.knowledge_digest import is_digest_day
from notifications.quiet_hours import QuietHours, WorkingHours
from notifications.reminder_pass import ReminderPass
from notifications.rules import ReminderRules
from store.db import Database
from store.models import OutboxMessage, Staff, StaffRole, UnansweredQuestion
from store.repositories import knowledge as knowledge_repository
from tests import fakes
from tests.cards import buttons, text_blocks
from tests.chat import StartClient, as_, demo_client, press, say
from tests.fakes import FakeConnector

LONDON = ZoneInfo("Europe/London")
MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
QUIET = QuietHours(LONDON, WorkingHours(time(8), time(18)), WorkingDays())
QUESTION = "what is the timescale for a private fostering visit"


def test_the_digest_goes_out_on_the_first_working_day_of_the_week() -> None:
    calendar = WorkingDays()
    assert is_digest_day(date(2026, 11, 30), calendar)  # Monday
    assert not is_digest_day(date(2026, 12, 1), calendar)
    assert not is_digest_day(date(2026, 12, 5), calendar)  # Saturday
    # Easter Monday 2027 is a bank holiday: Tuesday is the week's first working day.
    assert not is_digest_day(date(2027, 3, 29), calendar)
    assert is_digest_day(date(2027, 3, 30), calendar)


@pytest.fixture
def local(tmp_path: Path) -> Path:
    folder = tmp_path / "local-knowledge"
    folder.mkdir()
    return folder


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient, local: Path
) -> TestClient:
    return await demo_client(database, connector, make_client, greet=True, local_knowledge=local)


async def digests(database: Database) -> list[OutboxMessage]:
    async with database.sessions() as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == "knowledge_digest")
        return list((await session.execute(query)).scalars())


async def coordinators(database: Database) -> set[int]:
    async with database.sessions() as session:
        query = select(Staff.id).where(Staff.role == StaffRole.COORDINATOR)
        return set((await session.execute(query)).scalars())


async def test_a_weekly_digest_lists_gaps_and_votes_for_each_coordinator_once(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    await say(client, connector, "adelev", QUESTION)
    async with database.sessions() as session, session.begin():
        await knowledge_repository.record_vote(
            session, answer_ref="r1", entry_id="icpc-timescale", voter="a@x", helpful=False
        )
    knowledge = KnowledgeBase.load()
    titles = {"icpc-timescale": knowledge.entry("icpc-timescale").title}  # type: ignore[union-attr]
    reminders = ReminderPass(database, ReminderRules(), WorkingDays(), QUIET, titles.get)

    monday = await reminders.run(MONDAY_9AM, date(2026, 11, 30))
    again = await reminders.run(MONDAY_9AM, date(2026, 11, 30))
    tuesday = await reminders.run(MONDAY_9AM, date(2026, 12, 1))

    sent = await digests(database)
    assert monday.digests == len(await coordinators(database)) > 0
    assert (again.digests, tuesday.digests) == (0, 0)
    assert {m.recipient_id for m in sent} == await coordinators(database)
    card = materialise(sent[0].payload)["card"]
    texts = text_blocks(card)
    assert texts[1] == (
        "In the last 7 days: 1 question I could not answer and 1 answer marked not helpful."
    )
    assert f"“{QUESTION}”" in texts
    facts = [f for e in card["body"] if e["type"] == "FactSet" for f in e["facts"]]
    assert facts == [{"title": titles["icpc-timescale"], "value": "1"}]
    assert list(buttons(card)) == ["Save the answer"]


async def test_a_quiet_week_sends_no_digest(database: Database) -> None:
    reminders = ReminderPass(database, ReminderRules(), WorkingDays(), QUIET)

    report = await reminders.run(MONDAY_9AM, date(2026, 11, 30))

    assert report.digests == 0
    assert await digests(database) == []


def answer_data(question_id: int, answer: str, source: str) -> dict[str, object]:
    """What the digest card's Save button sends, with the two boxes filled in."""
    return {
        "action": "answer_question",
        "question": question_id,
        f"answer_{question_id}": answer,
        f"source_{question_id}": source,
    }


async def gap(database: Database) -> UnansweredQuestion:
    async with database.sessions() as session:
        return (await session.execute(select(UnansweredQuestion))).scalar_one()


async def test_a_coordinator_answers_it_becomes_a_local_entry_and_the_asker_is_told(
    client: TestClient, connector: FakeConnector, database: Database, local: Path
) -> None:
    install = fakes.installation(connector.url, **as_("adelev"))
    assert (await client.post("/api/messages", json=install)).status == 201
    await say(client, connector, "adelev", QUESTION)
    question = await gap(database)
    answer = answer_data(
        question.id,
        "Our procedure: visit within 7 working days of notification.",
        "Our private fostering procedure, section 4",
    )

    refused = await press(client, connector, "adelev", answer)
    saved = await press(client, connector, "alexw", answer)
    told = await sent_to(connector, "a:personal-adelev", "visit within 7 working days")
    twice = await press(client, connector, "alexw", answer)

    assert refused["text"] == (
        "Sorry, that did not work: only coordinators can answer the questions I could not. "
        "Please ask again."
    )
    assert saved["text"].startswith("Saved your answer as a local entry awaiting review")
    assert told.startswith("A coordinator has answered a question you asked me: “what is the")
    assert "answered this question already" in twice["text"]
    entry_id = review_and_publish(local, f"answered-question-{question.id}")
    reply = KnowledgeBase.load(local).respond(QUESTION, date(2026, 11, 30))
    assert [p.entry.id for p in reply.parts] == [entry_id]
    stored = await gap(database)
    assert (stored.answer_entry, stored.answered_at is not None) == (entry_id, True)


async def sent_to(connector: FakeConnector, conversation: str, words: str) -> str:
    """The text sent to `conversation` that has `words` in it, once the outbox has sent it."""
    for _ in range(100):
        for activity in connector.sent:
            text = str(activity.get("text"))
            if activity["_conversation_id"] == conversation and words in text:
                return text
        await asyncio.sleep(0.02)
    raise AssertionError(f"nothing with {words!r} was sent to {conversation}")


def review_and_publish(local: Path, entry_id: str) -> str:
    """Checks the entry waiting for review, then moves it where the service loads it."""
    written = local / "awaiting-review" / f"{entry_id}.yaml"
    [entry] = load_entries([written], local=True)
    assert entry.questions == (QUESTION,)
    assert entry.source.document == "Our private fostering procedure, section 4"
    # Awaiting review, the service does not answer from it.
    assert list(local.glob("*.yaml")) == []
    written.rename(local / written.name)
    return entry.id


async def test_without_a_local_folder_the_answer_is_refused_and_nothing_changes(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> None:
    client = await demo_client(database, connector, make_client, greet=True)
    await say(client, connector, "adelev", QUESTION)
    question = await gap(database)

    refused = await press(client, connector, "alexw", answer_data(question.id, "x", "y"))

    assert "INSPECTION_READY_LOCAL_KNOWLEDGE" in refused["text"]
    assert (await gap(database)).answered_at is None


async def test_an_answer_too_long_for_an_entry_is_refused_with_the_reason(
    client: TestClient, connector: FakeConnector, database: Database, local: Path
) -> None:
    await say(client, connector, "adelev", QUESTION)
    question = await gap(database)

    answer = answer_data(question.id, "word " * 140, "Our procedure")
    refused = await press(client, connector, "alexw", answer)

    assert "answer is longer than 130 words" in refused["text"]
    assert files_waiting(local) == []
    assert (await gap(database)).answered_at is None


def files_waiting(local: Path) -> list[str]:
    folder = local / "awaiting-review"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []
