"""In a real browser: the Agents Playground's own page, clicked and typed into as a person.

The real service (demo data), a real playground per person and headless Chromium. Adele
Vance (a practitioner) is welcomed, asks for help, asks a framework question and works
through her actions; Alex Wilber (the coordinator) runs an inspection-call drill and
watches his status card count the acknowledgements that Adele (in her browser) and Megan
Bowen (through the playground's endpoints) send. Screenshots of each step are written to
var/test-artifacts/browser/.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.chat_page import ChatPage
from tests.browser.conftest import HarnessChat, wait_until_installed
from tests.cards import find_action
from tests.e2e.playground import adaptive_cards
from tests.e2e.service import ServiceProcess

pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,
    pytest.mark.asyncio(loop_scope="module"),
]

ROSTER = 30  # people in demo/staff.csv
RECIPIENTS = ROSTER - 1  # everyone but the coordinator who calls
TYPE_NAME = "ILACS short inspection"
QUESTION = "how long do we have for an ICPC after the strategy discussion"
ANSWER_HEADING = "Initial child protection conference (ICPC) timing"
# The first improvement-plan reference in a list card's text, e.g. "PA2.2: Update the ...".
ITEM_REF = re.compile(r"^([A-Z][A-Z0-9]*\d[\w./-]*): ", re.MULTILINE)
# What an alert card says once its person has pressed Acknowledge.
ACKNOWLEDGED_AT = re.compile(r"Acknowledged at \d\d:\d\d")


def acknowledged(count: int) -> re.Pattern[str]:
    """The status card's count of acknowledgements ("Acknowledged 1 of 29")."""
    return re.compile(rf"Acknowledged\s+{count} of \d+")


async def test_practitioner_is_welcomed_in_the_personal_chat(adele: ChatPage) -> None:
    welcome = await adele.card(
        "Hello Adele, I'm Inspection Ready.", what="after install", within=30
    )
    await adele.wait_for_text(
        welcome,
        "You are on the roster as a practitioner in Assessment and intervention",
        what="the welcome card",
    )
    await adele.button(welcome, "Help", what="the welcome card")
    await adele.screenshot("01-welcome-practitioner")


async def test_help_on_the_welcome_card_shows_the_help_card(adele: ChatPage) -> None:
    welcome = await adele.card("Hello Adele, I'm Inspection Ready.", what="after install")
    await adele.press(welcome, "Help", what="the welcome card")
    await adele.card(
        "Here is what I can do for you, Adele.", what="after pressing Help on the welcome card"
    )
    await adele.screenshot("02-help")


async def test_a_framework_question_is_answered_and_helpful_is_acknowledged(
    adele: ChatPage,
) -> None:
    since = await adele.type_message(QUESTION)
    answer = await adele.card(ANSWER_HEADING, what=f"after typing {QUESTION!r}", since=since)
    await adele.wait_for_text(answer, "15 working days", what="the answer card")
    await adele.wait_for_text(answer, "Source:", what="the answer card")
    await adele.screenshot("03-answer")

    await adele.press(answer, "Helpful", what="the answer card")
    await adele.wait_for_text(
        answer, "Thanks: you found this helpful.", what="the answer card after Helpful"
    )
    await adele.screenshot("04-helpful")


async def test_my_work_opens_an_item_and_goes_back_to_the_list(adele: ChatPage) -> None:
    since = await adele.type_message("my work")
    listing = await adele.card("Your actions", what="after typing 'my work'", since=since)
    shown = await adele.wait_for_text(listing, ITEM_REF, what="the my-work list card")
    match = ITEM_REF.search(shown)
    assert match is not None
    first_ref = match.group(1)
    await adele.screenshot("05-my-work-list")

    await adele.press(listing, "Open", what="the my-work list card")
    at, detail = await adele.find_card(
        f"Action {first_ref}", what=f"after pressing Open on {first_ref}", since=since
    )
    await adele.wait_for_text(detail, "Priority area", what=f"the detail card of {first_ref}")
    await adele.screenshot("06-detail")

    await adele.press(detail, "Back to the list", what=f"the detail card of {first_ref}")
    # In place of the detail, or after it: not the list the detail was opened from.
    back = await adele.card("Your actions", what="after pressing Back to the list", since=at)
    await adele.wait_for_text(back, f"{first_ref}: ", what="the list after Back to the list")
    await adele.screenshot("07-back-to-the-list")


