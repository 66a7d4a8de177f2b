"""End to end: a coordinator runs an inspection-call drill through the Agents Playground.

The real service (demo data) and the real playground; the coordinator (Alex Wilber, the
playground's current user) presses the cards' buttons by Action.Execute, as Teams does.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from tests.cards import find_action, words
from tests.e2e.playground import (
    ADAPTIVE_CARD_CONTENT_TYPE,
    PlaygroundClient,
    PlaygroundProcess,
    PlaygroundStream,
    adaptive_cards,
    text_is,
)
from tests.e2e.service import ServiceProcess

# Run on each SDK: `make test` repeats the edge tests with INSPECTION_READY_SDK=agents.
pytestmark = [pytest.mark.e2e, pytest.mark.edge]

LONDON = ZoneInfo("Europe/London")  # the service's default time zone
ROSTER = 30  # people in demo/staff.csv
RECIPIENTS = ROSTER - 1  # everyone but the coordinator who calls
TYPE_NAME = "ILACS short inspection"
DRILL_BANNER = "DRILL: this is a practice, not a real inspection"
STATUS_TITLE = f"DRILL: Inspection call status: {TYPE_NAME}"
ALREADY = "An inspection call is already in progress; its live status follows."


def title(card: dict[str, Any]) -> str:
    """The card's heading: its first top-level TextBlock (after any DRILL banner)."""
    return next(str(e["text"]) for e in card["body"] if e.get("type") == "TextBlock")


def button(card: dict[str, Any], action_title: str) -> dict[str, Any]:
    return find_action(card, "Action.Execute", action_title)


def titled(predicate: Callable[[str], bool]) -> Callable[[dict[str, Any]], bool]:
    """Predicate on a UI message or activity: its first card's heading passes `predicate`."""
    return lambda message: predicate(title(adaptive_cards(message)[0]))


def answer_card(answer: dict[str, Any]) -> dict[str, Any]:
    """The card an Action.Execute answered with (it replaces the card pressed)."""
    assert answer.get("type") == ADAPTIVE_CARD_CONTENT_TYPE, (
        f"expected the invoke to answer with an Adaptive Card, got {answer!r}"
    )
    card = answer["value"]
    assert isinstance(card, dict), answer
    return card


def london_today() -> date:
    return datetime.now(LONDON).date()


def next_monday(today: date) -> date:
    # As the form does: the Monday after today (a week on when today is a Monday).
    return today + timedelta(days=7 - today.weekday())


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def minutes_between(start: datetime, end: datetime) -> list[datetime]:
    """Every minute a London clock shows from `start` to `end` (inclusive)."""
    shown = []
    moment = start.astimezone(LONDON).replace(second=0, microsecond=0)
    while moment <= end:
        shown.append(moment)
        moment += timedelta(minutes=1)
    return shown


def facts(card: dict[str, Any]) -> dict[str, str]:
    """The card's top-level facts, title to value."""
    return {
        str(fact["title"]): str(fact["value"])
        for element in card["body"]
        if element.get("type") == "FactSet"
        for fact in element["facts"]
    }


def stored_calls(service: ServiceProcess) -> list[tuple[str, int, str]]:
    with sqlite3.connect(service.database_path) as db:
        rows = db.execute("SELECT inspection_type, drill, status FROM inspection_call")
        return [(str(r[0]), int(r[1]), str(r[2])) for r in rows.fetchall()]


