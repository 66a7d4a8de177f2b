"""Text from people and import files reaches Teams plain: never a link, list or emphasis."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cards import call_messages
from cards.call_messages import CallFacts
from cards.rendering import WORD_JOINER, materialise, plain_text, render_card
from cards.work_items import from_action
from demo.loader import DEMO_ANCHOR, load_demo
from dialogs.people import Person
from dialogs.reminder_settings import unreachable
from dialogs.routing import Command, Intent
from dialogs.work_changes import WorkChanges
from dialogs.work_dialog import WorkViews, version_of
from knowledge.working_days import WorkingDays
from notifications.planner import EventInfo, MessageKind, Planned, Recipient
from notifications.rendering import render
from store.db import Database
from store.models import (
    Action,
    ActionStatus,
    AuditAssignment,
    AuditStatus,
    AuditType,
    ExtensionRequest,
    Staff,
    StaffRole,
)
from store.repositories import work
from tests.cards import strings

LINK = "[Click to verify your account](https://evil.example)"
# What a person could type into a note, or an import file hold in a name or description.
HOSTILE = f"{LINK} **now**, _today_\n- see www.evil.example or https://evil.example/2\n1. done"
HOSTILE_NAME = "Jane [Smith](https://evil.example)"
TODAY = date(2026, 11, 25)
CALENDAR = WorkingDays()
ASCII_PUNCTUATION = r"[!-/:-@\[-`{-~]"


def shown(markdown: str) -> str:
    """The characters a CommonMark renderer shows for plain text: a backslash before ASCII
    punctuation is not shown (nor is a word joiner)."""
    return re.sub(rf"\\({ASCII_PUNCTUATION})", r"\1", markdown).replace(WORD_JOINER, "")


def unescaped(markdown: str) -> str:
    """`markdown` with each backslash escape (and the character it escapes) blanked out, so
    that what is left is what a renderer could still read as markup."""
    return re.sub(rf"\\{ASCII_PUNCTUATION}", "\x00\x00", markdown)


def markup_in(markdown: str) -> list[str]:
    """The markdown (and bare addresses) that a Teams client could still act on."""
    left = unescaped(markdown)
    found = re.findall(r"[\[\]*_`~]|<[A-Za-z/!?]|&#?\w+;|//|\bwww\.", left, re.IGNORECASE)
    found += re.findall(r"^[ \t]*(?:[-+*#>=|]|[0-9]+[.)])", left, re.MULTILINE)
    return found


def assert_only_escaped(card: dict[str, Any], *typed: str) -> None:
    """No string in the card holds a link or a bare address, and each typed value is there
    escaped exactly once (so it is shown as typed)."""
    texts = strings(card)
    for text in texts:
        assert "](" not in unescaped(text), text
        assert not re.search(r"https?://evil|www\.evil", text), text
    for value in typed:
        assert any(plain_text(value) in text for text in texts), value
        assert any(value in shown(text) for text in texts), value


def assert_plain_message(text: str, *typed: str) -> None:
    """The same for a message's text."""
    assert "](" not in unescaped(text)
    assert not re.search(r"https?://evil|www\.evil", text)
    for value in typed:
        assert plain_text(value) in text


HOSTILE_STRINGS = [
    LINK,
    "![logo](https://evil.example/logo.png)",
    "**bold** and __strong__ and *italic* and _italic_",
    "- first\n* second\n+ third",
    "  - indented item",
    "1. first\n2) second",
    "# heading\n> quoted\n===",
    "see https://evil.example/x now",
    "HTTP://EVIL.EXAMPLE and ftp://evil.example",
    "go to www.evil.example/login",
    "//evil.example/x",
    "<https://evil.example> <b>bold</b> <at>Jane</at>",
    "&#91;x&#93; and &amp;",
    "`code` and ~~struck~~",
    "[a]: https://evil.example\n[a]",
    "(note)- hidden item",
    "C:\\Users\\jane and a trailing backslash\\",
    "\\[already escaped\\](https://evil.example)",
    "\\\\[double backslash](https://evil.example)",
    "line one\\\nline two",
]


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_hostile_text_reads_as_typed_and_carries_no_markup(value: str) -> None:
    escaped = plain_text(value)

    assert shown(escaped) == value
    assert markup_in(escaped) == []


