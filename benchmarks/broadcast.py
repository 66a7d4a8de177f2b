"""The inspection-call broadcast: 5,000 recipients through a fake Teams, then a kill -9.

Usage: python -m benchmarks.broadcast [--recipients 5000] [--not-installed 0.3]
       [--refused 0.1] [--postgres ADMIN_URL]

Runs the real service (`python -m bot serve`) and a fake Teams connector
(benchmarks/fake_teams.py) as separate processes. The fake accepts 50 requests in any
second, answers 429 beyond that, and injects 5% 429s and 2% 5xx at random. A share of the
roster (`--not-installed`) has no chat with the bot: a fake Microsoft Graph and identity
platform (tests/fake_microsoft.py, on TLS with a throwaway CA) installs the app for them,
but refuses a share of those (`--refused`, 403: blocked by policy), who get the alert by
email through a fake GOV.UK Notify (tests/fake_notify.py). A coordinator confirms the alert
through /api/messages; the clock runs from that request until the last recipient has it,
by Teams or by email. The second run kills the service with SIGKILL once half the
recipients have their alert, restarts it, and waits for the rest (what the dead process had
claimed returns to the queue after INSPECTION_READY_CLAIM_TIMEOUT, 60 s by default). On
PostgreSQL a third run has two replicas sending from one database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import insert, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.fake_teams import object_id
from bot.progress import TerminalProgress
from store.db import Database
from store.importers.runner import ImportKind, import_file
from store.migrate import upgrade_database
from store.models import ConversationReference, Staff
from teams.types import StoredReference
from tests import fake_microsoft
from tests.e2e.playground import free_port
from tests.fake_microsoft import FakeGraph, FakeIdentityPlatform, FakeMicrosoft, GraphUser
from tests.fake_notify import EMAIL_TEMPLATE, SMS_TEMPLATE, FakeNotify

REPO_ROOT = Path(__file__).resolve().parent.parent
TEAMS_RATE = 50
COORDINATOR_AAD = "aad-coordinator"
TIMEOUT_SECONDS = 900
SCRATCH = "inspection_ready_broadcast_benchmark"


@dataclass(frozen=True)
class Roster:
    """Who is on it: how many, and who has no chat with the bot or cannot be installed."""

    recipients: int
    not_installed: float
    refused: float

    def installed(self, i: int) -> bool:
        # Spread evenly through the roster (every team has some), the same every run; in
        # whole percentages, so that rounding does not move anyone.
        share = round(self.not_installed * 100)
        return (i * share) % 100 >= share

    def refuses(self, i: int) -> bool:
        """Among those without the app, whether Graph refuses to install it for person i."""
        return not self.installed(i) and i % 100 < round(self.refused * 100)


@dataclass
class Result:
    """One run's figures."""

    recipients: int
    seconds: float
    delivered: int
    duplicates: int
    stats: dict[str, Any]

    started: float = 0.0
    installed: int = 0
    by_email: int = 0

    @property
    def first_after(self) -> float:
        return float(self.stats["first_at"]) - self.started

    @property
    def rate(self) -> float:
        return self.delivered / self.seconds


async def prepare(database_url: str, folder: Path, roster: Roster, teams_url: str) -> None:
    """A roster of one coordinator and `roster.recipients` people with their object ids;
    those who have the app have a personal chat with the bot."""
    database = Database(database_url)
    await upgrade_database(database)
    lines = ["email,name,role,team,manager_email,inspection_role,aad_object_id"]
    lines.append(
        "coordinator@example.com,Casey Coordinator,coordinator,QA,,Inspection coordinator,"
    )
    roles = ["", "", "", "Annex A lead", "Team manager: caseload lists"]
    for i in range(roster.recipients):
        email = f"person{i}@example.com"
        lines.append(
            f"{email},Person {i},practitioner,Team {i % 50},"
            f"coordinator@example.com,{roles[i % len(roles)]},{object_id(email)}"
        )
    staff_file = folder / "staff.csv"
    staff_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    await import_file(database, ImportKind.STAFF, staff_file)
    async with database.sessions() as session, session.begin():
        await session.execute(
            update(Staff)
            .where(Staff.email == "coordinator@example.com")
            .values(aad_object_id=COORDINATOR_AAD)
        )
        people = (await session.execute(Staff.__table__.select())).all()
        rows = [
            {
                "conversation_id": conversation(person.id, person.email),
                "conversation_type": "personal",
                "staff_id": person.id,
                "service_url": teams_url,
                "channel_id": "msteams",
                "active": True,
                "reference": StoredReference(
                    service_url=teams_url,
                    conversation_id=conversation(person.id, person.email),
                    user_id=f"29:{person.id}",
                    bot_id="28:bot",
                ).to_dict(),
            }
            for person in people
            if person.email.startswith("coordinator") or roster.installed(number(person.email))
        ]
        await session.execute(insert(ConversationReference), rows)
    await database.dispose()


