"""Shared fixtures: databases on SQLite and PostgreSQL, the fake connector, the app."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from aiohttp import web_app
from aiohttp.test_utils import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import create_app
from bot.settings import Settings, parse_sdk
from knowledge.library import KnowledgeBase
from store.db import Database
from store.migrate import upgrade_database
from teams.factory import Sdk
from tests.fake_notify import FakeNotify
from tests.fakes import FakeConnector

# The property tests check what is drawn, not how fast: on a shared two-core machine one
# example can take longer than Hypothesis' 200 ms default, which is no failure of the code.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")

POSTGRES_ENV = "INSPECTION_READY_TEST_POSTGRES_URL"
# The tests that go through the edge run on the SDK this names (botbuilder by default);
# `make test` runs them once more with INSPECTION_READY_SDK=agents.
SDK_ENV = "INSPECTION_READY_SDK"
EDGE_FIXTURES = frozenset({"make_client", "connector", "sdk"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks every test that talks to the bot through an SDK as `edge`."""
    for item in items:
        if EDGE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.edge)


ClientFactory = Callable[..., Awaitable[TestClient]]


def sqlite_url(directory: Path) -> str:
    return f"sqlite+aiosqlite:///{directory / 'inspection-ready.db'}"


# The second pass on the Agents SDK checks the edge, which never touches the database; the
# storage behind it is the same code whichever SDK runs, so that pass uses SQLite only.
DATABASES = ["sqlite"] if os.environ.get(SDK_ENV) == "agents" else ["sqlite", "postgresql"]


NO_POSTGRES = (
    f"{POSTGRES_ENV} is not set. `make test` starts a PostgreSQL server and sets it; to run "
    "pytest by hand, start one with `scripts/test-postgres.sh start` and export the URL it "
    "prints."
)


@pytest.fixture(params=DATABASES)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database of each kind; PostgreSQL is required, never skipped."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        pytest.fail(NO_POSTGRES)
    name = f"ir_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@dataclass(frozen=True)
class MigratedTemplates:
    """Databases migrated once for the run, that each test's database is copied from."""

    sqlite_file: Path
    # A PostgreSQL database to CREATE DATABASE ... TEMPLATE from; None when not in this run.
    postgres_name: str | None


def _run_apart(work: Coroutine[Any, Any, None]) -> None:
    # Session set-up may run while a test's event loop exists: a thread has none.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, work).result()


async def _migrate(url: str) -> None:
    db = Database(url)
    await upgrade_database(db)
    await db.dispose()


async def _create_database(admin_url: str, name: str, template: str | None = None) -> None:
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            like = f' TEMPLATE "{template}"' if template else ""
            await connection.execute(text(f'CREATE DATABASE "{name}"{like}'))
    finally:
        await admin.dispose()


async def _drop_database(admin_url: str, name: str) -> None:
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


def _postgres_url(admin_url: str, name: str) -> str:
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedTemplates]:
    """Migrating took 0.3-0.6 s a test; a copy of a migrated database takes a fraction."""
    sqlite_file = tmp_path_factory.mktemp("template") / "inspection-ready.db"
    _run_apart(_migrate(f"sqlite+aiosqlite:///{sqlite_file}"))
    admin_url = os.environ.get(POSTGRES_ENV)
    postgres_name = None
    if "postgresql" in DATABASES and admin_url:
        postgres_name = f"ir_template_{uuid.uuid4().hex[:12]}"
        _run_apart(_create_database(admin_url, postgres_name))
        _run_apart(_migrate(_postgres_url(admin_url, postgres_name)))
    yield MigratedTemplates(sqlite_file, postgres_name)
    if admin_url and postgres_name:
        _run_apart(_drop_database(admin_url, postgres_name))


@pytest.fixture(params=DATABASES)
async def database(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_templates: MigratedTemplates
) -> AsyncIterator[Database]:
    """A migrated database of each kind, copied from one migrated once for the run; the
    upgrade that follows finds nothing to do, and would catch a copy gone wrong."""
    if request.param == "sqlite":
        shutil.copyfile(migrated_templates.sqlite_file, tmp_path / "inspection-ready.db")
        db = Database(sqlite_url(tmp_path))
        await upgrade_database(db)
        yield db
        await db.dispose()
        return
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url or migrated_templates.postgres_name is None:
        pytest.fail(NO_POSTGRES)
    name = f"ir_test_{uuid.uuid4().hex[:12]}"
    await _create_database(admin_url, name, template=migrated_templates.postgres_name)
    db = Database(_postgres_url(admin_url, name))
    try:
        await upgrade_database(db)
        yield db
    finally:
        await db.dispose()
        await _drop_database(admin_url, name)


@pytest.fixture
async def sqlite_database(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated SQLite database, for tests about behaviour rather than storage."""
    db = Database(sqlite_url(tmp_path))
    await upgrade_database(db)
    yield db
    await db.dispose()


@pytest.fixture(autouse=True)
def forget_finished_apps() -> Iterator[None]:
    """Lets each test's app go when the test ends.

    aiohttp caches every app's middleware chain in an lru_cache of 1,024 entries keyed by the
    apps themselves. A service has one app; the suite starts one per test, and the cache
    kept a thousand finished apps alive, with their knowledge indexes and database engines:
    gigabytes by the end of the run.
    """
    yield
    web_app._cached_build_middleware.cache_clear()


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    """A running fake Teams connector."""
    fake = FakeConnector()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def notify() -> AsyncIterator[FakeNotify]:
    """A running fake GOV.UK Notify."""
    fake = FakeNotify()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture(scope="session")
def shipped_knowledge() -> KnowledgeBase:
    """The knowledge base as shipped, built once for the run (not at import)."""
    return KnowledgeBase.load()


@pytest.fixture(scope="session", autouse=True)
def _shipped_knowledge_built_once(shipped_knowledge: KnowledgeBase) -> Iterator[None]:
    """Every app a test starts gets the one shipped knowledge base: nothing changes it once
    built, and building it took 0.15 s per app. A council's own folder is loaded afresh."""
    load = KnowledgeBase.load

    def shipped_or_loaded(local_folder: Path | None = None) -> KnowledgeBase:
        return shipped_knowledge if local_folder is None else load(local_folder)

    with patch.object(KnowledgeBase, "load", staticmethod(shipped_or_loaded)):
        yield


@pytest.fixture(scope="session")
def sdk() -> Sdk:
    """The SDK the edge runs on in this test run (INSPECTION_READY_SDK)."""
    return parse_sdk(os.environ.get(SDK_ENV, ""))


@pytest.fixture
def make_client(
    aiohttp_client: ClientFactory, sdk: Sdk
) -> Callable[[Settings], Awaitable[TestClient]]:
    """Starts the real app with the given settings (on this run's SDK) and a client for it."""

    async def start(settings: Settings, **options: Any) -> TestClient:
        return await aiohttp_client(create_app(replace(settings, sdk=sdk), **options))

    return start
