"""This module contains Installer: installs the app through Microsoft Graph for people on the
roster who have no chat with the bot, and remembers where to reach them.

This is Microsoft's proactive installation (the Company Communicator pattern): install the
app in the person's personal scope (Graph answers 201, or 409 Conflict when it already
was), find the chat between them and the bot, and store it as a conversation reference
built from the chat id and the service URL the tenant's other conversations use. Where the
chat cannot be found yet, the installation activity Teams sends the bot, which the bot
stores as it always does, tells where it is.

Every outcome is kept in the audit log. A lasting refusal (403, 404) is remembered, so the
inspection call's preview can say who cannot be installed and why, and the call does not
try them again; a change to the person's roster entry, or `install-for-roster`, does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from store.repositories import audit_log, calls, conversations
from store.repositories.conversations import ConversationRecord
from teams.graph import GraphClient, GraphError, TokenError, Tokens
from teams.logs import describe_exception
from teams.types import ConversationKind, GraphConfig, StoredReference

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from store.models import ConversationReference, Staff

logger = logging.getLogger(__name__)

# How outcomes are kept in the audit log: one entry per person and attempt.
ENTITY = "teams_app"
FIELD = "installation"
# Teams' service URL for proactive messages when no conversation has given one yet; Teams
# sends the regional one in every activity, which is used whenever there is one.
TEAMS_SERVICE_URL = "https://smba.trafficmanager.net/teams/"
# Graph requests in flight at once: well inside Teams' per-app limits.
CONCURRENCY = 4
OFF = (
    "installing the app through Microsoft Graph is off: INSPECTION_READY_CATALOG_APP_ID "
    "is not set (see docs/deploy.md)"
)
NOT_IN_TENANT = (
    "not found in your tenant (looked up by their email address: give their object id in "
    "the staff file's aad_object_id column)"
)
NO_TIME = "no time left while the alert was held for it"

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


class Result(StrEnum):
    """What installing the app for one person came to."""

    INSTALLED = "installed"
    ALREADY_INSTALLED = "already installed"
    # Graph refused for a lasting reason (403, 404): remembered, not tried again by the call.
    FAILED = "could not be installed"
    # Throttled, timed out, or the app's sign-in failed: worth trying again.
    NOT_YET = "not installed yet"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One person's installation (whether the chat is known is the Attempt's)."""

    staff_id: int
    email: str
    name: str
    result: Result
    reason: str | None = None

    @property
    def installed(self) -> bool:
        """Whether the app is now installed for them (newly or before)."""
        return self.result in (Result.INSTALLED, Result.ALREADY_INSTALLED)

    @property
    def logged(self) -> str:
        """The outcome as the audit log keeps it."""
        return f"{self.result.value}: {self.reason}" if self.reason else self.result.value


@dataclass(frozen=True, slots=True)
class Plan:
    """Who among some people would be installed for, and who cannot be, with why."""

    # Why installation is off, or None when it is on.
    off: str | None
    to_install: list[Staff]
    cannot: list[tuple[Staff, str]]


@dataclass(frozen=True, slots=True)
class Attempt:
    """One person's installation as Graph answered it: the outcome, the chat id if Graph
    gave it, and the person's object id."""

    outcome: Outcome
    chat_id: str | None = None
    aad_object_id: str | None = None

    @property
    def chat_known(self) -> bool:
        """Whether the chat with the person is known (and stored by `record`)."""
        return self.chat_id is not None and self.aad_object_id is not None


@dataclass(frozen=True, slots=True)
class _Person:
    """What an installation needs of a roster entry, read before any request is made."""

    staff_id: int
    email: str
    name: str
    aad_object_id: str | None