async def fresh_database(admin_url: str) -> str:
    """An empty scratch database on the PostgreSQL server at `admin_url` (replaced each run)."""
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)'))
        await connection.execute(text(f'CREATE DATABASE "{SCRATCH}"'))
    await engine.dispose()
    return make_url(admin_url).set(database=SCRATCH).render_as_string(hide_password=False)


def number(email: str) -> int:
    return int(email.removeprefix("person").split("@")[0])


def fake_tenant(graph: FakeGraph, roster: Roster) -> None:
    """Everyone on the roster is a user of the fake tenant; installing is refused for some."""
    for i in range(roster.recipients):
        email = f"person{i}@example.com"
        graph.add_user(
            GraphUser(
                object_id(email),
                email,
                installed=roster.installed(i),
                refuse=403 if roster.refuses(i) else None,
            )
        )


def conversation(staff_id: int, email: str) -> str:
    # Recipients' chats start "a:r" so the fake can count them apart from the coordinator's.
    return "a:coordinator" if email.startswith("coordinator") else f"a:r{staff_id}"


class Service:
    """`python -m bot serve` in a subprocess."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self._env = {**env, "PORT": str(self.port)}
        self._log = log
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self._log.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1",
                cwd=REPO_ROOT, env=self._env, stdout=log, stderr=log,
            )  # fmt: skip
        await wait_for_http(f"http://127.0.0.1:{self.port}/readyz")

    def kill(self) -> None:
        if self._process is not None and self._process.returncode is None:
            os.kill(self._process.pid, signal.SIGKILL)

    async def stop(self) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            await self._process.wait()


async def wait_for_http(url: str, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {within} s")


async def stats(teams_url: str) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http, http.get(f"{teams_url}stats") as response:
        result: dict[str, Any] = await response.json()
        return result


async def confirm(service: Service, teams_url: str) -> None:
    """The coordinator presses 'Send the alert' (Action.Submit) on the preview card."""
    activity = {
        "type": "message",
        "id": "confirm-1",
        "serviceUrl": teams_url,
        "channelId": "msteams",
        "from": {"id": "29:coordinator", "name": "Casey", "aadObjectId": COORDINATOR_AAD},
        "conversation": {"id": "a:coordinator", "conversationType": "personal"},
        "recipient": {"id": "28:bot", "name": "Inspection Ready"},
        "replyToId": "preview-card",
        "value": {
            "action": "call_confirm",
            "inspection_type": "ilacs_short",
            "on_site": time.strftime("%Y-%m-%d", time.localtime(time.time() + 5 * 86400)),
            "drill": "true",
        },
    }
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"http://127.0.0.1:{service.port}/api/messages", json=activity) as response,
    ):
        if response.status != 201:
            raise RuntimeError(f"confirm answered {response.status}: {await response.text()}")


async def run(
    roster: Roster,
    database_url: str | None,
    *,
    kill_at: float | None,
    progress: TerminalProgress,
    replicas: int = 1,
) -> Result:
    recipients = roster.recipients
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        url = (
            await fresh_database(database_url)
            if database_url
            else f"sqlite+aiosqlite:///{folder / 'broadcast.db'}"
        )
        teams_port = free_port()
        teams_url = f"http://127.0.0.1:{teams_port}/"
        teams = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "benchmarks.fake_teams", "--port", str(teams_port),
            cwd=REPO_ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        services: list[Service] = []
        context, ca_file = fake_microsoft.make_tls(folder)
        identity = FakeIdentityPlatform()
        graph = FakeGraph(identity)
        notify = FakeNotify()
        try:
            await identity.start(context)
            await graph.start(context)
            await notify.start()
            fake_tenant(graph, roster)
            await wait_for_http(f"{teams_url}stats")
            await prepare(url, folder, roster, teams_url)
            env = service_environment(url, FakeMicrosoft(identity, graph), notify, ca_file)
            services = [Service(env, folder / "service.log") for _ in range(replicas)]
            for service in services:
                await service.start()
            started = time.time()
            await confirm(services[0], teams_url)
            killed = False
            deadline = time.monotonic() + TIMEOUT_SECONDS
            last_email_at, emailed_before = 0.0, 0
            while True:
                current = await stats(teams_url)
                emailed = {n["email_address"] for n in notify.of_type("email")}
                if len(emailed) > emailed_before:
                    # Seen when polled: a quarter of a second at worst after it arrived.
                    last_email_at, emailed_before = time.time(), len(emailed)
                done = int(current["recipients"]) + len(emailed)
                progress(done, recipients)
                if done >= recipients:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"only {done} of {recipients} reached; see the log")
                if kill_at is not None and not killed and done >= recipients * kill_at:
                    services[0].kill()
                    killed = True
                    services[0] = Service(env, folder / "service.log")
                    await services[0].start()
                await asyncio.sleep(0.25)
            last = max(float(current["last_new_at"] or 0), last_email_at)
            return Result(
                recipients,
                last - started,
                done,
                int(current["duplicates"]) + len(notify.of_type("email")) - len(emailed),
                current,
                started,
                installed=len(graph.installs()),
                by_email=len(emailed),
            )
        finally:
            for service in services:
                await service.stop()
            teams.terminate()
            await teams.wait()
            await notify.close()
            await graph.close()
            await identity.close()


def service_environment(
    database_url: str, microsoft: FakeMicrosoft, notify: FakeNotify, ca_file: Path
) -> dict[str, str]:
    """The service on a developer's machine (no bot authentication), installing through the
    fake Graph as its own app registration and falling back through the fake Notify."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "MicrosoftAppId": "",
        "MicrosoftAppPassword": "",
        "INSPECTION_READY_DEV_NO_AUTH": "1",
        "INSPECTION_READY_CATALOG_APP_ID": fake_microsoft.CATALOG_APP_ID,
        "INSPECTION_READY_GRAPH_URL": microsoft.graph.url,
        "INSPECTION_READY_LOGIN_URL": microsoft.identity.url,
        "INSPECTION_READY_GRAPH_CLIENT_ID": fake_microsoft.CLIENT_ID,
        "INSPECTION_READY_GRAPH_CLIENT_SECRET": fake_microsoft.CLIENT_SECRET,
        "INSPECTION_READY_GRAPH_TENANT_ID": fake_microsoft.TENANT,
        "INSPECTION_READY_NOTIFY_URL": notify.url,
        "INSPECTION_READY_NOTIFY_API_KEY": notify.api_key,
        "INSPECTION_READY_NOTIFY_SMS_TEMPLATE": SMS_TEMPLATE,
        "INSPECTION_READY_NOTIFY_EMAIL_TEMPLATE": EMAIL_TEMPLATE,
        "INSPECTION_READY_PUBLIC_URL": "https://ir.example.gov.uk",
        # MSAL (requests) and aiohttp trust the fakes' throwaway CA, in the service only.
        "SSL_CERT_FILE": str(ca_file),
        "REQUESTS_CA_BUNDLE": str(ca_file),
    }


