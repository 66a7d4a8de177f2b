"""This module keeps what people typed, and bearer links, out of every log record.

Exceptions are logged with `teams.logs.describe_exception`: types and stack, no messages.
"""

from __future__ import annotations

import logging
import re

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