@pytest.mark.parametrize(
    "value",
    [
        "O'Neil-Smith",
        "Care leavers (16+)",
        "A&I",
        "Annex A lead",
        "Mary-Jane O'Brien, Head of Service",
        "Visited on 3 March; plan updated (see case notes).",
        "5 < 6 and 7 > 2",
        "",
    ],
)
def test_ordinary_text_is_left_as_it_is(value: str) -> None:
    assert plain_text(value) == value


def test_the_escapes_that_teams_mobile_would_show_are_kept_to_markup() -> None:
    # The Teams mobile renderer shows a backslash before most characters: lists are broken
    # with an invisible word joiner, and punctuation is escaped only where it is markup.
    assert plain_text("- item") == f"{WORD_JOINER}- item"
    assert plain_text("12. item") == f"{WORD_JOINER}12. item"
    assert plain_text("https://evil.example") == f"https:/{WORD_JOINER}/evil.example"
    assert plain_text("www.evil.example") == f"www{WORD_JOINER}.evil.example"
    assert plain_text("[x](y)") == "\\[x\\](y)"
    assert plain_text("jane_smith@example.gov.uk") == "jane\\_smith@example.gov.uk"
    assert plain_text("a-b, 3.5 (c) + d") == "a-b, 3.5 (c) + d"


def test_the_filter_escapes_inside_tojson() -> None:
    card = render_card(
        "call_escalation",
        drill=False,
        heading="Not yet acknowledged by 1 of your team",
        type_name="ILACS",
        on_site="Monday 30 November 2026",
        called_at="09:00 on Wednesday 25 November 2026",
        names=[HOSTILE_NAME],
    )

    assert f"- {plain_text(HOSTILE_NAME)}" in strings(card)
    assert_only_escaped(card, HOSTILE_NAME)


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


def test_every_other_card_with_outside_text_shows_it_escaped() -> None:
    auditor = Staff(id=4, name=HOSTILE_NAME, email="a@example.gov.uk", role=StaffRole.MANAGER)
    audit = AuditAssignment(
        id=5,
        ref="AU-1 [x](https://evil.example)",
        case_ref="C-**1**",
        audit_type=AuditType.MONTHLY,
        due_date=TODAY,
        status=AuditStatus.ASSIGNED,
    )
    audit.auditor = auditor
    role = "Annex A lead [sign in](https://evil.example)"
    call = {
        "drill": False,
        "type_name": "ILACS",
        "on_site": "Monday 30 November 2026",
        "called_at": "09:00 on Wednesday 25 November 2026",
        "called_by": HOSTILE_NAME,
        "call_id": 1,
    }
    cards = {
        "audit_detail": render_card(
            "audit_detail",
            audit=audit,
            due_text="Wed 25 Nov 2026",
            can_change=True,
            version_stamp="v",
            case_url=None,
            back={},
            back_to_list={"action": "show_list", "intent": "my_audits", "offset": 0},
            notice=f"Started by {HOSTILE_NAME}.",
            outcome=[("Overall grade", "Good")],
            is_auditor=True,
        ),
        "call_preview": render_card(
            "call_preview",
            drill=False,
            type_name="ILACS",
            inspection_type="ilacs",
            on_site="2026-11-30",
            on_site_text="Monday 30 November 2026",
            total=2,
            reachable=1,
            installing=0,
            by_role=[(role, 1), ("No named role", 1)],
            fallback_how="SMS",
            not_in_teams=2,
            elsewhere=1,
            fallback_line="1 by SMS, each with a personal link to acknowledge.",
            unreachable=[HOSTILE_NAME],
            more_unreachable=0,
            unreachable_count=1,
            managers_told=0,
            send_title="Send the alert to 1 person in Teams and 1 by SMS",
            install_note=None,
            not_installed=None,
            outcome=None,
        ),
        "call_status": render_card(
            "call_status",
            **call,
            stood_down=f"Stood down at 11:00 by {HOSTILE_NAME}",
            recipients=2,
            acknowledged=1,
            sent=2,
            read=1,
            waiting_to_send=0,
            failed=0,
            unreachable=0,
            fallback=[{"title": "By SMS", "value": "1 sent, 0 failed"}],
            ack_times=None,
            ack_times_by_team=[],
            updates_sent=1,
            waiting=[f"{HOSTILE_NAME}, {role}: sent"],
            more_waiting=0,
            active=False,
            policy="People who have not acknowledged are reminded.",
            notice=None,
            version_stamp=1,
        ),
        "capabilities": render_card(
            "capabilities",
            heading=f"Hello {HOSTILE_NAME}, I'm Inspection Ready.",
            person=Person(HOSTILE_NAME),
            role_line=f"You are on the roster as a manager in {HOSTILE_NAME}; {role}.",
            available=[],
            coming=[],
            contacts=[Contact(HOSTILE_NAME, "jane_doe@example.gov.uk")],
            buttons=[("Help", {"action": "show_help"})],
        ),
    }

    for card in cards.values():
        assert_only_escaped(card, HOSTILE_NAME)
    assert_only_escaped(cards["audit_detail"], audit.ref, audit.case_ref)
    assert_only_escaped(cards["call_preview"], role)
    assert_only_escaped(cards["capabilities"], "jane_doe@example.gov.uk")


