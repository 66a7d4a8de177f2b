"""This module keeps what people typed, and bearer links, out of every log record."""

from __future__ import annotations

import logging
import re
import traceback
from pathlib import Path

# Paths whose last part is a bearer token: whoever has the link can use it.
_TOKEN_PATH = re.compile(r"/(exports|ack)/[^\s/?#\"']+")
REDACTED = r"/\1/[redacted]"
# Loggers that would write message bodies: msrest logs each HTTP request and response body
# at DEBUG (the bot's replies, which repeat notes and case references).
_QUIET = {"msrest": logging.WARNING, "msrest.serialization": logging.ERROR}
# aiohttp's request logs carry the path, so they pass through the redaction below.
_REQUEST_LOGGERS = ("aiohttp.access", "aiohttp.server", "aiohttp.web")


def redact_links(text: str) -> str:
    """`text` with the token of every export or acknowledgement link replaced."""
    return _TOKEN_PATH.sub(REDACTED, text)


class RedactLinksFilter(logging.Filter):
    """Rewrites a record so no export or acknowledgement token survives in it.

    The access log formats its line before logging, so the message itself is rewritten,
    and so are the request line and path it also attaches to the record for formatters
    that print them.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_links(record.getMessage())
        record.args = None
        for name, value in list(vars(record).items()):
            if name not in ("msg", "args") and isinstance(value, str) and "/" in value:
                setattr(record, name, redact_links(value))
        return True


_FILTER = RedactLinksFilter()


def protect_logs() -> None:
    """Quietens loggers that would write bodies and redacts links in request logs.

    Safe to call more than once (every app built calls it).
    """
    for name, level in _QUIET.items():
        logger = logging.getLogger(name)
        if logger.level < level:
            logger.setLevel(level)
    for name in _REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


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
