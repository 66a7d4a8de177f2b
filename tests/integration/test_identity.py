"""Matching a Teams user to the roster: AAD object id first, then email or UPN, remembered."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.identity import TeamsUser, identify
from store.db import Database
from store.models import ChangeSource, Staff
from store.repositories import audit_log
from store.repositories import staff as staff_repository
from tests.importing import STAFF_HEADER, run, write_csv


@dataclass
class FakeDirectory:
    """Answers member look-ups from a dict and records who was asked about."""

    addresses: dict[str, list[str]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    async def addresses_of(self, user_id: str) -> list[str]:
        self.asked.append(user_id)
        return self.addresses.get(user_id, [])


@pytest.fixture
async def roster(database: Database, tmp_path: Path) -> Database:
    roster = f"""
{STAFF_HEADER}
adelev@example.com,Adele Vance,practitioner,,,
isaiahl@example.com,Isaiah Langer,practitioner,,,
"""
    await run(database, "staff", write_csv(tmp_path / "staff.csv", roster))
    return database


async def resolve(database: Database, user: TeamsUser, directory: FakeDirectory) -> Staff | None:
    async with database.sessions() as session, session.begin():
        return await identify(session, user, directory)


async def test_matches_by_email_and_remembers_the_aad_object_id(roster: Database) -> None:
    directory = FakeDirectory({"29:adele": ["AdeleV@example.com", "adele.upn@example.com"]})
    adele = TeamsUser("29:adele", "aad-adele", "Adele Vance")

    first = await resolve(roster, adele, directory)
    second = await resolve(roster, adele, directory)

    assert first is not None
    assert second is not None
    assert (first.email, second.email) == ("adelev@example.com", "adelev@example.com")
    assert second.aad_object_id == "aad-adele"
    assert directory.asked == ["29:adele"]
    async with roster.sessions() as session:
        created, entry = await audit_log.history(session, "staff", "adelev@example.com")
    assert created.source is ChangeSource.IMPORT
    assert (entry.source, entry.actor, entry.field, entry.old_value, entry.new_value) == (
        ChangeSource.BOT,
        "adelev@example.com",
        "aad_object_id",
        None,
        "aad-adele",
    )


async def test_falls_back_to_the_user_principal_name(roster: Database) -> None:
    directory = FakeDirectory({"29:isaiah": ["isaiah.mail@example.com", "IsaiahL@example.com"]})

    staff = await resolve(roster, TeamsUser("29:isaiah", "aad-isaiah"), directory)

    assert staff is not None
    assert staff.email == "isaiahl@example.com"


async def test_someone_not_on_the_roster_is_not_matched(roster: Database) -> None:
    directory = FakeDirectory({"29:guest": ["guest@elsewhere.example"]})

    assert await resolve(roster, TeamsUser("29:guest", "aad-guest"), directory) is None
    async with roster.sessions() as session:
        assert await staff_repository.find_by_aad_object_id(session, "aad-guest") is None


async def test_no_directory_answer_means_no_match(roster: Database) -> None:
    assert await resolve(roster, TeamsUser("29:adele", "aad-adele"), FakeDirectory()) is None


async def test_without_an_aad_object_id_the_match_is_by_email_each_time(roster: Database) -> None:
    directory = FakeDirectory({"29:adele": ["adelev@example.com"]})

    await resolve(roster, TeamsUser("29:adele"), directory)
    staff = await resolve(roster, TeamsUser("29:adele"), directory)

    assert staff is not None
    assert staff.aad_object_id is None
    assert directory.asked == ["29:adele", "29:adele"]


async def test_a_new_aad_object_id_for_the_same_email_replaces_the_old(roster: Database) -> None:
    directory = FakeDirectory({"29:adele": ["adelev@example.com"]})
    await resolve(roster, TeamsUser("29:adele", "aad-old"), directory)

    staff = await resolve(roster, TeamsUser("29:adele", "aad-new"), directory)

    assert staff is not None
    assert staff.aad_object_id == "aad-new"