def facts(called_by: str = HOSTILE_NAME) -> CallFacts:
    return CallFacts(
        call_id=1,
        type_name="ILACS (full inspection)",
        on_site=date(2026, 11, 30),
        drill=False,
        called_by=called_by,
        called_at=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
        timezone=ZoneInfo("Europe/London"),
    )


def test_a_call_update_and_its_sender_reach_everyone_plain() -> None:
    message = materialise(call_messages.update(facts(), 2, HOSTILE, HOSTILE_NAME))

    assert_only_escaped(message["card"], HOSTILE, HOSTILE_NAME)
    assert_plain_message(message["text"], HOSTILE, HOSTILE_NAME)
    # Every line of the update stays a line of text, none a list item.
    assert [t for t in strings(message["card"]) if t.startswith(("- ", "1. "))] == []


def test_staff_names_and_roles_on_the_call_cards_are_plain() -> None:
    role = "Annex A lead [sign in](https://evil.example)"
    alert = materialise(call_messages.alert(facts(), 7, role, []))
    escalation = materialise(call_messages.escalation(facts(), 1, [HOSTILE_NAME]))
    stood_down = materialise(
        call_messages.stand_down(facts(), HOSTILE_NAME, datetime(2026, 11, 25, 11, tzinfo=UTC))
    )

    assert_only_escaped(alert["card"], HOSTILE_NAME, role)
    assert_only_escaped(escalation["card"], HOSTILE_NAME)
    assert_only_escaped(stood_down["card"], HOSTILE_NAME)
    assert_plain_message(stood_down["text"], HOSTILE_NAME)


def hostile_action() -> Action:
    owner = Staff(id=3, name=HOSTILE_NAME, email="jane@example.gov.uk", role=StaffRole.MANAGER)
    action = Action(
        id=11,
        ref="PA1.2 [x](https://evil.example)",
        priority_area="Care leavers (16+) **urgent**",
        description=HOSTILE,
        owner_id=owner.id,
        due_date=TODAY - timedelta(days=7),
        status=ActionStatus.IN_PROGRESS,
    )
    action.owner = owner
    return action


