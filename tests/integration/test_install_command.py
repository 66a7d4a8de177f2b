"""`inspection-ready install-for-roster [--dry-run]` against fakes of Graph and the identity
platform."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import build_parser, main
from notifications.installation import ENTITY
from store.db import Database
from store.models import AuditLogEntry, ConversationReference
from tests.conftest import sqlite_url
from tests.fake_microsoft import CLIENT_SECRET, FakeMicrosoft, GraphUser, running_microsoft

RACHEL = "5a1b2c3d-0000-4000-8000-000000000101"
TOM = "5a1b2c3d-0000-4000-8000-000000000102"
SUNITA = "5a1b2c3d-0000-4000-8000-000000000103"
ROSTER = 30


@pytest.fixture
async def microsoft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FakeMicrosoft]:
    async with running_microsoft(tmp_path, monkeypatch) as fakes:
        fakes.graph.add_user(GraphUser(RACHEL, "rachelo@example.com"))
        fakes.graph.add_user(GraphUser(TOM, "tomw@example.com", installed=True))
        fakes.graph.add_user(GraphUser(SUNITA, "sunitap@example.com", refuse=403))
        yield fakes


@pytest.fixture
async def roster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = sqlite_url(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    assert await run("demo") == 0
    return url


async def run(*argv: str) -> int:
    # The command runs its own event loop; the fakes go on answering on this one.
    return await asyncio.to_thread(main, list(argv))


def configure(monkeypatch: pytest.MonkeyPatch, microsoft: FakeMicrosoft) -> None:
    for name, value in microsoft.environ().items():
        monkeypatch.setenv(name, value)


async def counts(url: str) -> tuple[int, int]:
    database = Database(url)
    try:
        async with database.sessions() as session:
            logged = await session.scalar(
                select(func.count())
                .select_from(AuditLogEntry)
                .where(AuditLogEntry.entity == ENTITY)
            )
            chats = await session.scalar(select(func.count()).select_from(ConversationReference))
    finally:
        await database.dispose()
    return int(logged or 0), int(chats or 0)


async def test_a_dry_run_lists_who_would_be_installed_and_changes_nothing(
    roster: str,
    microsoft: FakeMicrosoft,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure(monkeypatch, microsoft)
    capsys.readouterr()

    assert await run("install-for-roster", "--dry-run") == 0

    lines = capsys.readouterr().out.splitlines()
    assert "rachelo@example.com  Rachel Okafor: would be installed" in lines
    assert len([line for line in lines if line.endswith(": would be installed")]) == ROSTER
    assert lines[-1] == (
        f"{ROSTER} of {ROSTER} people would be installed; the others have a chat with the bot "
        "(dry run: nothing was changed)."
    )
    assert microsoft.graph.seen == []
    assert microsoft.identity.seen == []
    assert await counts(roster) == (0, 0)


async def test_installing_reports_each_person_and_stores_the_chats_found(
    roster: str,
    microsoft: FakeMicrosoft,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure(monkeypatch, microsoft)
    capsys.readouterr()

    assert await run("install-for-roster") == 0

    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "rachelo@example.com  Rachel Okafor: installed" in lines
    assert "tomw@example.com  Tom Whitfield: already installed" in lines
    assert (
        "sunitap@example.com  Sunita Patel: could not be installed: not allowed (HTTP 403: "
        "Forbidden: App installation is blocked by policy.)" in lines
    )
    assert (
        "kwamem@example.com  Kwame Mensah: could not be installed: not found in your tenant "
        "(looked up by their email address: give their object id in the staff file's "
        "aad_object_id column)" in lines
    )
    assert lines[-1] == (
        "1 installed, 1 already installed, 28 could not be installed, 0 not installed yet; "
        "0 already had a chat with the bot."
    )
    assert CLIENT_SECRET not in out
    assert await counts(roster) == (ROSTER, 2)

    # Again: those with a chat now are left alone, and refusals are tried once more.
    capsys.readouterr()
    assert await run("install-for-roster") == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "0 installed, 0 already installed, 28 could not be installed, 0 not installed yet; "
        "2 already had a chat with the bot."
    )
    assert microsoft.graph.installs().count(SUNITA) == 2
    assert microsoft.graph.installs().count(RACHEL) == 1


async def test_without_the_catalogue_app_id_it_says_so_and_exits_2(
    roster: str,
    microsoft: FakeMicrosoft,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure(monkeypatch, microsoft)
    monkeypatch.delenv("INSPECTION_READY_CATALOG_APP_ID")
    capsys.readouterr()

    assert await run("install-for-roster") == 2
    assert await run("install-for-roster", "--dry-run") == 2

    err = capsys.readouterr().err
    assert (
        err.count(
            "inspection-ready: install-for-roster: installing the app through Microsoft Graph is "
            "not set up: set INSPECTION_READY_CATALOG_APP_ID"
        )
        == 2
    )
    assert microsoft.graph.seen == []


async def test_a_bad_setting_exits_2_naming_it(
    roster: str,
    microsoft: FakeMicrosoft,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure(monkeypatch, microsoft)
    monkeypatch.setenv("INSPECTION_READY_GRAPH_URL", "http://graph.example/v1.0")
    capsys.readouterr()

    assert await run("install-for-roster") == 2
    assert (
        "configuration error: INSPECTION_READY_GRAPH_URL must be an address like "
        "https://HOST/PATH" in capsys.readouterr().err
    )


async def test_a_refused_sign_in_means_nothing_could_be_done_and_exits_1(
    roster: str,
    microsoft: FakeMicrosoft,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure(monkeypatch, microsoft)
    monkeypatch.setenv("MicrosoftAppPassword", "an-old-secret")
    capsys.readouterr()

    assert await run("install-for-roster") == 1

    captured = capsys.readouterr()
    assert (
        "nothing could be installed: the Microsoft identity platform refused the app's sign-in "
        "(invalid_client: AADSTS7000215: Invalid client secret provided." in captured.err
    )
    assert "an-old-secret" not in captured.out + captured.err
    assert captured.out.splitlines()[-1].startswith("0 installed, 0 already installed, 0 could")
    assert microsoft.graph.seen == []
    # One token request, not one per person.
    assert [s.method for s in microsoft.identity.seen].count("POST") == 1


def test_the_command_is_in_the_help() -> None:
    shown = " ".join(build_parser().format_help().split())

    assert "install-for-roster" in shown
    assert "install the app through Microsoft Graph for roster members" in shown
