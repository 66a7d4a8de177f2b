"""This module describes exceptions for logs without their messages, which may quote input."""

from __future__ import annotations

import traceback
from pathlib import Path


def describe_exception(error: BaseException) -> str:
    """An exception as its types and where they were raised, without their messages.

    Messages of exceptions raised deep in a turn (a database driver's, a validation
    library's) can quote the values being handled, which may be what someone typed. The
    types and the stack are what a developer needs to find the fault.
    """
    parts = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)
        where = "; ".join(
            f"{_short(frame.filename)}:{frame.lineno} in {frame.name}" for frame in frames[-8:]
        )
        parts.append(f"{type(current).__module__}.{type(current).__qualname__} at {where or '?'}")
        current = current.__cause__ or current.__context__
    return " <- caused by ".join(parts)


def _short(filename: str) -> str:
    path = Path(filename)
    parts = path.parts
    for anchor in ("site-packages", "lib"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + 1 :])
    return "/".join(parts[-3:])
