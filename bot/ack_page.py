"""This module writes the acknowledge link's small HTML pages: the button, and the answers."""

from __future__ import annotations

import base64
import hashlib
from html import escape

from aiohttp import web

# Large enough to read and press on a phone, which is where an SMS link opens.
STYLE = (
    "body{font-family:Arial,sans-serif;max-width:36em;margin:2em auto;padding:0 1em;"
    "line-height:1.5;color:#0b0c0c}"
    "h1{font-size:1.5em}"
    ".drill{background:#ffdd00;font-weight:bold;padding:.5em}"
    "button{font-size:1.2em;padding:.6em 1.2em;background:#00703c;color:#fff;border:0;"
    "cursor:pointer}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
# Nothing runs and nothing loads but the one stylesheet above; the form posts only back here.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
BUTTON = "Acknowledge"


def page(
    status: int,
    heading: str,
    lines: list[str],
    *,
    drill: bool = False,
    button: bool = False,
) -> web.Response:
    """A plain page: a heading, a few lines of text, and the Acknowledge button if asked.

    Every text is escaped. The form has no action, so it posts to the page's own address
    (the token stays in the address bar, never in the page).
    """
    banner = (
        '<p class="drill">DRILL: this is a practice, not a real inspection.</p>' if drill else ""
    )
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    form = f'<form method="post"><button type="submit">{BUTTON}</button></form>' if button else ""
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex, nofollow">'
        f"<title>{escape(heading)} - Inspection Ready</title><style>{STYLE}</style></head>"
        f"<body>{banner}<h1>{escape(heading)}</h1>{body}{form}</body></html>"
    )
    return web.Response(
        text=html,
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers={
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "Cache-Control": "no-store",
            "X-Robots-Tag": "noindex, nofollow",
        },
    )
