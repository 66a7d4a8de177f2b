"""One send budget for every replica: together they keep to the rate, replies included."""

from __future__ import annotations

import asyncio
import time

import pytest

from notifications.shared_budget import NOTIFY_BUDGET, SharedSendBudget
from store.db import Database

RATE = 100.0


async def sends_at(budget: SharedSendBudget, count: int) -> list[float]:
    moments = []
    for _ in range(count):
        await budget.acquire()
        moments.append(time.monotonic())
    return moments


def busiest_second(moments: list[float]) -> int:
    ordered = sorted(moments)
    return max(
        sum(1 for later in ordered[i:] if later - start < 1.0) for i, start in enumerate(ordered)
    )


async def test_two_replicas_together_stay_under_the_rate(database: Database) -> None:
    if database.is_sqlite:
        with pytest.raises(ValueError, match="needs PostgreSQL"):
            SharedSendBudget(database, RATE)
        return
    # A second replica: its own engine and pool on the same database.
    other = Database(database.url)
    try:
        first, second = SharedSendBudget(database, RATE), SharedSendBudget(other, RATE)
        started = time.monotonic()
        one, two = await asyncio.gather(sends_at(first, 75), sends_at(second, 75))
        took = time.monotonic() - started
    finally:
        await other.dispose()

    # 150 sends at 100 a second: about 1.5 s, and never more than the rate in any second.
    assert took >= 1.4
    assert busiest_second(one + two) <= RATE + 2  # the edges of the window


async def test_a_reply_takes_its_moment_without_waiting(database: Database) -> None:
    if database.is_sqlite:
        # One replica only: the in-process limiter keeps it under the rate.
        with pytest.raises(ValueError, match="SQLite runs one replica"):
            SharedSendBudget(database, RATE)
        return
    budget = SharedSendBudget(database, 10.0)
    started = time.monotonic()
    for _ in range(5):
        await budget.take_now()
    replies_took = time.monotonic() - started
    await budget.acquire()  # the outbox's next send waits behind the five replies
    waited = time.monotonic() - started

    assert replies_took < 0.3
    assert waited >= 0.45


async def test_teams_and_notify_budgets_are_shared_apart(database: Database) -> None:
    if database.is_sqlite:
        # One replica: GOV.UK Notify's own in-process limiter is used instead.
        with pytest.raises(ValueError, match="needs PostgreSQL"):
            SharedSendBudget(database, 10.0, row=NOTIFY_BUDGET)
        return
    other = Database(database.url)
    try:
        teams = SharedSendBudget(database, 10.0)
        notify_here = SharedSendBudget(database, 10.0, row=NOTIFY_BUDGET)
        notify_there = SharedSendBudget(other, 10.0, row=NOTIFY_BUDGET)
        started = time.monotonic()
        for _ in range(5):
            await teams.take_now()
        # Teams' budget is full for half a second; Notify's is untouched by it.
        await notify_here.acquire()
        notify_first = time.monotonic() - started
        # Another replica's Notify sends queue behind this one's.
        for _ in range(3):
            await notify_there.acquire()
        notify_then = time.monotonic() - started
    finally:
        await other.dispose()

    assert notify_first < 0.2
    assert notify_then >= 0.25
