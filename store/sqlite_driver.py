"""This module contains an aiosqlite connection that makes fewer trips to its thread.

aiosqlite runs every call on a thread of the connection's own, and each trip there and
back costs a wake-up of the event loop and two hand-overs of the interpreter lock: about
as much as the query itself for the small reads a chat turn makes, and more when the
loop is busy. Through SQLAlchemy one query is five trips: open a cursor, execute, fetch
the rows, close the cursor, commit. Here it is one:

- a statement and the fetch of all its rows are one trip (SQLAlchemy fetches every row
  at once anyway, unless results are streamed, which this code base never does);
- the calls that do not touch the database file are made in place: creating and closing
  a cursor, and a commit or rollback with no transaction open (SQLite's are no-ops then).

A call is only made in place when nothing is queued for or running on the connection's
thread, so the sqlite3 connection is never used by two threads at once. That needs the
connection opened with check_same_thread=False, as SQLAlchemy opens every file database.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import aiosqlite
from aiosqlite.context import contextmanager


class FewerTripsConnection(aiosqlite.Connection):
    """aiosqlite's Connection, with the trips to its thread that cost nothing made in place."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        # Calls queued for or running on the thread. Raised here, lowered on the thread.
        self._outstanding = 0
        self._outstanding_lock = threading.Lock()

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        def run() -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                with self._outstanding_lock:
                    self._outstanding -= 1

        with self._outstanding_lock:
            self._outstanding += 1
        try:
            return await super()._execute(run)  # type: ignore[no-untyped-call]  # aiosqlite's
        except BaseException:
            # Refused before it was queued (the connection is closed): nothing will run.
            if not self._running or self._connection is None:
                with self._outstanding_lock:
                    self._outstanding = max(0, self._outstanding - 1)
            raise

    def _idle(self) -> bool:
        """Nothing is queued for the thread or running on it (a cancelled call may be)."""
        with self._outstanding_lock:
            return self._outstanding == 0 and self._tx.empty() and self._connection is not None

    @contextmanager
    async def cursor(self) -> aiosqlite.Cursor:
        if self._idle():
            return PrefetchingCursor(self, self._conn.cursor())
        return PrefetchingCursor(self, await self._execute(self._conn.cursor))

    async def commit(self) -> None:
        if self._idle() and not self._conn.in_transaction:
            return
        await super().commit()

    async def rollback(self) -> None:
        if self._idle() and not self._conn.in_transaction:
            return
        await super().rollback()


class PrefetchingCursor(aiosqlite.Cursor):
    """A cursor whose execute brings back the statement's rows in the same trip."""

    def __init__(self, conn: FewerTripsConnection, cursor: sqlite3.Cursor) -> None:
        super().__init__(conn, cursor)
        self._fewer_trips = conn
        self._rows: list[Any] | None = None

    async def execute(
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> PrefetchingCursor:
        self._rows = await self._fewer_trips._execute(
            _execute_and_fetch, self._cursor, sql, parameters
        )
        return self

    async def executemany(
        self, sql: str, parameters: Iterable[Iterable[Any]]
    ) -> PrefetchingCursor:
        self._rows = None
        await super().executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        if self._rows is None:
            return await super().fetchone()
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> Iterable[Any]:
        if self._rows is None:
            return await super().fetchmany(size)
        count = self.arraysize if size is None else size
        taken, self._rows = self._rows[:count], self._rows[count:]
        return taken

    async def fetchall(self) -> Iterable[Any]:
        if self._rows is None:
            return await super().fetchall()
        taken, self._rows = self._rows, []
        return taken

    async def close(self) -> None:
        self._rows = None
        if self._fewer_trips._idle():
            self._cursor.close()
            return
        await super().close()


def _execute_and_fetch(
    cursor: sqlite3.Cursor, sql: str, parameters: Iterable[Any] | None
) -> list[Any] | None:
    # Runs on the connection's thread: the statement, then (if it returns rows) all of them.
    cursor.execute(sql, () if parameters is None else parameters)  # type: ignore[arg-type]
    return cursor.fetchall() if cursor.description is not None else None


def connect(database: str, **kwargs: Any) -> FewerTripsConnection:
    """Like aiosqlite.connect: an awaitable connection to the file `database`."""
    connection = FewerTripsConnection(partial(sqlite3.connect, database, **kwargs), 64)
    # As SQLAlchemy does for aiosqlite's own: an open connection never holds up an exit.
    connection._thread.daemon = True
    return connection