def test_an_action_description_and_owner_are_plain_in_reminders_and_lists() -> None:
    action = hostile_action()
    item = from_action(action, TODAY, CALENDAR)
    person = Recipient(3, HOSTILE_NAME, StaffRole.MANAGER, None, None)
    overdue = Planned("k1", 3, MessageKind.ESCALATION, item=item, working_days=5)
    digest = Planned("k2", 3, MessageKind.DIGEST, digest=(item,))

    for planned in (overdue, digest):
        message = materialise(render(planned, person))
        assert_only_escaped(message["card"], item.summary, HOSTILE_NAME)
        assert_plain_message(message["text"])
    listed = WorkViews(CALENDAR, None).list_card(
        "Your team's work", "Nothing.", [item], Command(Intent.MY_TEAM), 0, show_owner=True
    )
    assert listed.card is not None
    assert_only_escaped(listed.card, item.summary, HOSTILE_NAME)


def test_an_event_title_is_plain_in_its_reminder() -> None:
    event = EventInfo(
        1, f"Improvement Board {LINK}", date(2026, 12, 2), "improvement_board", "all"
    )
    planned = Planned("k3", 3, MessageKind.EVENT, event=event, working_days=5)

    message = materialise(render(planned, Recipient(3, "Jane", StaffRole.MANAGER, None, None)))

    assert_only_escaped(message["card"], event.title)
    assert_plain_message(message["text"], event.title)


async def open_action(session: AsyncSession) -> Action:
    found = await session.execute(
        select(Action.id).where(Action.status != ActionStatus.COMPLETE).order_by(Action.id)
    )
    action = await work.action_by_id(session, found.scalars().first() or 0)
    assert action is not None
    return action


async def test_an_evidence_note_shows_on_the_card_only_escaped(sqlite_database: Database) -> None:
    changes = WorkChanges(WorkViews(CALENDAR, None))
    async with sqlite_database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
        action = await open_action(session)
        owner = Person.from_staff(action.owner)
        data = {"id": action.id, "version": version_of(action), "evidence_note": HOSTILE}

        reply = await changes.complete_action(session, owner, data, TODAY)

    assert reply.card is not None
    assert_only_escaped(reply.card, HOSTILE)
    # The evidence fact carries it, escaped once; the notice does not repeat it.
    assert sum(plain_text(HOSTILE) in text for text in strings(reply.card)) == 1


async def test_an_extension_reason_and_decision_note_stay_plain(
    sqlite_database: Database,
) -> None:
    changes = WorkChanges(WorkViews(CALENDAR, None))
    async with sqlite_database.sessions() as session, session.begin():
        await load_demo(session, DEMO_ANCHOR)
        action = await open_action(session)
        owner = Person.from_staff(action.owner)
        asked = await changes.request_extension(
            session,
            owner,
            {
                "id": action.id,
                "version": version_of(action),
                "new_due_date": (max(action.due_date, TODAY) + timedelta(days=30)).isoformat(),
                "reason": HOSTILE,
            },
            TODAY,
        )
        assert asked.notices
        decider_staff = await session.get(Staff, asked.notices[0].staff_id)
        assert decider_staff is not None
        request_card = asked.notices[0].reply.card
        request_id = (await session.execute(select(ExtensionRequest.id))).scalar_one()
        decided = await changes.decide_extension(
            session,
            Person.from_staff(decider_staff),
            {"request": request_id, "decision": "decline", "decision_note": HOSTILE},
        )

    assert request_card is not None
    assert_only_escaped(request_card, HOSTILE)
    assert decided.card is not None
    assert_only_escaped(decided.card, HOSTILE)
    told = decided.notices[0].reply.text
    assert told is not None
    assert_plain_message(told, HOSTILE)


async def test_the_unreachable_list_shows_imported_names_plain(
    sqlite_database: Database,
) -> None:
    coordinator = Person("Coordinator", staff_id=1000, role=StaffRole.COORDINATOR)
    async with sqlite_database.sessions() as session, session.begin():
        session.add(
            Staff(name=HOSTILE_NAME, email="jane_doe@example.gov.uk", role=StaffRole.PRACTITIONER)
        )
        await session.flush()

        reply = await unreachable(session, coordinator)

    assert reply.text is not None
    assert_plain_message(reply.text, HOSTILE_NAME, "jane_doe@example.gov.uk")
    # The list itself is the product's own markdown, one item per person.
    assert f"\n- {plain_text(HOSTILE_NAME)} (" in reply.text
