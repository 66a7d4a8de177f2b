"""The inspection-call broadcast: 5,000 recipients through a fake Teams, then a kill -9.

Usage: python -m benchmarks.broadcast [--recipients 5000] [--postgres ADMIN_URL]

Runs the real service (`python -m bot serve`) and a fake Teams connector
(benchmarks/fake_teams.py) as separate processes. The fake accepts 50 requests in any
second, answers 429 beyond that, and injects 2% 429s and 2% 5xx at random. A coordinator
confirms the alert through /api/messages; the clock runs from that request until the last
recipient's first message arrives. The second run kills the service with SIGKILL once half
the recipients have their alert, restarts it, and waits for the rest (what the dead process
had claimed returns to the queue after INSPECTION_READY_CLAIM_TIMEOUT, 60 s by default).
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

from bot.progress import TerminalProgress
from store.db import Database
from store.importers.runner import ImportKind, import_file
from store.migrate import upgrade_database
from store.models import ConversationReference, Staff
from teams.types import StoredReference
from tests.e2e.playground import free_port

REPO_ROOT = Path(__file__).resolve().parent.parent
TEAMS_RATE = 50
COORDINATOR_AAD = "aad-coordinator"
TIMEOUT_SECONDS = 900
SCRATCH = "inspection_ready_broadcast_benchmark"


@dataclass
class Result:
    """One run's figures."""

    recipients: int
    seconds: float
    delivered: int
    duplicates: int
    stats: dict[str, Any]

    started: float = 0.0

    @property
    def first_after(self) -> float:
        return float(self.stats["first_at"]) - self.started

    @property
    def rate(self) -> float:
        return self.delivered / self.seconds


async def prepare(database_url: str, folder: Path, recipients: int, teams_url: str) -> None:
    """A roster of one coordinator and `recipients` people, everyone with a personal chat."""
    database = Database(database_url)
    await upgrade_database(database)
    lines = ["email,name,role,team,manager_email,inspection_role"]
    lines.append(
        "coordinator@example.com,Casey Coordinator,coordinator,QA,,Inspection coordinator"
    )
    roles = ["", "", "", "Annex A lead", "Team manager: caseload lists"]
    for i in range(recipients):
        lines.append(
            f"person{i}@example.com,Person {i},practitioner,Team {i % 50},"
            f"coordinator@example.com,{roles[i % len(roles)]}"
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
    recipients: int, database_url: str | None, *, kill_at: float | None, progress: TerminalProgress
) -> Result:
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
        service: Service | None = None
        try:
            await wait_for_http(f"{teams_url}stats")
            await prepare(url, folder, recipients, teams_url)
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "MicrosoftAppId": "",
                "MicrosoftAppPassword": "",
                "INSPECTION_READY_DEV_NO_AUTH": "1",
            }
            service = Service(env, folder / "service.log")
            await service.start()
            started = time.time()
            await confirm(service, teams_url)
            killed = False
            deadline = time.monotonic() + TIMEOUT_SECONDS
            while True:
                current = await stats(teams_url)
                done = int(current["recipients"])
                progress(done, recipients)
                if done >= recipients:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"only {done} of {recipients} delivered; see the log")
                if kill_at is not None and not killed and done >= recipients * kill_at:
                    service.kill()
                    killed = True
                    service = Service(env, folder / "service.log")
                    await service.start()
                await asyncio.sleep(0.25)
            return Result(
                recipients,
                float(current["last_new_at"]) - started,
                int(current["recipients"]),
                int(current["duplicates"]),
                current,
                started,
            )
        finally:
            if service is not None:
                await service.stop()
            teams.terminate()
            await teams.wait()


def table(results: list[tuple[str, Result]]) -> str:
    floor = results[0][1].recipients / TEAMS_RATE
    lines = [
        f"| run | time (floor {floor:.0f} s) | rate (ceiling 50/s) | first alert after | lost "
        "| duplicates | 429s | 5xx |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, result in results:
        s = result.stats
        lines.append(
            f"| {name} | {result.seconds:.1f} s | {result.rate:.1f}/s "
            f"({100 * result.rate / TEAMS_RATE:.0f}%) | {result.first_after:.1f} s "
            f"| {result.recipients - result.delivered} "
            f"| {result.duplicates} | {s['over_rate']} over the rate + {s['injected_429']} "
            f"injected | {s['injected_5xx']} |"
        )
    return "\n".join(lines) + "\n"


async def main(recipients: int, database_url: str | None) -> None:
    progress = TerminalProgress(sys.stderr, "recipients alerted")
    plain = await run(recipients, database_url, kill_at=None, progress=progress)
    killed = await run(recipients, database_url, kill_at=0.5, progress=progress)
    sys.stdout.write(table([("straight through", plain), ("kill -9 at half, restart", killed)]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=5_000)
    parser.add_argument(
        "--postgres",
        dest="database_url",
        help="a PostgreSQL server's URL to create a scratch database on; default SQLite",
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.recipients, arguments.database_url))
