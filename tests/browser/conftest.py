"""Fixtures for the browser tests: one service, a playground and a browser page per person.

Everything is module-scoped: the page keeps its chat across the module's tests, as a
person's chat does, and the processes start once. Each person has their own playground
(the playground sends every message as its current user), all on the same service, so a
coordinator's alert reaches the others' chats.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Generator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright

from demo.playground import PLAYGROUND_USERS, playground_config
from tests.browser.chat_page import ChatPage, keep_to_loopback
from tests.e2e.playground import REPO_ROOT, PlaygroundClient, PlaygroundProcess, PlaygroundStream
from tests.e2e.service import ServiceProcess

CHROMIUM_ENV = "INSPECTION_READY_TEST_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO_ROOT / "var" / "test-artifacts" / "browser"

_REPORT = pytest.StashKey[pytest.TestReport]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[_REPORT] = report
    return report


@pytest_asyncio.fixture(loop_scope="module", autouse=True)
async def screenshot_on_failure(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """A failed test leaves a screenshot of every chat it used, as the chat looked then."""
    yield
    report = request.node.stash.get(_REPORT, None)
    if report is None or not report.failed:
        return
    for value in request.node.funcargs.values():
        if isinstance(value, ChatPage):
            await value.screenshot(f"FAILED-{request.node.name}-{value.who}")


def chromium_executable() -> str:
    """The system's Chromium; a missing one fails the tests, it never skips them."""
    executable = os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM
    if not Path(executable).is_file():
        pytest.fail(
            f"Chromium not found at {executable}. `make test` installs it with "
            f"scripts/test-chromium.sh; or set {CHROMIUM_ENV} to a Chromium binary."
        )
    return executable


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    """Headless Chromium from the system packages (`scripts/test-chromium.sh` installs it),
    not a browser build of Playwright's own."""
    executable = chromium_executable()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=executable, headless=True, timeout=30_000
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def service(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[ServiceProcess]:
    async with ServiceProcess(tmp_path_factory.mktemp("browser-service")) as running:
        yield running


@asynccontextmanager
async def playground_as(
    email: str, service: ServiceProcess, directory: Path
) -> AsyncIterator[PlaygroundProcess]:
    config = directory / f"playground-{email}.json"
    config.write_text(json.dumps(playground_config(email)), encoding="utf-8")
    async with PlaygroundProcess(service.endpoint, config_path=config) as playground:
        yield playground


@asynccontextmanager
async def chat_in_browser(
    email: str, who: str, service: ServiceProcess, browser: Browser, directory: Path
) -> AsyncIterator[ChatPage]:
    """The playground page opened in a fresh browser context, as `email` uses it."""
    async with playground_as(email, service, directory) as playground:
        context = await browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="Europe/London"
        )
        # A click or a wait that cannot happen fails in seconds, not Playwright's 30.
        context.set_default_timeout(10_000)
        try:
            await keep_to_loopback(context)
            chat = ChatPage(await context.new_page(), who, ARTIFACTS)
            await chat.open(playground.base_url)
            yield chat
        finally:
            await context.close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def alex(
    service: ServiceProcess, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[ChatPage]:
    """Alex Wilber, the demo coordinator (the playground's default user)."""
    directory = tmp_path_factory.mktemp("alex")
    async with chat_in_browser("alexw@example.com", "alex", service, browser, directory) as chat:
        yield chat


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def adele(
    service: ServiceProcess, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[ChatPage]:
    """Adele Vance, a practitioner in Assessment and intervention."""
    directory = tmp_path_factory.mktemp("adele")
    async with chat_in_browser("adelev@example.com", "adele", service, browser, directory) as chat:
        yield chat


def _installed(service: ServiceProcess) -> set[str]:
    with sqlite3.connect(service.database_path) as db:
        rows = db.execute(
            "SELECT s.email FROM conversation_reference c JOIN staff s ON s.id = c.staff_id"
            " WHERE c.active"
        ).fetchall()
    return {str(row[0]) for row in rows}


async def wait_until_installed(
    service: ServiceProcess, emails: set[str], within: float = 15.0
) -> None:
    """Waits until the service can message each of `emails` (the app is installed for them)."""
    deadline = time.monotonic() + within
    while not emails <= (known := await asyncio.to_thread(_installed, service)):
        if time.monotonic() >= deadline:
            raise AssertionError(
                f"the app is not installed for {sorted(emails - known)} after {within:g} s"
            )
        await asyncio.sleep(0.2)


@dataclass(frozen=True)
class HarnessChat:
    """Someone whose chat is driven through the playground's endpoints, not a browser."""

    client: PlaygroundClient
    stream: PlaygroundStream
    chat_id: str
    user_id: str


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def megan(
    service: ServiceProcess, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[HarnessChat]:
    """Megan Bowen, a manager, with the app installed in her personal chat."""
    email = "meganb@example.com"
    [user] = [u for u in PLAYGROUND_USERS if u["email"] == email]
    directory = tmp_path_factory.mktemp("megan")
    async with (
        playground_as(email, service, directory) as playground,
        aiohttp.ClientSession() as session,
    ):
        client = PlaygroundClient(playground.base_url, session)
        async with client.stream() as stream:
            config = (await client.config())["config"]
            chat_id = str(config["personalChat"]["id"])
            await client.install(chat_id)
            await wait_until_installed(service, {email}, within=30)
            yield HarnessChat(client, stream, chat_id, user["id"])
