"""Reading Adaptive Cards in tests: their text, as a person would see it."""

from __future__ import annotations

from typing import Any


def card_texts(card: dict[str, Any]) -> list[str]:
    """Every TextBlock's text and every fact as "title: value", top to bottom."""
    texts = []
    for element in card["body"]:
        if element["type"] == "TextBlock":
            texts.append(element["text"])
        if element["type"] == "FactSet":
            texts.extend(f"{fact['title']}: {fact['value']}" for fact in element["facts"])
    return texts


def words(node: Any) -> list[str]:
    """Every TextBlock and fact ("title: value") in a card, nested ones too, in order."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            found.append(str(node["text"]))
        if node.get("type") == "FactSet":
            found += [f"{fact['title']}: {fact['value']}" for fact in node["facts"]]
        for value in node.values():
            found += words(value)
    elif isinstance(node, list):
        for value in node:
            found += words(value)
    return found
