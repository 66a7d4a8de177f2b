"""This module contains render_card (a Jinja2 template to an Adaptive Card) and plain_text."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

ADAPTIVE_CARD_VERSION = "1.5"

# U+2060 WORD JOINER: zero width, and unlike a zero-width space it adds no place to wrap the line.
WORD_JOINER = "\u2060"


@cache
def _environment() -> Environment:
    # Card templates are JSON: values go in through the tojson filter, never raw.
    environment = Environment(
        loader=PackageLoader("cards", "templates"),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates ship with the package: no need to check their files on every render
        # (a broadcast renders thousands of cards).
        auto_reload=False,
    )
    # Text from people or import files goes through `plain` before `tojson`.
    environment.filters["plain"] = plain_text
    return environment


def render_card(template: str, **context: Any) -> dict[str, Any]:
    """Renders `templates/<template>.json.j2` and parses it into a card dict."""
    text = (
        _environment()
        .get_template(f"{template}.json.j2")
        .render(version=ADAPTIVE_CARD_VERSION, **context)
    )
    card: dict[str, Any] = json.loads(strip_trailing_commas(text))
    return card


def plain_text(value: str) -> str:
    """`value` as Teams markdown that shows exactly its characters: no link, list or emphasis.

    For text a person typed or an import file held, placed in a TextBlock, a fact or a
    message's text. Text the product writes with intended markdown (a source link) must not
    go through it, and nothing may go through it twice.
    """
    text = _INLINE_MARKUP.sub(r"\\\g<0>", value)
    text = _DOUBLE_SLASH.sub("/" + WORD_JOINER, text)
    text = _WWW_DOT.sub("www" + WORD_JOINER, text)
    lines = _LINE_BREAK.split(text)
    # Even places hold the lines, odd ones the line breaks between them.
    lines[::2] = [WORD_JOINER + line if _BLOCK_START.match(line) else line for line in lines[::2]]
    return "".join(lines)


# Teams renders TextBlock text, fact titles and values, and message text as markdown: bold,
# italic, lists and [text](url) links are documented (learn.microsoft.com, "Format cards in
# Teams" and "Format your bot messages"), and its clients parse the rest of CommonMark too.
#
# A backslash before ASCII punctuation makes it literal and is itself not shown in CommonMark.
# The Teams mobile renderer (Teams-AdaptiveCards-Mobile, MarkDownBlockParser.cpp) drops the
# backslash only before [ ] ) * _ and shows it elsewhere, and only [ starts a link there; so
# [ ] * _ are escaped everywhere, and the rest only where CommonMark would read them as markup:
# a backslash before punctuation or a line end, ` and ~ (code, strikethrough), < before what
# starts an autolink or HTML, & before a character reference, and ) before "- " or "+ ",
# which the mobile renderer takes for a list item even in mid-line.
_INLINE_MARKUP = re.compile(
    r"""\\(?=[!-/:-@\[-`{-~]|[\r\n]|\Z)
      | [\[\]*_`~]
      | <(?=[A-Za-z/!?])
      | &(?=\#[0-9]{1,7};|\#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)
      | \)(?=[-+][ \t])
    """,
    re.VERBOSE,
)
# Teams clients also link bare addresses. A word joiner between the slashes of "//" stops
# scheme://host and //host links in cmark-gfm (GitHub's autolink extension) and in linkify-it
# (markdown-it's, which Bot Framework Web Chat and the Agents Playground use); just after "://"
# it stops neither. One after "www" stops www. links in cmark-gfm. linkify-it still links a
# domain with a known ending (www.example.com, example.gov.uk) and an e-mail address across any
# zero-width character, as cmark-gfm does the e-mail address; those are left as they are.
_DOUBLE_SLASH = re.compile(r"/(?=/)")
_WWW_DOT = re.compile(r"\bwww(?=\.)", re.IGNORECASE)
# Lines as CommonMark and the mobile renderer end them.
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
# A line that could open a list, heading, quote, table or code block gets a word joiner in
# front, which no block starts with; a backslash there would show on mobile. (A line starting
# with * ` or ~ starts with a backslash by now.)
_BLOCK_START = re.compile(r"[ \t]|[-+#>=|]|[0-9]+[.)]")


def materialise(payload: dict[str, Any]) -> dict[str, Any]:
    """The message to send, {"text", "card"}, from a stored payload."""
    if "template" not in payload:
        return payload
    card = render_card(str(payload["template"]), **payload.get("context", {}))
    return {"text": payload.get("text"), "card": card, "important": payload.get("important")}


def strip_trailing_commas(text: str) -> str:
    """Drops commas that come just before a closing bracket, outside strings.

    Templates can then end every element with a comma, however many are left out by
    conditions, instead of each one working out whether it is last.
    """
    return _UP_TO_A_TRAILING_COMMA.sub(r"\1", text)


# Everything up to the next trailing comma (kept, as group 1), then that comma and the
# space after it (dropped); or everything up to the end. Strings are taken whole, so a
# comma inside one is never touched. Each match starts where the last one ended, and the
# possessive quantifiers never give back what they took: one pass over the text, with
# one replacement per trailing comma rather than one per string.
_UP_TO_A_TRAILING_COMMA = re.compile(
    r'((?:[^",]++|"(?:\\.|[^"\\])*+"|,(?!\s*+[\]}]))*+)(?:,\s*+(?=[\]}])|\Z)'
)