async def test_mark_complete_on_an_action_changes_its_card(adele: ChatPage) -> None:
    since = await adele.type_message("my work")
    listing = await adele.card("Your actions", what="after typing 'my work'", since=since)
    shown = await adele.wait_for_text(listing, ITEM_REF, what="the my-work list card")
    match = ITEM_REF.search(shown)
    assert match is not None
    ref = match.group(1)
    await adele.press(listing, "Open", what="the my-work list card")
    detail = await adele.card(f"Action {ref}", what=f"after pressing Open on {ref}", since=since)

    await adele.press(detail, "Mark complete", what=f"the detail card of {ref}")
    form = adele.show_card(detail)
    note = "Plans reviewed with my manager; evidence in the store"
    evidence = form.get_by_label("Evidence of completion (a short note)")
    await evidence.click()
    await evidence.press_sequentially(note)
    await adele.press(form, "Save as complete", what=f"the Mark complete form of {ref}")
    done = await adele.wait_for_text(
        detail, "Marked complete.", what=f"the card of {ref} after Mark complete"
    )
    assert done.count(note) == 1, f"the evidence note should show once: {done}"
    assert re.search(r"Status\s+complete\b", done), done
    assert await detail.get_by_role("button", name="Mark complete", exact=True).count() == 0, (
        f"the completed action {ref} still offers Mark complete"
    )
    await adele.screenshot("08-marked-complete")


async def test_coordinator_is_welcomed_in_the_personal_chat(alex: ChatPage) -> None:
    welcome = await alex.card("Hello Alex, I'm Inspection Ready.", what="after install", within=30)
    await alex.wait_for_text(
        welcome,
        "You are on the roster as a coordinator in Quality assurance",
        what="the welcome card",
    )
    await alex.wait_for_text(welcome, "Inspection call", what="the coordinator's welcome card")
    await alex.screenshot("09-welcome-coordinator")


async def test_coordinator_runs_a_drill_and_the_status_card_follows_acknowledgements(
    service: ServiceProcess, alex: ChatPage, adele: ChatPage, megan: HarnessChat
) -> None:
    await wait_until_installed(
        service, {"alexw@example.com", "adelev@example.com", "meganb@example.com"}
    )
    since = await alex.type_message("inspection call")
    form = await alex.card(
        "Preview who will receive it", what="after typing 'inspection call'", since=since
    )
    await form.get_by_role("combobox", name="Type of inspection").click()
    await alex.page.get_by_role("option", name=TYPE_NAME, exact=True).click()
    await form.get_by_role("checkbox", name=re.compile(r"^This is a drill")).check()
    await alex.screenshot("10-call-form")
    await alex.press(form, "Preview who will receive it", what="the inspection-call form")

    # The preview: nothing is sent yet. Alex, Adele and Megan have the app installed, so
    # two of the 29 others can be reached in Teams.
    preview = await alex.card(
        f"DRILL: Check before sending: {TYPE_NAME}", what="after Preview", since=since
    )
    await alex.wait_for_text(
        preview, "DRILL: this is a practice, not a real inspection", what="the preview"
    )
    await alex.wait_for_text(preview, f"{RECIPIENTS} people", what="the preview")
    await alex.wait_for_text(preview, re.compile(rf"\b2 of {RECIPIENTS}\b"), what="the preview")
    await alex.wait_for_text(preview, re.compile(r"Annex A lead\s+1\b"), what="the preview")
    await alex.button(preview, "Change", what="the preview")
    send = await alex.button(
        preview, re.compile(r"^Send the DRILL alert to \d+ people"), what="the preview"
    )
    await alex.screenshot("11-call-preview")

    after_preview = await alex.card_count()
    await send.click()
    status = await alex.card(
        f"DRILL: Inspection call status: {TYPE_NAME}",
        what="after sending the alert",
        since=after_preview,
    )
    await alex.wait_for_text(status, acknowledged(0), what="the new status card")
    await alex.button(status, "Refresh", what="the status card")
    await alex.screenshot("12-call-status")

    # Adele, in her browser, gets the alert and acknowledges it.
    alert = await adele.card(
        f"DRILL: Inspection call: {TYPE_NAME}", what="after Alex sent the alert"
    )
    await adele.wait_for_text(
        alert, "DRILL: this is a practice, not a real inspection", what="Adele's alert card"
    )
    await adele.press(alert, "Acknowledge", what="Adele's alert card")
    await adele.wait_for_text(alert, ACKNOWLEDGED_AT, what="Adele's alert card after Acknowledge")
    await adele.screenshot("13-alert-acknowledged")

    # Alex presses nothing: the status card counts her in by itself.
    await alex.wait_for_text(
        status,
        acknowledged(1),
        what="the status card, untouched, after Adele acknowledged",
        within=25,
    )

    # Megan acknowledges through the playground's endpoints (a second chat, no browser).
    message = await megan.stream.wait_for_message(
        lambda m: any(
            a.get("title") == "Acknowledge"
            for shown in adaptive_cards(m)
            for a in shown.get("actions", [])
        ),
        timeout=15,
    )
    button = find_action(adaptive_cards(message)[0], "Action.Execute", "Acknowledge")
    answer = await megan.client.execute_card_action(
        megan.chat_id,
        megan.user_id,
        str(message["messageId"]),
        button["verb"],
        button["data"],
        title="Acknowledge",
    )
    assert ACKNOWLEDGED_AT.search(str(answer.get("value"))), answer
    await alex.wait_for_text(
        status,
        acknowledged(2),
        what="the status card, untouched, after Megan acknowledged",
        within=25,
    )
    await alex.screenshot("14-call-status-updated")
