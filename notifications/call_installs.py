"""This module contains CallInstalls: installs the app through Microsoft Graph while an
inspection call's alerts are already going out.

The alerts of people with a chat with the bot go at once. Those of people the app is being
installed for wait (broadcast.HELD_FOR_INSTALLATION at most); each is let go as soon as
that person's installation is settled: to their new chat when Graph gives it, or, when the
app cannot be installed for them, to SMS or email (the alert itself is then marked
unreachable in Teams). Someone installed for whose chat Graph did not give waits for Teams'
installation activity, which the bot lets go the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from notifications.installation import Attempt, Installer, Result, log_outcomes
from store.models import CallStatus, InspectionCall
from store.repositories import calls
from store.repositories.staff import by_ids
from teams.logs import describe_exception

if TYPE_CHECKING:
    from notifications.broadcast import Broadcast
    from store.db import Database

logger = logging.getLogger(__name__)

# How long installing may run for one call, at most. It ends this long before the hold on
# the alerts does, so anyone not done by then is let go to SMS or email while those who
# are have their chat stored before their alert is sent.
INSTALL_TIME_LIMIT = 100.0
BEFORE_HOLD_ENDS = timedelta(seconds=15)

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class InstallRequest:
    """Install the app for these people, whose alerts in this call are held for it."""

    call_id: int
    staff_ids: frozenset[int]
    # Who confirmed the call: the installations are theirs in the audit log.
    actor: str
    # When the hold on their alerts ends (the call's start plus HELD_FOR_INSTALLATION).
    held_until: datetime


class CallInstalls:
    """Runs each call's installations in the background and lets held alerts go."""

    def __init__(
        self,
        database: Database,
        installer: Installer,
        broadcast: Broadcast,
        clock: Clock,
        *,
        on_released: Callable[[], None],
        time_limit: float = INSTALL_TIME_LIMIT,
    ) -> None:
        self._database = database
        self._installer = installer
        self._broadcast = broadcast
        self._clock = clock
        # Wakes the sender: alerts were let go, or SMS and email were queued.
        self._on_released = on_released
        self._time_limit = time_limit
        self._running: set[asyncio.Task[None]] = set()

    def start(self, request: InstallRequest) -> None:
        """Starts installing for `request` (once the call's alerts are committed)."""
        if not request.staff_ids or not self._installer.enabled:
            return
        task = asyncio.create_task(self._run(request), name=f"call-{request.call_id}-installs")
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def wait(self) -> None:
        """Returns when every installation run started so far has finished."""
        while self._running:
            await asyncio.gather(*self._running, return_exceptions=True)

    async def close(self) -> None:
        """Stops the runs still going (at shutdown): their held alerts go when due."""
        for task in self._running:
            task.cancel()
        await self.wait()

    async def _run(self, request: InstallRequest) -> None:
        try:
            async with self._database.sessions() as session:
                people = await by_ids(session, request.staff_ids)
            # Timed from the call, not from now: the confirm's own time is not the runs'.
            left = (request.held_until - BEFORE_HOLD_ENDS - self._clock()).total_seconds()
            time_limit = max(min(self._time_limit, left), 0.0)
            settled: asyncio.Queue[Attempt | None] = asyncio.Queue()
            writer = asyncio.create_task(self._write(request, settled))
            outcomes = []
            try:
                attempts = self._installer.attempts(people, time_limit=time_limit)
                async with contextlib.aclosing(attempts):
                    async for attempt in attempts:
                        outcomes.append(attempt.outcome)
                        await settled.put(attempt)
            finally:
                await settled.put(None)
                await writer
            log_outcomes(outcomes)
        except Exception as exc:
            # The held alerts still go when due (unreachable, then SMS or email).
            logger.error(  # noqa: TRY400 - a traceback may quote Graph's answer
                "Installing the app for inspection call %s failed: %s",
                request.call_id,
                describe_exception(exc),
            )

    async def _write(
        self, request: InstallRequest, settled: asyncio.Queue[Attempt | None]
    ) -> None:
        """Writes attempts as they come, together when several are waiting, so a slow
        write never holds up Graph and a quick answer is never held back."""
        done = False
        while not done:
            group = [await settled.get()]
            with contextlib.suppress(asyncio.QueueEmpty):
                while True:
                    group.append(settled.get_nowait())
            done = None in group
            attempts = [a for a in group if a is not None]
            if not attempts:
                continue
            try:
                await self._settle(request, attempts)
            except Exception as exc:
                # One at a time then, so one bad write holds back no one else; anyone whose
                # write fails still has the alert when the hold ends.
                logger.warning(
                    "Inspection call %s: writing %d installation(s) failed (%s); "
                    "writing them one by one",
                    request.call_id,
                    len(attempts),
                    describe_exception(exc),
                )
                for attempt in attempts:
                    try:
                        await self._settle(request, [attempt])
                    except Exception as again:
                        logger.error(  # noqa: TRY400 - the message may quote the database
                            "Inspection call %s: the installation for staff %s was not "
                            "written: %s",
                            request.call_id,
                            attempt.outcome.staff_id,
                            describe_exception(again),
                        )

    async def _settle(self, request: InstallRequest, attempts: list[Attempt]) -> None:
        async with self._database.sessions() as session, session.begin():
            await self._installer.record(session, attempts, actor=request.actor)
            now = self._clock()
            # A chat Teams' installation activity stored while Graph was asked.
            chats = await calls.reachable(session, [a.outcome.staff_id for a in attempts])
            released = 0
            not_reached = False
            for attempt in attempts:
                staff_id = attempt.outcome.staff_id
                if not attempt.chat_known and staff_id not in chats:
                    if attempt.outcome.result is Result.INSTALLED:
                        # Teams announces a new installation: that lets the alert go.
                        continue
                    # Not installed, or installed before with no chat to be found (Teams
                    # announces nothing then): unreachable in Teams, so SMS or email now.
                    not_reached = True
                released += await calls.release_held_alerts(
                    session, staff_id, now, call_id=request.call_id
                )
            fallback = 0
            if not_reached:
                call = await session.get(InspectionCall, request.call_id)
                if call is not None and call.status is CallStatus.ACTIVE:
                    fallback = await self._broadcast.fall_back(session, call, now)
        if released or fallback:
            self._on_released()
