"""This module contains render_card, which turns a Jinja2 template into an Adaptive Card."""

from __future__ import annotations

import json
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
    out: list[str] = []
    in_string = escaped = False
    pending = ""
    for char in text:
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if pending:
            if char.isspace():
                pending += char
                continue
            out.append(pending[1:] if char in "]}" else pending)
            pending = ""
        if char == ",":
            pending = ","
            continue
        in_string = char == '"'
        out.append(char)
    out.append(pending)
    return "".join(out)
