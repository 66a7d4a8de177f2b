"""Reading Adaptive Cards in tests: their text as a person would see it, and their buttons.

Everything here walks a card with `elements`, the one walk: every object in the card,
nested ones (show-cards, containers, columns) included, top to bottom.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def elements(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a card, depth first, in the order a reader meets them."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from elements(value)
    elif isinstance(node, list):
        for value in node:
            yield from elements(value)


def card_texts(card: dict[str, Any]) -> list[str]:
    """Every top-level TextBlock's text and fact ("title: value"), top to bottom."""
    return [text for element in card["body"] for text in _texts_of(element)]


def words(node: Any) -> list[str]:
    """Every TextBlock and fact ("title: value") in a card, nested ones too, in order."""
    return [text for element in elements(node) for text in _texts_of(element)]


def text_blocks(node: Any) -> list[str]:
    """Every TextBlock's text in a card, nested ones too, in order (facts left out)."""
    return [str(e["text"]) for e in elements(node) if e.get("type") == "TextBlock"]


def strings(node: Any) -> list[str]:
    """Every string value in a card, whatever it is for."""
    found = [value for e in elements(node) for value in e.values() if isinstance(value, str)]
    if isinstance(node, str):
        found.insert(0, node)
    found += [
        item
        for e in elements(node)
        for value in e.values()
        if isinstance(value, list)
        for item in value
        if isinstance(item, str)
    ]
    return found


def buttons(card_json: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every Execute button's data by title, including those inside show-cards and items."""
    found: dict[str, dict[str, Any]] = {}
    for element in elements(card_json):
        if element.get("type") == "Action.Execute":
            found.setdefault(element["title"], element["data"])
    return found


def find_action(node: Any, kind: str, title: str) -> dict[str, Any]:
    """The first action of type `kind` (e.g. "Action.Execute") called `title` in a card."""
    for element in elements(node):
        if element.get("type") == kind and element.get("title") == title:
            return element
    raise LookupError(f"no {kind} titled {title!r} in the card")


def _texts_of(element: dict[str, Any]) -> list[str]:
    if element.get("type") == "TextBlock":
        return [str(element["text"])]
    if element.get("type") == "FactSet":
        return [f"{fact['title']}: {fact['value']}" for fact in element["facts"]]
    return []


def facts(node: Any) -> dict[str, str]:
    """Every fact in a card (nested cards included), title to value."""
    return {
        str(fact["title"]): str(fact["value"])
        for element in elements(node)
        if element.get("type") == "FactSet"
        for fact in element.get("facts", [])
    }