def table(results: list[tuple[str, Result]]) -> str:
    floor = results[0][1].recipients / TEAMS_RATE
    lines = [
        f"| run | time (floor {floor:.0f} s) | x floor | requests to Teams per second "
        "(ceiling 50) | peak in any second | installed / by email | first alert after | lost "
        "| duplicates | 429s | 5xx |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, result in results:
        s = result.stats
        requests = s["accepted"] + s["over_rate"] + s["injected_429"] + s["injected_5xx"]
        per_second = requests / result.seconds
        lines.append(
            f"| {name} | {result.seconds:.1f} s | {result.seconds / floor:.2f} "
            f"| {per_second:.1f} ({100 * per_second / TEAMS_RATE:.1f}%) "
            f"| {s['peak_per_second']} | {result.installed} / {result.by_email} "
            f"| {result.first_after:.1f} s | {result.recipients - result.delivered} "
            f"| {result.duplicates} | {s['over_rate']} over the rate + {s['injected_429']} "
            f"injected | {s['injected_5xx']} |"
        )
    return "\n".join(lines) + "\n"


async def main(roster: Roster, database_url: str | None) -> None:
    progress = TerminalProgress(sys.stderr, "recipients alerted")
    results = [
        ("straight through", await run(roster, database_url, kill_at=None, progress=progress)),
        (
            "kill -9 at half, restart",
            await run(roster, database_url, kill_at=0.5, progress=progress),
        ),
    ]
    if database_url:
        two = await run(roster, database_url, kill_at=None, progress=progress, replicas=2)
        results.append(("two replicas", two))
    sys.stdout.write(table(results))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=5_000)
    parser.add_argument(
        "--not-installed", type=float, default=0.3, help="share of the roster without the app"
    )
    parser.add_argument(
        "--refused", type=float, default=0.1, help="share of those Graph refuses to install for"
    )
    parser.add_argument(
        "--postgres",
        dest="database_url",
        help="a PostgreSQL server's URL to create a scratch database on; default SQLite",
    )
    arguments = parser.parse_args()
    roster = Roster(arguments.recipients, arguments.not_installed, arguments.refused)
    asyncio.run(main(roster, arguments.database_url))
