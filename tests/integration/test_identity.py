"""Matching a Teams user to the roster: by object id, else by UPN then mail, never borrowed."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.identity import Identity, Refusal, identify
from store.db import Database
from store.models import AuditLogEntry, ChangeSource, ConversationReference, Staff
from store.repositories import audit_log
from store.repositories import staff as staff_repository
from teams.types import Member, StoredReference, TeamsUser
from tests.importing import STAFF_HEADER, run, write_csv

HOME = "tenant-home"
HOME_TENANTS = frozenset({HOME})
WHERE = StoredReference("https://smba.example/", "a:personal-chat")


@dataclass
class FakeDirectory:
    """Answers member look-ups from a dict and records who was asked about."""

    members: dict[str, Member] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    async def member(self, where: StoredReference, user_id: str) -> Member | None:
        self.asked.append(user_id)
        return self.members.get(user_id)


def member(upn: str | None, mail: str | None = None, **fields: str) -> Member:
    return Member(
        user_principal_name=upn,
        email=mail,
        tenant_id=fields.get("tenant_id", HOME),
        user_role=fields.get("user_role", "user"),
    )


@pytest.fixture
async def roster(database: Database, tmp_path: Path) -> Database:
    roster = f"""
{STAFF_HEADER}
adelev@example.com,Adele Vance,practitioner,,,
isaiahl@example.com,Isaiah Langer,practitioner,,,
"""
    await run(database, "staff", write_csv(tmp_path / "staff.csv", roster))
    return database


async def resolve(
    database: Database,
    user: TeamsUser,
    directory: FakeDirectory,
    home: frozenset[str] = HOME_TENANTS,
) -> Identity:
    return await identify(database, user, WHERE, directory, home)


async def staff_row(database: Database, email: str) -> Staff:
    async with database.sessions() as session:
        found = await staff_repository.find_by_email(session, email)
    assert found is not None
    return found


async def audit_count(database: Database) -> int:
    async with database.sessions() as session:
        return (
            await session.execute(select(func.count()).select_from(AuditLogEntry))
        ).scalar_one()


async def test_matches_by_upn_and_remembers_the_aad_object_id(roster: Database) -> None:
    directory = FakeDirectory({"29:adele": member("AdeleV@example.com", "other@example.com")})
    adele = TeamsUser("29:adele", "aad-adele", "Adele Vance", HOME)

    first = await resolve(roster, adele, directory)
    second = await resolve(roster, adele, directory)

    assert first.staff is not None
    assert second.staff is not None
    assert (first.staff.email, second.staff.email) == ("adelev@example.com", "adelev@example.com")
    assert second.staff.aad_object_id == "aad-adele"
    # The second turn found the link without asking Teams.
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


async def test_upn_is_tried_before_mail(roster: Database) -> None:
    # The mail attribute names Adele, but the verified UPN is Isaiah's: Isaiah it is.
    directory = FakeDirectory({"29:x": member("isaiahl@example.com", "adelev@example.com")})

    identity = await resolve(roster, TeamsUser("29:x", "aad-x", None, HOME), directory)

    assert identity.staff is not None
    assert identity.staff.email == "isaiahl@example.com"


async def test_falls_back_to_mail_when_the_upn_is_not_on_the_roster(roster: Database) -> None:
    directory = FakeDirectory({"29:isaiah": member("isaiah@example.com", "IsaiahL@example.com")})

    identity = await resolve(roster, TeamsUser("29:isaiah", "aad-isaiah", None, HOME), directory)

    assert identity.staff is not None
    assert identity.staff.email == "isaiahl@example.com"


async def test_someone_not_on_the_roster_is_not_matched(roster: Database) -> None:
    directory = FakeDirectory({"29:guest": member("guest@elsewhere.example")})

    identity = await resolve(roster, TeamsUser("29:guest", "aad-guest", None, HOME), directory)

    assert identity == Identity()
    async with roster.sessions() as session:
        assert await staff_repository.find_by_aad_object_id(session, "aad-guest") is None


async def test_no_directory_answer_means_no_match(roster: Database) -> None:
    identity = await resolve(
        roster, TeamsUser("29:adele", "aad-adele", None, HOME), FakeDirectory()
    )

    assert identity == Identity()


async def test_a_linked_row_is_never_taken_over_by_a_second_account(roster: Database) -> None:
    real = TeamsUser("29:adele", "aad-adele", "Adele Vance", HOME)
    impostor = TeamsUser("29:other", "aad-impostor", "Adele Vance", HOME)
    directory = FakeDirectory(
        {
            "29:adele": member("adelev@example.com"),
            # Same tenant, same mail address: the mail attribute is not verified.
            "29:other": member("someone@example.com", "adelev@example.com"),
        }
    )
    await resolve(roster, real, directory)
    before = await audit_count(roster)

    refused = await resolve(roster, impostor, directory)
    refused_again = await resolve(roster, impostor, directory)
    real_again = await resolve(roster, real, directory)

    assert refused == Identity(refused=Refusal.LINKED_ELSEWHERE)
    assert refused_again == Identity(refused=Refusal.LINKED_ELSEWHERE)
    assert real_again.staff is not None
    assert real_again.staff.aad_object_id == "aad-adele"
    assert (await staff_row(roster, "adelev@example.com")).aad_object_id == "aad-adele"
    # One audit entry for the refusal, not one per message.
    assert await audit_count(roster) == before + 1
    async with roster.sessions() as session:
        [attempt] = await staff_repository.refused_links(
            session, await staff_row(roster, "adelev@example.com")
        )
    assert (attempt.aad_object_id, attempt.display_name) == ("aad-impostor", "Adele Vance")
    assert attempt.reason == Refusal.LINKED_ELSEWHERE.value


@pytest.mark.parametrize(
    ("found", "refusal"),
    [
        (member("adelev@example.com", user_role="guest"), Refusal.GUEST),
        (member("adelev@example.com", user_role="Anonymous"), Refusal.GUEST),
        (member("adelev@example.com", tenant_id="tenant-other"), Refusal.OTHER_TENANT),
    ],
    ids=["guest", "anonymous", "other-tenant"],
)
async def test_guests_and_other_tenants_are_never_matched_by_address(
    roster: Database, found: Member, refusal: Refusal
) -> None:
    directory = FakeDirectory({"29:g": found})

    identity = await resolve(roster, TeamsUser("29:g", "aad-g", "Visitor", HOME), directory)

    assert identity == Identity(refused=refusal)
    assert (await staff_row(roster, "adelev@example.com")).aad_object_id is None


async def test_without_a_configured_tenant_the_activitys_own_tenant_is_home(
    roster: Database,
) -> None:
    directory = FakeDirectory(
        {
            "29:a": member("adelev@example.com", tenant_id="tenant-dev"),
            "29:b": member("isaiahl@example.com", tenant_id="tenant-elsewhere"),
        }
    )

    same = await resolve(
        roster, TeamsUser("29:a", "aad-a", None, "tenant-dev"), directory, frozenset()
    )
    other = await resolve(
        roster, TeamsUser("29:b", "aad-b", None, "tenant-dev"), directory, frozenset()
    )

    assert same.staff is not None
    assert other == Identity(refused=Refusal.OTHER_TENANT)


async def test_an_account_without_an_object_id_is_never_matched_by_address(
    roster: Database,
) -> None:
    directory = FakeDirectory({"29:adele": member("adelev@example.com")})

    identity = await resolve(roster, TeamsUser("29:adele", None, None, HOME), directory)

    assert identity == Identity(refused=Refusal.NO_OBJECT_ID)
    assert (await staff_row(roster, "adelev@example.com")).aad_object_id is None


async def test_a_guest_upn_is_a_guest_even_without_a_role(roster: Database) -> None:
    guest = Member(
        user_principal_name="adelev_example.com#EXT#@council.onmicrosoft.com",
        email="adelev@example.com",
        tenant_id=HOME,
        user_role=None,
    )

    identity = await resolve(
        roster, TeamsUser("29:g", "aad-g", None, HOME), FakeDirectory({"29:g": guest})
    )

    assert identity == Identity(refused=Refusal.GUEST)
    assert (await staff_row(roster, "adelev@example.com")).aad_object_id is None


async def test_an_account_without_an_object_id_cannot_use_a_linked_row(roster: Database) -> None:
    directory = FakeDirectory(
        {"29:adele": member("adelev@example.com"), "29:anon": member("adelev@example.com")}
    )
    await resolve(roster, TeamsUser("29:adele", "aad-adele", None, HOME), directory)

    identity = await resolve(roster, TeamsUser("29:anon", None, None, HOME), directory)

    assert identity == Identity(refused=Refusal.NO_OBJECT_ID)


async def test_a_coordinator_relinks_and_the_chats_follow(roster: Database) -> None:
    directory = FakeDirectory(
        {"29:old": member("adelev@example.com"), "29:new": member("adelev@example.com")}
    )
    await resolve(roster, TeamsUser("29:old", "aad-old", None, HOME), directory)
    adele = await staff_row(roster, "adelev@example.com")
    async with roster.sessions() as session, session.begin():
        for user, aad in (("29:old", "aad-old"), ("29:new", "aad-new")):
            session.add(
                ConversationReference(
                    conversation_id=f"a:{aad}",
                    conversation_type="personal",
                    staff_id=adele.id if aad == "aad-old" else None,
                    user_id=user,
                    user_aad_object_id=aad,
                    service_url="https://smba.example/",
                    channel_id="msteams",
                    reference={},
                )
            )
    assert (await resolve(roster, TeamsUser("29:new", "aad-new", None, HOME), directory)).refused

    async with roster.sessions() as session, session.begin():
        row = await session.get(Staff, adele.id)
        assert row is not None
        await staff_repository.relink(session, row, "aad-new", actor="alexw@example.com")

    identity = await resolve(roster, TeamsUser("29:new", "aad-new", None, HOME), directory)
    old = await resolve(roster, TeamsUser("29:old", "aad-old", None, HOME), directory)
    assert identity.staff is not None
    assert identity.staff.email == "adelev@example.com"
    assert old == Identity(refused=Refusal.LINKED_ELSEWHERE)
    async with roster.sessions() as session:
        owners = dict(
            (
                await session.execute(
                    select(
                        ConversationReference.user_aad_object_id, ConversationReference.staff_id
                    )
                )
            ).all()
        )
        history = await audit_log.history(session, "staff", "adelev@example.com")
    assert owners == {"aad-old": None, "aad-new": adele.id}
    relinked = [entry for entry in history if entry.field == "aad_object_id"][-1]
    assert (relinked.actor, relinked.old_value, relinked.new_value) == (
        "alexw@example.com",
        "aad-old",
        "aad-new",
    )


async def test_relinking_to_an_account_someone_else_holds_is_refused(roster: Database) -> None:
    directory = FakeDirectory({"29:isaiah": member("isaiahl@example.com")})
    await resolve(roster, TeamsUser("29:isaiah", "aad-isaiah", None, HOME), directory)
    adele = await staff_row(roster, "adelev@example.com")

    async with roster.sessions() as session, session.begin():
        row = await session.get(Staff, adele.id)
        assert row is not None
        with pytest.raises(staff_repository.IdentityInUseError, match="isaiahl@example.com"):
            await staff_repository.relink(session, row, "aad-isaiah", actor="alexw@example.com")

    assert (await staff_row(roster, "adelev@example.com")).aad_object_id is None


async def test_the_same_account_arriving_twice_at_once_is_linked_not_refused(
    roster: Database,
) -> None:
    # Teams sends installationUpdate and conversationUpdate together for one install.
    directory = FakeDirectory({"29:adele": member("adelev@example.com")})
    adele = TeamsUser("29:adele", "aad-adele", "Adele Vance", HOME)

    identities = await asyncio.gather(*(resolve(roster, adele, directory) for _ in range(4)))

    assert [i.refused for i in identities] == [None] * 4
    assert {i.staff.email for i in identities if i.staff} == {"adelev@example.com"}
    async with roster.sessions() as session:
        refusals = await staff_repository.refused_links(
            session, await staff_row(roster, "adelev@example.com")
        )
    assert refusals == []
