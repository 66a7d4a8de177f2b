"""This module contains render_card, which turns a Jinja2 template into an Adaptive Card."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

ADAPTIVE_CARD_VERSION = "1.5"


@cache
def _environment() -> Environment:
    # Card templates are JSON: values go in through the tojson filter, never raw.
    return Environment(
        loader=PackageLoader("dialogs", "templates"),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates ship with the package: no need to check their files on every render
        # (a broadcast renders thousands of cards).
        auto_reload=False,
    )


def render_card(template: str, **context: Any) -> dict[str, Any]:
    """Renders `templates/<template>.json.j2` and parses it into a card dict."""
    text = (
        _environment()
        .get_template(f"{template}.json.j2")
        .render(version=ADAPTIVE_CARD_VERSION, **context)
    )
    card: dict[str, Any] = json.loads(strip_trailing_commas(text))
    return card


def strip_trailing_commas(text: str) -> str:
    """Drops commas that come just before a closing bracket, outside strings.

    Templates can then end every element with a comma, however many are left out by
    conditions, instead of each one working out whether it is last.
    """
    return _STRING_OR_TRAILING_COMMA.sub(lambda m: m.group(1) or m.group(0), text)


# A JSON string (kept as it is) or a comma followed only by space and a closing bracket.
_STRING_OR_TRAILING_COMMA = re.compile(r'"(?:\\.|[^"\\])*"|,(\s*[\]}])')
