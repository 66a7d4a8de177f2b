"""This module contains Database: the async engine and the session factory built from a URL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import QueuePool

from store import sqlite_driver
from store.errors import DatabaseUnavailableError

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry, PoolResetState

logger = logging.getLogger(__name__)

# Several turns may write at once; SQLite makes them queue for this long instead of failing.
SQLITE_BUSY_TIMEOUT_SECONDS = 15
# Connections kept open; each is a thread in the driver, and SQLite has one writer at a time.
SQLITE_POOL_SIZE = 5
# PostgreSQL: connections kept open, and opened beyond those at busy times.
POOL_SIZE = 5
POOL_OVERFLOW = 10
# aiosqlite logs every call it runs, with its bound parameters, at DEBUG: what people typed.
_DRIVER_LOGGER = "aiosqlite"
# Whether this task already holds one of the pool's connections (see Database.sessions).
_holding_connection: ContextVar[bool] = ContextVar("_holding_connection", default=False)


class Database:
    """One engine and its session factory; open and close it with `connect`/`dispose`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        self.engine: AsyncEngine = self._create_engine()
        self._sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )
        # Sessions wait here, first come first served, for one of the pool's connections.
        # The pool's own queue lets a newcomer take a connection that was just handed to
        # someone who had waited, so under load a few turns waited many times longer than
        # the rest. A task already holding one (a session opened inside another) passes.
        connections = _connections(self.engine)
        self._gate = asyncio.Semaphore(connections) if connections else None

    @asynccontextmanager
    async def sessions(self) -> AsyncIterator[AsyncSession]:
        """A session, once one of the pool's connections is free for it."""
        if self._gate is None or _holding_connection.get():
            async with self._sessions() as session:
                yield session
            return
        async with self._gate:
            holding = _holding_connection.set(True)
            try:
                async with self._sessions() as session:
                    yield session
            finally:
                _holding_connection.reset(holding)

    def _create_engine(self) -> AsyncEngine:
        # hide_parameters: an error's message then shows the SQL but not the values bound to
        # it (questions, notes, case references).
        if not self.is_sqlite:
            return create_async_engine(
                self.url,
                pool_pre_ping=True,
                hide_parameters=True,
                pool_size=POOL_SIZE,
                max_overflow=POOL_OVERFLOW,
            )
        driver_logger = logging.getLogger(_DRIVER_LOGGER)
        if driver_logger.level < logging.INFO:
            driver_logger.setLevel(logging.INFO)
        url = make_url(self.url)
        creator = _fewer_trips_creator(url)
        if creator is None:
            # An in-memory database: one connection that every session shares.
            engine = create_async_engine(
                self.url,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
                hide_parameters=True,
            )
        else:
            if url.database:
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_async_engine(
                self.url,
                async_creator=creator,
                hide_parameters=True,
                # A fixed set of connections, each with its driver thread: turns beyond it
                # wait their turn (SQLite writes one at a time anyway) instead of each
                # opening a connection, and a thread, thrown away as soon as it is returned.
                pool_size=SQLITE_POOL_SIZE,
                max_overflow=0,
                pool_timeout=SQLITE_BUSY_TIMEOUT_SECONDS,
                # The reset on return is done by _reset_sqlite_connection, only when needed.
                pool_reset_on_return=None,
            )
            event.listen(engine.sync_engine, "reset", _reset_sqlite_connection)
        event.listen(engine.sync_engine, "connect", _configure_sqlite_connection)
        return engine

    async def ping(self) -> None:
        """Runs a trivial query.

        Raises:
            DatabaseUnavailableError: the database did not answer.
        """
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError) as exc:
            raise DatabaseUnavailableError(str(exc)) from exc

    async def dispose(self) -> None:
        """Closes every pooled connection."""
        await self.engine.dispose()


def _configure_sqlite_connection(
    dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry, *_args: Any
) -> None:
    # WAL lets readers carry on while a turn writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.close()


def _connections(engine: AsyncEngine) -> int | None:
    """How many connections the pool opens at most; None if it shares one (memory)."""
    pool = engine.pool
    if isinstance(pool, QueuePool):
        return pool.size() + max(0, pool._max_overflow)
    return None


def _fewer_trips_creator(url: URL) -> Callable[[], Awaitable[Any]] | None:
    """Opens file databases with store.sqlite_driver; None (aiosqlite's own) for memory."""
    arguments, options = SQLiteDialect_aiosqlite().create_connect_args(url)
    if options.get("check_same_thread", True):
        return None
    options["timeout"] = SQLITE_BUSY_TIMEOUT_SECONDS

    async def create() -> Any:
        return await sqlite_driver.connect(*arguments, **options)

    return create


def _reset_sqlite_connection(
    dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry, _state: PoolResetState
) -> None:
    # A connection whose transaction the session already committed or rolled back goes
    # back to the pool as it is; only one returned mid-transaction is rolled back. Each
    # call into aiosqlite is a trip to its thread, and the default reset always makes one.
    driver = getattr(dbapi_connection, "driver_connection", None)
    if driver is None or getattr(driver, "in_transaction", True):
        dbapi_connection.rollback()
