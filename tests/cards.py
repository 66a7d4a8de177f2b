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
