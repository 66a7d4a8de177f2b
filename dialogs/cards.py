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
    card: dict[str, Any] = json.loads(text)
    return card
