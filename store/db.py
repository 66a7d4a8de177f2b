"""This module contains Database: the async engine and the session factory built from a URL."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from store.errors import DatabaseUnavailableError

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry

logger = logging.getLogger(__name__)

# Several turns may write at once; SQLite makes them queue for this long instead of failing.
SQLITE_BUSY_TIMEOUT_SECONDS = 15
# aiosqlite logs every call it runs, with its bound parameters, at DEBUG: what people typed.
_DRIVER_LOGGER = "aiosqlite"


class Database:
    """One engine and its session factory; open and close it with `connect`/`dispose`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        self.engine: AsyncEngine = self._create_engine()
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )

    def _create_engine(self) -> AsyncEngine:
        # hide_parameters: an error's message then shows the SQL but not the values bound to
        # it (questions, notes, case references).
        if not self.is_sqlite:
            return create_async_engine(self.url, pool_pre_ping=True, hide_parameters=True)
        driver_logger = logging.getLogger(_DRIVER_LOGGER)
        if driver_logger.level < logging.INFO:
            driver_logger.setLevel(logging.INFO)
        database = make_url(self.url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            self.url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}, hide_parameters=True
        )
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
