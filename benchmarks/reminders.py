"""Reminder pass over 10,000 open items (plan, render, queue) and the send rate to a fake Teams.

Usage: python -m benchmarks.reminders [--items 10000] [--send 1000]
The fake connector enforces Teams' limit of 50 requests a second per app (answering 429
with Retry-After beyond it); the sender runs with its default limiter.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from benchmarks.import_rows import action_rows, audit_rows, staff_rows, write
from bot.app import build_notifications
from bot.settings import Settings
from store.db import Database
from store.importers.runner import ImportKind, import_file
from store.migrate import upgrade_database
from store.models import OutboxMessage, Staff
from store.repositories import conversations, outbox
from store.repositories.conversations import ConversationRecord
from teams.factory import create_edge
from teams.types import StoredReference

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday morning
TEAMS_RATE = 50


class LimitedConnector:
    """Accepts at most 50 sends in any second; answers 429 with Retry-After: 1 beyond."""

    def __init__(self) -> None:
        self.accepted = 0
        self.throttled = 0
        self._window: list[float] = []

    async def send(self, request: web.Request) -> web.Response:
        now = time.monotonic()
        self._window = [t for t in self._window if now - t < 1.0]
        if len(self._window) >= TEAMS_RATE:
            self.throttled += 1
            return web.json_response(
                {"error": {"code": "Throttled"}}, status=429, headers={"Retry-After": "1"}
            )
        self._window.append(now)
        await request.read()
        self.accepted += 1
        return web.json_response({"id": str(self.accepted)})


async def load(database: Database, folder: Path, items: int) -> None:
    header_actions = [
        "ref",
        "priority_area",
        "description",
        "owner_email",
        "due_date",
        "status",
        "evidence_required",
    ]
    await import_file(
        database,
        ImportKind.STAFF,
        write(
            folder / "staff.csv",
            ["email", "name", "role", "team", "manager_email", "inspection_role"],
            staff_rows(),
        ),
    )
    await import_file(
        database,
        ImportKind.ACTIONS,
        write(folder / "actions.csv", header_actions, action_rows(items // 2)),
    )
    await import_file(
        database,
        ImportKind.AUDITS,
        write(
            folder / "audits.csv",
            ["ref", "case_ref", "audit_type", "auditor_email", "due_date", "status"],
            audit_rows(items - items // 2),
        ),
    )


async def main(items: int, send: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        database = Database(f"sqlite+aiosqlite:///{folder / 'bench.db'}")
        await upgrade_database(database)
        await load(database, folder, items)
        connector = LimitedConnector()
        app = web.Application()
        app.router.add_post("/v3/conversations/{cid}/activities", connector.send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", connector.send)
        server = TestServer(app)
        await server.start_server()
        service_url = str(server.make_url("/"))
        async with database.sessions() as session, session.begin():
            for staff in (await session.execute(select(Staff))).scalars():
                await conversations.save_installation(
                    session,
                    ConversationRecord(
                        conversation_id=f"a:{staff.id}",
                        conversation_type="personal",
                        service_url=service_url,
                        channel_id="msteams",
                        staff_id=staff.id,
                        reference=StoredReference(
                            service_url=service_url,
                            conversation_id=f"a:{staff.id}",
                            user_id=f"u{staff.id}",
                            bot_id="bot",
                        ).to_dict(),
                    ),
                )
        settings = Settings(dev_no_auth=True, database_url=database.url)
        edge = create_edge(settings.sdk, settings.credentials)
        notifications = build_notifications(settings, database, lambda: NOW, edge.delivery)
        started = time.perf_counter()
        report = await notifications.reminder_pass.run(NOW, NOW.date())
        plan_seconds = time.perf_counter() - started
        # Send a fixed number so the rate is measured, not the whole day's volume.
        async with database.sessions() as session, session.begin():
            rows = (
                await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))
            ).scalars()
            for number, row in enumerate(rows):
                if number >= send:
                    row.next_attempt_at = NOW + timedelta(days=365)
        clock = {"now": NOW}
        notifications.sender._clock = lambda: clock["now"]  # noqa: SLF001 - a benchmark-only clock
        started = time.perf_counter()
        sent = 0
        while sent < send:
            drained = await notifications.sender.drain()
            sent += drained.sent
            clock["now"] += timedelta(seconds=2)  # let Retry-After waits pass
        send_seconds = time.perf_counter() - started
        async with database.sessions() as session:
            counts = await outbox.status_counts(session)
        await server.close()
        await database.dispose()
    rows_out = [
        ("open items (actions + audits)", f"{items:,}"),
        ("reminders planned and queued", f"{report.queued:,}"),
        ("pass time (plan, render, queue)", f"{plan_seconds:.2f} s"),
        (
            f"send {send:,} messages",
            f"{send_seconds:.1f} s = {send / send_seconds:.1f} per second",
        ),
        ("429s answered by the fake Teams", f"{connector.throttled}"),
        ("delivered (connector count)", f"{connector.accepted}"),
        ("outbox after", ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))),
    ]
    sys.stdout.write("| measure | result |\n|---|---|\n")
    sys.stdout.writelines(f"| {a} | {b} |\n" for a, b in rows_out)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--send", type=int, default=1_000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.items, arguments.send))
