"""Waiting in a test for what the service does in the background."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def until(condition: Callable[[], bool], seconds: float = 10) -> None:
    """Waits (`seconds` at most) until `condition` holds."""
    async with asyncio.timeout(seconds):
        # The fakes record requests in lists, not events to wait on.
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)
