"""The SQLite driver that makes fewer trips to its thread, and the pool around it."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError

from store import sqlite_driver
from store.db import SQLITE_POOL_SIZE, Database
from tests.conftest import sqlite_url


@pytest.fixture
async def connection(tmp_path: Path) -> AsyncIterator[sqlite_driver.FewerTripsConnection]:
    conn = sqlite_driver.connect(str(tmp_path / "driver.db"), check_same_thread=False)
    await conn  # opens it, on its thread
    await conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    await conn.commit()
    yield conn
    await conn.close()


async def test_a_query_brings_back_all_its_rows_whichever_way_they_are_fetched(
    connection: sqlite_driver.FewerTripsConnection,
) -> None:
    cursor = await connection.cursor()
    await cursor.executemany("INSERT INTO t (name) VALUES (?)", [(f"n{i}",) for i in range(5)])
    await connection.commit()

    await cursor.execute("SELECT name FROM t ORDER BY id")
    assert await cursor.fetchone() == ("n0",)
    assert list(await cursor.fetchmany(2)) == [("n1",), ("n2",)]
    assert list(await cursor.fetchall()) == [("n3",), ("n4",)]
    assert await cursor.fetchone() is None

    await cursor.execute("SELECT name FROM t WHERE name = ?", ("n3",))
    assert list(await cursor.fetchall()) == [("n3",)]
    await cursor.close()


async def test_a_write_reports_its_rows_and_id_and_returning_gives_its_rows(
    connection: sqlite_driver.FewerTripsConnection,
) -> None:
    cursor = await connection.cursor()
    await cursor.execute("INSERT INTO t (name) VALUES (?)", ("a",))
    assert cursor.lastrowid == 1
    assert cursor.rowcount == 1
    assert cursor.description is None
    await cursor.execute("INSERT INTO t (name) VALUES (?) RETURNING id, name", ("b",))
    assert list(await cursor.fetchall()) == [(2, "b")]
    await cursor.execute("UPDATE t SET name = 'c'")
    assert cursor.rowcount == 2
    await connection.commit()
    await cursor.close()


async def test_a_commit_with_a_transaction_open_is_made_and_a_rollback_undoes(
    tmp_path: Path, connection: sqlite_driver.FewerTripsConnection
) -> None:
    await connection.execute("INSERT INTO t (name) VALUES ('kept')")
    assert connection.in_transaction
    await connection.commit()
    await connection.execute("INSERT INTO t (name) VALUES ('undone')")
    await connection.rollback()
    # Another connection sees what was committed and nothing else.
    other = sqlite3.connect(tmp_path / "driver.db")
    try:
        assert other.execute("SELECT name FROM t").fetchall() == [("kept",)]
    finally:
        other.close()


async def test_calls_made_in_place_wait_while_the_thread_is_busy(
    connection: sqlite_driver.FewerTripsConnection,
) -> None:
    assert connection._idle()
    gate = asyncio.Event()
    started = asyncio.Event()
    loop = asyncio.get_running_loop()

    def slow() -> None:
        loop.call_soon_threadsafe(started.set)
        asyncio.run_coroutine_threadsafe(gate.wait(), loop).result(timeout=5)

    busy = asyncio.create_task(connection._execute(slow))
    await started.wait()
    # Something is running on the thread: a cursor is not made beside it.
    assert not connection._idle()
    opening = asyncio.create_task(connection.cursor().__aenter__())
    await asyncio.sleep(0.05)
    assert not opening.done()
    gate.set()
    await busy
    cursor = await opening
    assert connection._idle()
    await cursor.close()


async def test_a_cancelled_call_still_finishes_on_the_thread_before_the_next_in_place(
    connection: sqlite_driver.FewerTripsConnection,
) -> None:
    release = asyncio.Event()
    loop = asyncio.get_running_loop()

    def slow() -> None:
        asyncio.run_coroutine_threadsafe(release.wait(), loop).result(timeout=5)

    call = asyncio.create_task(connection._execute(slow))
    await asyncio.sleep(0.05)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    # The caller gave up; the thread did not, and is counted busy until it is done.
    assert not connection._idle()
    release.set()
    for _ in range(100):
        if connection._idle():
            break
        await asyncio.sleep(0.01)
    assert connection._idle()


async def test_a_connection_returned_mid_transaction_is_rolled_back(tmp_path: Path) -> None:
    database = Database(sqlite_url(tmp_path))
    try:
        async with database.engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"))
        connection = await database.engine.connect()
        await connection.execute(text("INSERT INTO t (name) VALUES ('left open')"))
        # Closed without a commit: the pool's reset must roll the insert back.
        await connection.close()
        async with database.engine.connect() as conn:
            count = (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one()
        assert count == 0
    finally:
        await database.dispose()


async def test_sessions_beyond_the_pool_wait_their_turn_first_come_first_served(
    tmp_path: Path,
) -> None:
    database = Database(sqlite_url(tmp_path))
    order: list[int] = []
    release = asyncio.Event()

    async def hold(number: int) -> None:
        async with database.sessions() as session:
            order.append(number)
            await session.execute(text("SELECT 1"))
            await release.wait()

    try:
        holders = [asyncio.create_task(hold(n)) for n in range(SQLITE_POOL_SIZE)]
        await asyncio.sleep(0.05)
        assert sorted(order) == list(range(SQLITE_POOL_SIZE))
        waiting = [asyncio.create_task(hold(n)) for n in range(100, 103)]
        await asyncio.sleep(0.05)
        # Every connection is held: the newcomers wait, and get one in the order they came.
        assert len(order) == SQLITE_POOL_SIZE
        release.set()
        await asyncio.gather(*holders, *waiting)
        assert order[SQLITE_POOL_SIZE:] == [100, 101, 102]
    finally:
        await database.dispose()


async def test_sessions_nested_in_every_busy_task_fail_in_time_rather_than_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each task holds a connection and asks for a second. Were the nested session to queue
    # at the gate behind its own task, nothing would ever move; it goes to the pool, which
    # gives up after its timeout, and the service carries on.
    monkeypatch.setattr("store.db.SQLITE_BUSY_TIMEOUT_SECONDS", 1)
    database = Database(sqlite_url(tmp_path))
    all_holding = asyncio.Barrier(SQLITE_POOL_SIZE)

    async def nested() -> None:
        async with database.sessions() as outer:
            await outer.execute(text("SELECT 1"))
            await all_holding.wait()
            async with database.sessions() as inner:
                await inner.execute(text("SELECT 2"))

    try:
        tasks = [nested() for _ in range(SQLITE_POOL_SIZE)]
        outcomes = await asyncio.wait_for(
            asyncio.gather(*tasks, return_exceptions=True), timeout=10
        )
        # The first to give up frees its connection, which a later one may then get.
        assert any(isinstance(o, SQLAlchemyTimeoutError) for o in outcomes), outcomes
        assert all(o is None or isinstance(o, SQLAlchemyTimeoutError) for o in outcomes)
    finally:
        await database.dispose()
