"""Recording an audit's findings in chat: the form, its checks, follow-ups, who hears, and
moderation, with each person's permissions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.working_days import WorkingDays
from notifications.quiet_hours import QuietHours, WorkingHours
from notifications.reminder_pass import ReminderPass
from notifications.rules import ReminderRules
from store.db import Database
from store.models import (
    Action,
    AuditAssignment,
    AuditFinding,
    AuditLogEntry,
    AuditModeration,
    AuditStatus,
    Case,
    CaseCategory,
    ModerationStatus,
    OutboxMessage,
    Staff,
    StaffRole,
)
from store.repositories import findings as findings_repository
from tests import fakes
from tests.cards import buttons, facts, text_blocks
from tests.chat import NOW, card, demo_client, press, say
from tests.fakes import FakeConnector

StartClient = Callable[..., Awaitable[TestClient]]
AUDIT = "AUD-2026-10-008"  # Adele's, in progress, of case CR-111640
GOOD_FORM = {
    "grade_assessment": "good",
    "grade_planning": "requires_improvement",
    "grade_direct_work": "good",
    "grade_management_oversight": "outstanding",
    "overall": "good",
    "strengths": "Clear analysis of risk",
    "development": "The plan needs timescales",
    "child_voice": "yes",
    "equality_diversity": "no",
}


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    started = await demo_client(database, connector, make_client)
    async with database.sessions() as session, session.begin():
        # The case is Isaiah's, so he and his manager (Megan) hear the outcome.
        isaiah = await staff(session, "isaiahl@example.com")
        query = select(Case).where(Case.case_ref == "CR-111640")
        case = (await session.execute(query)).scalar_one_or_none()
        if case is None:
            case = Case(case_ref="CR-111640", category=CaseCategory.CHILD_IN_NEED)
            session.add(case)
        case.team_id, case.worker_id = isaiah.team_id, isaiah.id
    return started


async def staff(session: AsyncSession, email: str) -> Staff:
    return (await session.execute(select(Staff).where(Staff.email == email))).scalar_one()


async def audit_row(database: Database, ref: str = AUDIT) -> AuditAssignment:
    async with database.sessions() as session:
        query = select(AuditAssignment).where(AuditAssignment.ref == ref)
        return (await session.execute(query)).scalar_one()


async def count(database: Database, model: Any) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def open_form(client: TestClient, connector: FakeConnector) -> dict[str, Any]:
    audits = card(await say(client, connector, "adelev", "my audits"))
    opened = card(await press(client, connector, "adelev", buttons(audits)["Open"]))
    await press(client, connector, "adelev", buttons(opened)["Record findings"])
    return card(connector.updated[-1])


def save(form: dict[str, Any], **values: Any) -> dict[str, Any]:
    return {**buttons(form)["Save findings and complete"], **values}


async def test_completing_an_audit_opens_the_form_with_every_domain_and_ofsteds_grades(
    client: TestClient, connector: FakeConnector
) -> None:
    form = await open_form(client, connector)

    labels = [e.get("label") for e in form["body"] if e.get("type") == "Input.ChoiceSet"]
    assert labels == [
        "Assessment of the child's needs and risks",
        "Planning, review and progress of the plan",
        "Direct work and the child's lived experience",
        "Management oversight and supervision",
        "Overall grade",
    ]
    overall = next(e for e in form["body"] if e.get("id") == "overall")
    assert [c["title"] for c in overall["choices"]] == [
        "Outstanding",
        "Good",
        "Requires improvement to be good",
        "Inadequate",
    ]


async def test_a_form_with_problems_lists_them_all_and_saves_nothing(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    form = await open_form(client, connector)
    actions_before = await count(database, Action)
    outbox_before = await count(database, OutboxMessage)
    bad = {**GOOD_FORM, "grade_planning": "", "overall": "brilliant"}
    bad |= {"follow_up_1": "Update the plan", "follow_up_1_owner": "not-an-email"}
    bad |= {"follow_up_2": "Supervision", "follow_up_2_owner": "nobody@example.com"}
    bad |= {"follow_up_3": "Chronology", "follow_up_3_owner": "adelev@example.com"}
    bad |= {"follow_up_3_due": "31/12/2026"}

    await press(client, connector, "adelev", save(form, **bad))

    refilled = card(connector.updated[-1])
    texts = text_blocks(refilled)
    assert "Nothing was saved. Please put right:" in texts
    assert texts[texts.index("Nothing was saved. Please put right:") + 1 :][:5] == [
        "- choose a grade for Planning, review and progress of the plan",
        "- the overall grade is not one of the grades",
        "- follow-up 1: 'not-an-email' is not an email address",
        "- follow-up 3: '31/12/2026' is not a date (YYYY-MM-DD)",
        "- follow-up 2: nobody on the roster has the email nobody@example.com",
    ]
    # What was typed is kept, so nothing is lost.
    strengths = next(e for e in refilled["body"] if e.get("id") == "strengths")
    assert strengths["value"] == "Clear analysis of risk"
    assert (await audit_row(database)).status is AuditStatus.IN_PROGRESS
    assert await count(database, AuditFinding) == 0
    assert await count(database, Action) == actions_before
    assert await count(database, OutboxMessage) == outbox_before


async def test_saving_completes_the_audit_creates_follow_ups_and_tells_worker_and_manager(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    form = await open_form(client, connector)
    values = {
        **GOOD_FORM,
        "follow_up_1": "Add timescales to the plan",
        "follow_up_1_owner": "IsaiahL@example.com",
        "follow_up_2": "Discuss in supervision",
        "follow_up_2_owner": "meganb@example.com",
        "follow_up_2_due": "2026-11-26",
    }

    await press(client, connector, "adelev", save(form, **values))

    detail = card(connector.updated[-1])
    assert facts(detail)["Status"] == "complete"
    assert facts(detail)["Overall grade"] == "Good"
    notice = next(t for t in text_blocks(detail) if t.startswith("Findings saved"))
    assert notice.startswith(
        f"Findings saved: overall Good. 2 follow-up action(s): {AUDIT}-F1, {AUDIT}-F2."
    )
    assert "Record findings" not in buttons(detail)
    audit = await audit_row(database)
    assert audit.status is AuditStatus.COMPLETE
    async with database.sessions() as session:
        finding = (await session.execute(select(AuditFinding))).scalar_one()
        follow_ups = list(
            (
                await session.execute(
                    select(Action).where(Action.ref.startswith(AUDIT)).order_by(Action.ref)
                )
            ).scalars()
        )
        isaiah = await staff(session, "isaiahl@example.com")
        megan = await staff(session, "meganb@example.com")
        rows = list((await session.execute(select(OutboxMessage))).scalars())
        logged = set(
            (
                await session.execute(
                    select(AuditLogEntry.field).where(AuditLogEntry.entity_key == AUDIT)
                )
            ).scalars()
        )
    assert finding.grades == {
        "assessment": "good",
        "planning": "requires_improvement",
        "direct_work": "good",
        "management_oversight": "outstanding",
    }
    assert (finding.overall, finding.child_voice, finding.equality_diversity) == (
        "good",
        True,
        False,
    )
    assert [(a.priority_area, a.owner_id, a.due_date) for a in follow_ups] == [
        # The default is 20 working days after today (Wednesday 25 November 2026).
        ("Audit follow-up", isaiah.id, WorkingDays().add(date(2026, 11, 25), 20)),
        ("Audit follow-up", megan.id, date(2026, 11, 26)),
    ]
    texts = {r.recipient_id: r.payload.get("text") or "" for r in rows if r.kind == "notice"}
    outcome = [t for t in texts.values() if t.startswith("The monthly audit of case CR-111640")]
    # The worker (Isaiah) and his manager (Megan) hear the outcome, each once.
    outcomes = [r for r in rows if (r.payload.get("text") or "").startswith("The monthly")]
    assert sorted(r.recipient_id for r in outcomes) == sorted([isaiah.id, megan.id])
    assert "Overall: Good." in outcome[0]
    assert "Areas for development: The plan needs timescales" in outcome[0]
    assert {"status", "findings", "moderator"} <= logged


async def test_only_the_auditor_records_findings_and_others_change_nothing(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    form = await open_form(client, connector)
    submit = save(form, **GOOD_FORM)

    for who in ("meganb", "alexw"):
        reply = await press(client, connector, who, submit)
        assert reply["text"] == (
            f"Sorry, that did not work: only the auditor can record the findings of audit "
            f"{AUDIT}. Please ask again."
        )
    guest = fakes.activity(
        "message", connector.url, value=submit, user_id="29:guest", aad_object_id="aad-guest"
    )
    await client.post("/api/messages", json=guest)
    assert "not on this council's inspection-readiness roster" in connector.sent[-1]["text"]
    assert await count(database, AuditFinding) == 0
    assert (await audit_row(database)).status is AuditStatus.IN_PROGRESS


async def moderation_card(
    client: TestClient, connector: FakeConnector, database: Database
) -> tuple[AuditModeration, dict[str, Any]]:
    form = await open_form(client, connector)
    await press(client, connector, "adelev", save(form, **GOOD_FORM))
    async with database.sessions() as session:
        moderation = (await session.execute(select(AuditModeration))).scalar_one()
        row = (
            await session.execute(
                select(OutboxMessage).where(
                    OutboxMessage.recipient_id == moderation.moderator_id,
                    OutboxMessage.kind == "notice",
                )
            )
        ).scalar_one()
    return moderation, row.payload["card"]


async def test_the_first_audit_of_the_month_goes_to_a_coordinator_who_is_not_the_auditor(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    moderation, moderation_card_json = await moderation_card(client, connector, database)

    async with database.sessions() as session:
        moderator = await session.get(Staff, moderation.moderator_id)
        finding = (await session.execute(select(AuditFinding))).scalar_one()
    assert moderator is not None
    assert moderator.email == "alexw@example.com"
    assert (finding.month, finding.month_sequence, finding.moderation_reason) == (
        "2026-11",
        1,
        "sample",
    )
    assert text_blocks(moderation_card_json)[0] == f"Moderate audit {AUDIT}"
    assert set(buttons(moderation_card_json)) == {"Agree", "Change grades"}


async def test_a_moderator_changes_a_grade_with_a_reason_and_the_auditor_is_told(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    moderation, moderation_card_json = await moderation_card(client, connector, database)
    change = buttons(moderation_card_json)["Change grades"]
    changed = {**GOOD_FORM, "grade_planning": "inadequate"}

    # Others may not moderate it, the auditor included.
    for who in ("adelev", "meganb"):
        reply = await press(client, connector, who, {**change, **changed, "reason": "x"})
        assert "only the moderator audit AUD-2026-10-008 was sent to" in reply["text"]
    # A change needs a reason; nothing is saved without one.
    await press(client, connector, "alexw", {**change, **changed})
    assert "Nothing was saved: say why you changed the grade" in text_blocks(
        card(connector.updated[-1])
    )
    async with database.sessions() as session:
        pending = await session.get(AuditModeration, moderation.id)
    assert pending is not None
    assert pending.status is ModerationStatus.PENDING

    await press(
        client, connector, "alexw", {**change, **changed, "reason": "No plan timescales at all"}
    )

    decided = card(connector.updated[-1])
    assert text_blocks(decided)[-1] == (
        "Alex Wilber changed Planning, review and progress of the plan: Requires improvement "
        "to be good to Inadequate. Reason: No plan timescales at all"
    )
    async with database.sessions() as session:
        stored = await session.get(AuditModeration, moderation.id)
        adele = await staff(session, "adelev@example.com")
        told = (
            await session.execute(
                select(OutboxMessage).where(
                    OutboxMessage.recipient_id == adele.id, OutboxMessage.kind == "notice"
                )
            )
        ).scalar_one()
    assert stored is not None
    assert stored.status is ModerationStatus.CHANGED
    assert (stored.grades or {}).get("planning") == "inadequate"
    assert told.payload["text"].startswith(
        f"Moderation of your audit {AUDIT}: Alex Wilber changed"
    )
    again = await press(client, connector, "alexw", buttons(moderation_card_json)["Agree"])
    assert "this audit was moderated already (changed)" in again["text"]


async def test_follow_up_actions_are_the_owners_actions_and_are_reminded(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    form = await open_form(client, connector)
    values = {
        **GOOD_FORM,
        "follow_up_1": "Add timescales to the plan",
        "follow_up_1_owner": "isaiahl@example.com",
        "follow_up_1_due": "2026-11-26",
    }
    await press(client, connector, "adelev", save(form, **values))

    mine = card(await say(client, connector, "isaiahl", "my actions"))
    assert f"{AUDIT}-F1: Add timescales to the plan" in text_blocks(mine)
    quiet = QuietHours(ZoneInfo("Europe/London"), WorkingHours(time(8), time(18)), WorkingDays())
    report = await ReminderPass(database, ReminderRules(), WorkingDays(), quiet).run(
        NOW, date(2026, 11, 25), dry_run=True
    )
    assert any(p.item is not None and p.item.ref == f"{AUDIT}-F1" for p in report.planned)


async def test_the_moderator_is_never_the_line_manager_of_the_cases_worker(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    # Alex, the coordinator first in line, now manages Isaiah, who works the case.
    async with database.sessions() as session, session.begin():
        isaiah = await staff(session, "isaiahl@example.com")
        isaiah.manager_id = (await staff(session, "alexw@example.com")).id

    moderation, _ = await moderation_card(client, connector, database)

    async with database.sessions() as session:
        moderator = await session.get(Staff, moderation.moderator_id)
    assert moderator is not None
    assert moderator.email == "nadiak@example.com"


async def test_with_nobody_independent_the_audit_awaits_a_moderator_and_coordinators_hear(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    # The case is Nadia's, a coordinator, and she reports to Alex, the other one; Dev's
    # moderator role is a viewer's, so it does not count.
    async with database.sessions() as session, session.begin():
        nadia = await staff(session, "nadiak@example.com")
        alex = await staff(session, "alexw@example.com")
        dev = await staff(session, "devm@example.com")
        dev.inspection_role, dev.role = "Audit moderator", StaffRole.VIEWER
        nadia.manager_id = alex.id
        case = (
            await session.execute(select(Case).where(Case.case_ref == "CR-111640"))
        ).scalar_one()
        case.worker_id, case.team_id = nadia.id, nadia.team_id
        ids = {nadia.id: "nadiak", alex.id: "alexw"}
    form = await open_form(client, connector)

    await press(client, connector, "adelev", save(form, **GOOD_FORM))

    detail = card(connector.updated[-1])
    assert any(
        "nobody who may moderate is independent of the case" in text
        and "recorded as awaiting a moderator and the coordinators are told" in text
        for text in text_blocks(detail)
    )
    assert await count(database, AuditModeration) == 0
    assert (await audit_row(database)).status is AuditStatus.COMPLETE
    async with database.sessions() as session:
        told = (
            await session.execute(
                select(OutboxMessage).where(
                    OutboxMessage.kind == "notice", OutboxMessage.recipient_id.in_(ids)
                )
            )
        ).scalars()
        logged = (
            await session.execute(
                select(AuditLogEntry.new_value).where(
                    AuditLogEntry.entity_key == AUDIT, AuditLogEntry.field == "moderator"
                )
            )
        ).scalars()
        # As the case's worker and her manager, they also hear the outcome.
        told_about_moderation = {
            ids[row.recipient_id]
            for row in told
            if str(row.payload.get("text")).startswith(f"Audit {AUDIT} is due for moderation")
        }
        logged_values = list(logged)
    assert told_about_moderation == {"nadiak", "alexw"}
    assert logged_values == ["awaiting a moderator (sample)"]


async def test_moderators_are_coordinators_and_anyone_whose_role_says_moderator(
    client: TestClient, database: Database
) -> None:
    async with database.sessions() as session, session.begin():
        dev = await staff(session, "devm@example.com")
        dev.inspection_role = "Performance data lead and audit MODERATOR"
    async with database.sessions() as session:
        emails = [s.email for s in await findings_repository.moderators(session)]

    assert sorted(emails) == ["alexw@example.com", "devm@example.com", "nadiak@example.com"]


async def test_a_viewer_never_moderates_whatever_their_inspection_role_says(
    client: TestClient, database: Database
) -> None:
    async with database.sessions() as session, session.begin():
        dev = await staff(session, "devm@example.com")
        dev.inspection_role, dev.role = "Board member and audit moderator", StaffRole.VIEWER
    async with database.sessions() as session:
        emails = [s.email for s in await findings_repository.moderators(session)]

    assert sorted(emails) == ["alexw@example.com", "nadiak@example.com"]


async def test_a_moderator_finds_what_is_waiting_in_my_moderations(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    moderation, _ = await moderation_card(client, connector, database)

    listing = card(await say(client, connector, "alexw", "my moderations"))
    nothing = await say(client, connector, "adelev", "my moderations")
    forged = await press(
        client, connector, "adelev", {"action": "open_moderation", "moderation": moderation.id}
    )

    assert text_blocks(listing)[:3] == [
        "Audits waiting for your moderation",
        "1 waiting, oldest first.",
        f"{AUDIT}: case CR-111640, overall Good",
    ]
    assert nothing["text"] == "No audits are waiting for your moderation."
    assert "only the moderator audit AUD-2026-10-008 was sent to" in forged["text"]
    opened = card(await press(client, connector, "alexw", buttons(listing)["Open"]))
    assert text_blocks(opened)[0] == f"Moderate audit {AUDIT}"
    assert set(buttons(opened)) == {"Agree", "Change grades"}