class Installer:
    """Installs the app for people through Graph; off (and saying so) without settings."""

    def __init__(
        self,
        config: GraphConfig | None,
        *,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        concurrency: int = CONCURRENCY,
    ) -> None:
        self._config = config
        # Kept for the process's life, so one token serves every installation in its hour.
        self._tokens = Tokens(config, clock=clock) if config is not None else None
        self._sleep = sleep
        self._clock = clock
        self._concurrency = concurrency

    @property
    def enabled(self) -> bool:
        """Whether installation is set up."""
        return self._config is not None

    async def plan(
        self, session: AsyncSession, people: Iterable[Staff], *, retry_failures: bool = False
    ) -> Plan:
        """Who of `people` has no chat with the bot, split into those an installation will
        be tried for and those known not to be installable (all of them when it is off).

        `retry_failures` tries again for everyone, remembered refusals included.
        """
        people = list(people)
        reachable = await calls.reachable(session, [p.id for p in people])
        without = [p for p in people if p.id not in reachable]
        if self._config is None:
            return Plan(OFF, [], [(p, OFF) for p in without])
        remembered = {} if retry_failures else await _lasting_failures(session)
        to_install: list[Staff] = []
        cannot: list[tuple[Staff, str]] = []
        for person in without:
            failure = remembered.get(person.email)
            # A failure outlives no change to the person's entry (a new object id, say).
            if failure is not None and failure[1] >= person.updated_at:
                cannot.append((person, failure[0]))
            else:
                to_install.append(person)
        return Plan(None, to_install, cannot)

    async def install(
        self,
        session: AsyncSession,
        people: Iterable[Staff],
        *,
        actor: str,
        time_limit: float | None = None,
    ) -> list[Outcome]:
        """Installs the app for each person, stores the chats found, and logs each outcome;
        the outcomes in the order of `people`.

        Every Graph request is made before anything is written, so no write waits on
        Graph. `time_limit` (seconds) bounds the whole run: anyone not done by then is
        left "not installed yet".

        Raises:
            RuntimeError: installation is off (see `enabled`).
        """
        people = list(people)
        attempts = self.attempts(people, time_limit=time_limit)
        async with contextlib.aclosing(attempts):
            found = [attempt async for attempt in attempts]
        await self.record(session, found, actor=actor)
        order = {person.id: position for position, person in enumerate(people)}
        outcomes = sorted((a.outcome for a in found), key=lambda o: order[o.staff_id])
        log_outcomes(outcomes)
        return outcomes

    async def attempts(
        self, people: Iterable[Staff], *, time_limit: float | None = None
    ) -> AsyncGenerator[Attempt, None]:
        """Asks Graph to install the app for each person, several at once, and yields each
        attempt as it finishes; writes nothing (see `record`).

        Raises:
            RuntimeError: installation is off (see `enabled`).
        """
        if self._config is None or self._tokens is None:
            raise RuntimeError(OFF)
        # Read before any request is made: no roster object is touched while Graph answers.
        plain = [_Person(p.id, p.email, p.name, p.aad_object_id) for p in people]
        if not plain:
            return
        deadline = self._clock() + time_limit if time_limit is not None else None
        run = _Run(self._concurrency, deadline, self._clock)
        async with GraphClient(
            self._config, self._tokens, deadline=deadline, sleep=self._sleep, clock=self._clock
        ) as graph:
            pending = [asyncio.create_task(run.one(graph, person)) for person in plain]
            try:
                for finished in asyncio.as_completed(pending):
                    yield await finished
            finally:
                # A caller that stops early (shutdown) leaves no request running.
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)

    async def record(self, session: AsyncSession, found: list[Attempt], *, actor: str) -> None:
        """Stores the chats Graph gave and logs each attempt's outcome in the audit log."""
        if not found:
            return
        template = await conversations.latest_active(session)
        for attempt in found:
            if attempt.chat_id is not None and attempt.aad_object_id is not None:
                chat = self._record(
                    template, attempt.outcome, attempt.chat_id, attempt.aad_object_id
                )
                await conversations.save_installation(session, chat)
            audit_log.record_change(
                session,
                actor=actor,
                entity=ENTITY,
                key=attempt.outcome.email,
                field=FIELD,
                old=None,
                new=attempt.outcome.logged,
            )

    def _record(
        self,
        template: ConversationReference | None,
        outcome: Outcome,
        chat_id: str,
        aad_object_id: str,
    ) -> ConversationRecord:
        """The person's chat as a conversation reference, as an installation activity
        would have given it: the bot's account and service URL come from another one."""
        assert self._config is not None
        shown = template.reference if template is not None else {}
        tenant_id = (template.tenant_id if template is not None else None) or (
            self._config.tenant_id
        )
        reference = StoredReference(
            service_url=template.service_url if template is not None else TEAMS_SERVICE_URL,
            conversation_id=chat_id,
            conversation_kind=ConversationKind.PERSONAL,
            tenant_id=tenant_id,
            user_aad_object_id=aad_object_id,
            bot_id=shown.get("bot_id") or f"28:{self._config.client_id}",
            bot_name=shown.get("bot_name"),
        )
        return ConversationRecord(
            conversation_id=chat_id,
            conversation_type=ConversationKind.PERSONAL.value,
            service_url=reference.service_url,
            channel_id=reference.channel_id,
            reference=reference.to_dict(),
            user_id=None,
            user_aad_object_id=aad_object_id,
            tenant_id=tenant_id,
            staff_id=outcome.staff_id,
        )