class Chat:
    """Alex's personal chat with the bot in the playground."""

    def __init__(
        self, client: PlaygroundClient, stream: PlaygroundStream, chat_id: str, user_id: str
    ) -> None:
        self.client = client
        self.stream = stream
        self.chat_id = chat_id
        self.user_id = user_id

    async def say(self, text: str) -> tuple[int, int]:
        """Types `text`; returns where to look for the replies (activities, UI messages)."""
        since = len(self.stream.activities), len(self.stream.messages)
        await self.client.send_text(self.chat_id, self.user_id, text)
        return since

    async def card_message(
        self, heading: Callable[[str], bool], since: int, wait: float = 15.0
    ) -> tuple[str, dict[str, Any]]:
        """The chat message (its playground id, for replyToId) showing a matching card."""
        message = await self.stream.wait_for_message(titled(heading), timeout=wait, since=since)
        return str(message["messageId"]), adaptive_cards(message)[0]

    async def press(
        self, message_id: str, action: dict[str, Any], inputs: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Action.Execute on a card: the action's data plus the card's inputs, as Teams sends."""
        assert action["type"] == "Action.Execute", action
        data = {**action["data"], **(inputs or {})}
        answer = await self.client.execute_card_action(
            self.chat_id, self.user_id, message_id, action["verb"], data, title=action["title"]
        )
        return answer_card(answer)


async def test_coordinator_runs_an_inspection_call_drill_and_stands_it_down(
    tmp_path: Path,
) -> None:
    async with (
        ServiceProcess(tmp_path) as service,
        PlaygroundProcess(service.endpoint) as playground,
        aiohttp.ClientSession() as session,
    ):
        client = PlaygroundClient(playground.base_url, session)
        async with client.stream() as stream:
            config = (await client.config())["config"]
            assert config["currentUser"]["email"] == "alexw@example.com"
            chat = Chat(
                client, stream, str(config["personalChat"]["id"]), str(config["currentUser"]["id"])
            )
            await client.install(chat.chat_id)
            await chat.card_message(
                lambda heading: heading == "Hello Alex, I'm Inspection Ready.", 0, wait=30
            )

            # 1. The trigger: the form; left blank, the on-site date follows the type.
            before = london_today()
            _, since = await chat.say("inspection call")
            form_id, form = await chat.card_message(lambda h: h == "Inspection call", since)
            after = london_today()
            inputs = {e["id"]: e for e in form["body"] if "id" in e}
            assert [(i["type"], i["id"]) for i in inputs.values()] == [
                ("Input.ChoiceSet", "inspection_type"),
                ("Input.Date", "on_site"),
                ("Input.Toggle", "drill"),
            ]
            assert {"title": TYPE_NAME, "value": "ilacs_short"} in inputs["inspection_type"][
                "choices"
            ]
            # Blank: it follows the type, and the form lists each type's usual day.
            assert inputs["on_site"]["value"] == ""
            mondays = {next_monday(before), next_monday(after)}
            [on_site] = [
                m
                for m in mondays
                if any(t.startswith(f"{TYPE_NAME}: {long_date(m)}") for t in words(form))
            ]
            assert inputs["drill"]["value"] == "false"
            preview_button = button(form, "Preview who will receive it")
            assert preview_button["verb"] == "call_preview"

            # 2. Preview: nothing is sent yet; it is marked DRILL and counts who gets it.
            preview = await chat.press(
                form_id,
                preview_button,
                {
                    "inspection_type": "ilacs_short",
                    "on_site": on_site.isoformat(),
                    "drill": "true",
                },
            )
            shown = words(preview)
            assert shown[0] == DRILL_BANNER
            assert title(preview) == f"DRILL: Check before sending: {TYPE_NAME}"
            preview_facts = facts(preview)
            assert preview_facts["Inspectors on site"] == long_date(on_site)
            assert preview_facts["On the roster"] == f"{RECIPIENTS} people (everyone but you)"
            # Only Alex has the app installed in the playground; no one else can be reached,
            # and the card says so rather than offering to send to everyone.
            assert preview_facts["Will get it in Teams"] == f"0 of {RECIPIENTS}"
            roles = {
                k: int(v)
                for k, v in preview_facts.items()
                if k not in ("Inspectors on site", "On the roster", "Will get it in Teams")
            }
            assert sum(roles.values()) == RECIPIENTS, roles
            assert roles["Annex A lead"] == 1
            assert (
                f"Will not get it: {RECIPIENTS} cannot be reached in Teams (the app is not "
                "installed for them). Phone them." in shown
            )
            [names] = [t for t in shown if t.endswith(f" and {RECIPIENTS - 20} more.")]
            assert "Alex Wilber" not in names  # 20 are named, never the caller
            # Alex (the caller) is the one person with the app, so only Alex's own reports
            # have a line manager who can be told.
            [managers] = [t for t in shown if t.startswith("If they do not acknowledge, ")]
            assert managers.endswith(" of them have a line manager who will be told in Teams.")
            send_title = "Start the DRILL alert (nobody can get it in Teams)"
            assert [a["title"] for a in preview["actions"]] == [send_title, "Change"]
            send = button(preview, send_title)
            assert send["verb"] == "call_confirm"
            assert send["data"] == {
                "action": "call_confirm",
                "inspection_type": "ilacs_short",
                "on_site": on_site.isoformat(),
                "drill": "true",
            }
            assert stored_calls(service) == []

            # 3. Confirm: the preview says when it was sent; the status card follows.
            since_activities, since = len(stream.activities), len(stream.messages)
            pressed_at = datetime.now(LONDON)
            sent = await chat.press(form_id, send)
            confirmed_at = datetime.now(LONDON)
            minutes = minutes_between(pressed_at, confirmed_at)
            sent_texts = words(sent)
            assert sent_texts[:-1] == shown, "the sent preview should be the preview plus when"
            assert sent_texts[-1] in {
                f"Sent at {m:%H:%M}. The live status card follows." for m in minutes
            }, sent_texts[-1]
            assert sent["actions"] == [], "the sent preview must not offer Send again"

            status_id, status = await chat.card_message(lambda h: h == STATUS_TITLE, since)
            status_activity = await stream.wait_for(
                titled(lambda h: h == STATUS_TITLE), since=since_activities
            )
            assert status_activity.get("text") is None  # the card alone: its id is known
            assert status_activity["summary"] == (
                f"0 of {RECIPIENTS} have acknowledged the inspection call."
            )
            status_texts = words(status)
            assert status_texts[0] == DRILL_BANNER
            assert status_texts[2] in {
                f"Inspectors on site {long_date(on_site)}. Called at {m:%H:%M} on "
                f"{long_date(m.date())} by Alex Wilber."
                for m in minutes
            }, status_texts[2]
            status_facts = facts(status)
            assert status_facts["Acknowledged"] == f"0 of {RECIPIENTS}"
            assert status_facts["Delivered"] == "0"
            assert status_facts["Failed"] == "0"
            assert status_facts["Updates sent"] == "0"
            assert (
                int(status_facts["Still sending"]) + int(status_facts["Cannot be reached"])
                == RECIPIENTS
            ), status_facts
            assert [a["title"] for a in status["actions"]] == [
                "Refresh",
                "Send an update",
                "Stand down",
                "Export acknowledgements (CSV)",
            ]
            update = find_action(status, "Action.ShowCard", "Send an update")
            assert button(update["card"], "Send update")["verb"] == "call_update"
            assert [e["id"] for e in update["card"]["body"]] == ["update_message"]
            assert button(status, "Export acknowledgements (CSV)")["verb"] == "call_export"
            assert stored_calls(service) == [("ilacs_short", 1, "active")]

            # The status card keeps itself up to date where it was sent, without Refresh:
            # the alerts nobody can receive move from "Still sending" to "Cannot be reached".
            def settled(message: dict[str, Any]) -> bool:
                cards = adaptive_cards(message)
                return (
                    message["action"] == "updateMessage"
                    and message["messageId"] == status_id
                    and bool(cards)
                    and facts(cards[0]).get("Still sending") == "0"
                )

            updated = await stream.wait_for_message(settled, timeout=30, since=since)
            assert facts(adaptive_cards(updated)[0])["Cannot be reached"] == str(RECIPIENTS)

            # While the call is active, the trigger shows it rather than a new form.
            since_activities, since = await chat.say("inspection call")
            already = await stream.wait_for(text_is(ALREADY), since=since_activities)
            assert not adaptive_cards(already)
            _, again = await chat.card_message(lambda h: h == STATUS_TITLE, since)
            assert facts(again)["Acknowledged"] == f"0 of {RECIPIENTS}"
            assert [a["title"] for a in again["actions"]] == [
                a["title"] for a in status["actions"]
            ]
            assert stored_calls(service) == [("ilacs_short", 1, "active")]

            # 4. Refresh on the status card still works, for a card someone doubts.
            refresh = button(status, "Refresh")
            assert refresh["verb"] == "call_status"
            refreshed = await chat.press(status_id, refresh)
            assert title(refreshed) == STATUS_TITLE
            refreshed_facts = facts(refreshed)
            assert refreshed_facts["Acknowledged"] == f"0 of {RECIPIENTS}"
            assert refreshed_facts["Delivered"] == "0"
            still_sending = int(refreshed_facts["Still sending"])
            assert still_sending + int(refreshed_facts["Cannot be reached"]) == RECIPIENTS

            # 5. Stand down (the button inside the "Stand down" ShowCard).
            show_card = find_action(refreshed, "Action.ShowCard", "Stand down")
            stand_down = button(show_card["card"], "Yes, stand the alert down")
            assert stand_down["verb"] == "call_stand_down"
            pressed_at = datetime.now(LONDON)
            stood = await chat.press(status_id, stand_down)
            minutes = minutes_between(pressed_at, datetime.now(LONDON))
            stood_texts = words(stood)
            assert title(stood) == STATUS_TITLE
            assert stood_texts[3] in {f"Stood down at {m:%H:%M} by Alex Wilber" for m in minutes}
            notice = re.fullmatch(
                r"Stood down\. Nobody had received the alert, so nobody needs telling\."
                r"(?: (\d+) messages not yet sent were withdrawn\.)?",
                stood_texts[-1],
            )
            # No one else could be reached, so no one was alerted and no one is told; an
            # alert could only still be in flight if the refresh above showed it sending.
            assert notice, stood_texts[-1]
            assert int(notice.group(1) or 0) <= still_sending, stood_texts[-1]
            assert facts(stood)["Acknowledged"] == f"0 of {RECIPIENTS}"
            assert [a["title"] for a in stood["actions"]] == [
                "Refresh",
                "Export acknowledgements (CSV)",
            ]
            assert stored_calls(service) == [("ilacs_short", 1, "stood_down")]

            # Once stood down, a new call can be started: the form again.
            _, since = await chat.say("inspection call")
            _, new_form = await chat.card_message(lambda h: h == "Inspection call", since)
            assert [e["id"] for e in new_form["body"] if "id" in e] == list(inputs)
            assert button(new_form, "Preview who will receive it")["verb"] == "call_preview"
