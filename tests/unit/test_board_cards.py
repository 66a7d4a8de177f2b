"""The Improvement Board's cards: Adaptive Cards 1.5, every button with its fallback, and
what people typed shown as typed, never as a link."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from cards.rendering import materialise, render_card
from knowledge.working_days import WorkingDays
from notifications.board_requests import Meeting, OwnedAction, plan_board_asks, render_ask
from store.models import ActionStatus, Impact, Rag, ReviewStatus
from tests.cards import elements, words

HOSTILE = "[click](https://evil.example) *now*"


def executes(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in elements(card) if e.get("type") == "Action.Execute"]


def update_of(note: str = HOSTILE) -> SimpleNamespace:
    return SimpleNamespace(
        id=5,
        rag=Rag.AT_RISK,
        note=note,
        evidence_text=None,
        evidence_link="https://sharepoint.example/e",
        impact=Impact.EMERGING,
        review_status=ReviewStatus.PENDING,
    )


ACTION = SimpleNamespace(id=3, ref="PA2.2", description=HOSTILE, status=ActionStatus.IN_PROGRESS)


def board_cards() -> list[dict[str, Any]]:
    [ask] = plan_board_asks(
        date(2026, 12, 10),
        [Meeting(1, "Board", date(2026, 12, 17))],
        {1: [OwnedAction(3, "PA2.2", HOSTILE, 7, updated=False)]},
        set(),
        WorkingDays(),
        5,
    )
    common = {"meeting_when": "Thursday 17 December 2026", "max_note": 1000}
    return [
        materialise(render_ask(ask))["card"],
        render_card(
            "board_update",
            action=ACTION,
            meeting=1,
            due="Friday 30 October 2026",
            update=None,
            reviewer="Patti Fernandez",
            sent_back=None,
            outcome=None,
            max_link=2000,
            **common,
        ),
        render_card(
            "board_review",
            update=update_of(),
            action=ACTION,
            author="Adele Vance",
            outcome=None,
            **common,
        ),
        render_card(
            "board_status",
            heading="Board updates",
            summary="1 of 2",
            scope=None,
            waiting=[{"name": "Adele Vance", "refs": "PA2.3"}],
        ),
    ]


@pytest.mark.parametrize("index", range(4))
def test_each_card_is_adaptive_card_1_5_and_every_button_has_a_fallback(index: int) -> None:
    card = board_cards()[index]

    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.5")
    for button in executes(card):
        assert button["fallback"] == {
            "type": "Action.Submit",
            "title": button["title"],
            "data": button["data"],
        }
        assert button["verb"] == button["data"]["action"]


def test_what_people_typed_is_shown_as_typed() -> None:
    for card in board_cards()[:3]:
        shown = " ".join(words(card))
        assert "[click](https://evil.example)" not in shown
        assert "\\[click\\]" in shown


def test_the_review_card_offers_accept_and_send_back_for_that_update() -> None:
    review = board_cards()[2]

    assert {b["title"]: b["data"] for b in executes(review)} == {
        "Accept": {"action": "board_review", "update": 5, "decision": "accept"},
        "Send back": {"action": "board_review", "update": 5, "decision": "send_back"},
    }
