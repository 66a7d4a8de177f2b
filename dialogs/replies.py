"""This module contains Reply, what a dialog asks the bot to send back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Reply:
    """A text message, an Adaptive Card, or both (the text then summarises the card)."""

    text: str | None = None
    card: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.text is None and self.card is None:
            raise ValueError("a reply needs text, a card, or both")
