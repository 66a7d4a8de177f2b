"""The acknowledge link's page: escaped text, one button posting back, a strict policy."""

from __future__ import annotations

import base64
import hashlib

from bot.ack_page import CONTENT_SECURITY_POLICY, STYLE, page


def test_text_is_escaped_and_the_form_posts_to_its_own_address() -> None:
    response = page(200, "Inspection call", ["For <b>Jo</b> & co"], drill=True, button=True)
    html = response.text or ""

    assert "For &lt;b&gt;Jo&lt;/b&gt; &amp; co" in html
    assert '<form method="post"><button type="submit">Acknowledge</button></form>' in html
    assert "action=" not in html  # nothing in the page names the token
    assert "DRILL: this is a practice" in html
    assert response.content_type == "text/html"
    assert response.headers["Cache-Control"] == "no-store"


def test_no_button_unless_asked_and_only_the_pages_own_style_may_apply() -> None:
    html = page(410, "This link has been used already", ["Used."]).text or ""
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()

    assert "<form" not in html
    assert "DRILL" not in html
    assert f"style-src 'sha256-{digest}'" in CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert "form-action 'self'" in CONTENT_SECURITY_POLICY
    assert f"<style>{STYLE}</style>" in html