class _Run:
    """One installation run: how many at once, until when, and whether to go on at all."""

    def __init__(self, concurrency: int, deadline: float | None, clock: Clock) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._deadline = deadline
        self._clock = clock
        # Set when the app cannot sign in: every further request would fail the same way.
        self._stopped: str | None = None

    async def one(self, graph: GraphClient, person: _Person) -> Attempt:
        """The person's attempt; never raises but when cancelled."""
        async with self._slots:
            if self._stopped is not None:
                return Attempt(_outcome(person, Result.NOT_YET, self._stopped))
            if self._deadline is not None and self._clock() >= self._deadline:
                return Attempt(_outcome(person, Result.NOT_YET, NO_TIME))
            try:
                return await self._install(graph, person)
            except TokenError as exc:
                self._stopped = str(exc)
                return Attempt(_outcome(person, Result.NOT_YET, str(exc)))
            except GraphError as exc:
                result = Result.FAILED if exc.lasting else Result.NOT_YET
                logger.warning(
                    "Could not install the app for staff %s: HTTP %s", person.staff_id, exc.status
                )
                return Attempt(_outcome(person, result, str(exc)))
            except Exception as exc:
                # A fault here must not stop the other installations, nor the call's alerts.
                logger.error(  # noqa: TRY400 - messages may quote Graph's answer
                    "Installing the app for staff %s failed: %s",
                    person.staff_id,
                    describe_exception(exc),
                )
                reason = f"an unexpected error ({type(exc).__name__})"
                return Attempt(_outcome(person, Result.NOT_YET, reason))

    async def _install(self, graph: GraphClient, person: _Person) -> Attempt:
        aad_object_id = person.aad_object_id or await graph.user_id(person.email)
        if aad_object_id is None:
            return Attempt(_outcome(person, Result.FAILED, NOT_IN_TENANT))
        result = (
            Result.INSTALLED if await graph.install(aad_object_id) else Result.ALREADY_INSTALLED
        )
        try:
            installation = await graph.installation_id(aad_object_id)
            chat_id = await graph.chat_id(aad_object_id, installation) if installation else None
        except TokenError:
            raise
        except GraphError:
            # Installed all the same: Teams' installation activity will say where the chat is.
            chat_id = None
        return Attempt(_outcome(person, result, None), chat_id, aad_object_id)


def _outcome(person: _Person, result: Result, reason: str | None) -> Outcome:
    return Outcome(person.staff_id, person.email, person.name, result, reason)


async def _lasting_failures(session: AsyncSession) -> dict[str, tuple[str, datetime]]:
    """Each person's remembered refusal (by email), with when it was logged."""
    latest = await audit_log.latest_by_key(session, ENTITY, FIELD)
    prefix = f"{Result.FAILED.value}: "
    return {
        email: (entry.new_value.removeprefix(prefix), entry.occurred_at)
        for email, entry in latest.items()
        if entry.new_value and entry.new_value.startswith(prefix)
    }


def short_reason(reason: str) -> str:
    """The words of a reason before its detail: "not found in your tenant", "not allowed"."""
    return reason.split(" (", 1)[0]


def log_outcomes(outcomes: list[Outcome]) -> None:
    """One log line of how many were installed, already were, could not be, or not yet."""
    counts = {result: sum(o.result is result for o in outcomes) for result in Result}
    logger.info(
        "App installation: %d installed, %d already installed, %d could not be, %d not yet",
        counts[Result.INSTALLED],
        counts[Result.ALREADY_INSTALLED],
        counts[Result.FAILED],
        counts[Result.NOT_YET],
    )
