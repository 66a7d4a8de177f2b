"""The audit report in chat, its single-use download, and the audits the inspectors ask for
during an inspection call, with each person's permissions."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from bot.keys import NOTIFICATIONS
from store.db import Database
from store.models import (
    AuditAssignment,
    AuditStatus,
    AuditType,
    CallAudit,
    CallStatus,
    InspectionCall,
    OutboxMessage,
    Staff,
    StaffRole,
)
from tests.cards import buttons, facts, text_blocks
from tests.chat import NOW, card, demo_client, press, say
from tests.fakes import FakeConnector

StartClient = Callable[..., Awaitable[TestClient]]
PUBLIC = "https://ir.example.gov.uk"


@pytest.fixture
async def client(
    database: Database, connector: FakeConnector, make_client: StartClient
) -> TestClient:
    return await demo_client(database, connector, make_client, public_url=PUBLIC)


async def start_call(database: Database) -> int:
    async with database.sessions() as session, session.begin():
        call = InspectionCall(
            inspection_type="ilacs_short",
            on_site=NOW.date(),
            drill=False,
            status=CallStatus.ACTIVE,
            active_slot=1,
            called_at=NOW,
        )
        session.add(call)
        await session.flush()
        return call.id


async def requested(database: Database) -> list[AuditAssignment]:
    async with database.sessions() as session:
        query = (
            select(AuditAssignment)
            .join(CallAudit, CallAudit.audit_id == AuditAssignment.id)
            .order_by(AuditAssignment.ref)
        )
        return list((await session.execute(query)).scalars())


async def test_a_coordinator_gets_the_months_summary_and_a_link_that_works_once(
    client: TestClient, connector: FakeConnector
) -> None:
    summary = card(await say(client, connector, "alexw", "audit report 2026-11"))

    assert text_blocks(summary)[0] == "Case audits due in November 2026"
    shown = facts(summary)
    assert shown["Audits"].isdigit()
    assert "The months before:" in text_blocks(summary)
    await press(client, connector, "alexw", buttons(summary)["Download Excel"])
    said, link_card = connector.sent[-2:]
    assert said["text"] == "I have sent you a download link for the report (Excel)."
    url = card(link_card)["actions"][0]["url"]
    assert url.startswith(f"{PUBLIC}/exports/")

    response = await client.get(url.removeprefix(PUBLIC))
    book = load_workbook(io.BytesIO(await response.read()))
    numbers = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}

    assert response.status == 200
    assert "attachment;" in response.headers["Content-Disposition"]
    assert str(numbers["Audits"]) == shown["Audits"]
    assert (await client.get(url.removeprefix(PUBLIC))).status == 404


async def test_a_manager_may_see_it_and_a_practitioner_may_not(
    client: TestClient, connector: FakeConnector
) -> None:
    manager = card(await say(client, connector, "meganb", "audit report"))
    refused = await say(client, connector, "adelev", "audit report")
    pressed = await press(
        client,
        connector,
        "adelev",
        {"action": "report_download", "month": "2026-11", "file_format": "docx"},
    )

    assert text_blocks(manager)[0] == "Case audits due in November 2026"
    assert refused["text"] == "Only managers and coordinators can see the audit report."
    assert "only managers and coordinators can download the audit report" in pressed["text"]


async def downloaded(client: TestClient, connector: FakeConnector, who: str, label: str) -> bytes:
    summary = card(await say(client, connector, who, "audit report 2026-11"))
    await press(client, connector, who, buttons(summary)[f"Download {label}"])
    url = card(connector.sent[-1])["actions"][0]["url"]
    response = await client.get(url.removeprefix(PUBLIC))
    assert response.status == 200
    return await response.read()


async def demo_case_refs(database: Database) -> set[str]:
    async with database.sessions() as session:
        return set((await session.execute(select(AuditAssignment.case_ref))).scalars())


async def test_only_a_coordinators_download_lists_the_audits_by_case(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    refs = await demo_case_refs(database)

    files = {
        (who, label): await downloaded(client, connector, who, label)
        for who in ("alexw", "meganb")
        for label in ("Excel", "Word")
    }

    def sheet_cells(content: bytes) -> tuple[set[str], set[str], object]:
        book = load_workbook(io.BytesIO(content))
        audits = {str(c) for row in book["Audits"].iter_rows(values_only=True) for c in row}
        summary = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
        everything = {
            str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
        }
        return audits, everything, summary["Audits"]

    def document_text(content: bytes) -> str:
        document = Document(io.BytesIO(content))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([*(p.text for p in document.paragraphs), *cells])

    coordinator_sheet, _, coordinator_total = sheet_cells(files["alexw", "Excel"])
    manager_sheet, manager_everything, manager_total = sheet_cells(files["meganb", "Excel"])
    coordinator_doc = document_text(files["alexw", "Word"])
    manager_doc = document_text(files["meganb", "Word"])

    listed = coordinator_sheet & refs
    assert listed
    assert int(str(coordinator_total)) > 0
    assert all(ref in coordinator_doc for ref in listed)
    assert manager_total == coordinator_total
    assert not manager_everything & refs
    assert not any(ref in manager_doc for ref in refs)
    note = "The list of audits, with their case references, is in the coordinators' copy"
    assert any(note in cell for cell in manager_sheet)
    assert note in manager_doc
    assert "Audits" in manager_doc


async def test_a_bad_month_is_answered_clearly(
    client: TestClient, connector: FakeConnector
) -> None:
    reply = await press(
        client,
        connector,
        "alexw",
        {"action": "report_download", "month": "2026-13", "file_format": "docx"},
    )

    assert "the month must be written YYYY-MM" in reply["text"]


async def test_inspectors_cases_are_allocated_only_while_a_call_is_active(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    before = await say(client, connector, "alexw", "inspectors' cases: CR-111640")

    assert before["text"].startswith("There is no inspection call in progress.")
    assert await requested(database) == []


async def test_the_inspectors_cases_are_allocated_due_today_and_tracked(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    call_id = await start_call(database)

    await say(client, connector, "alexw", "Inspectors' cases: CR-111640, CR-104476, CR-999999")
    said, status_message = connector.sent[-2:]

    audits = await requested(database)
    assert [(a.case_ref, a.audit_type, a.due_date) for a in audits] == [
        ("CR-111640", AuditType.INSPECTION, NOW.date()),
        ("CR-104476", AuditType.INSPECTION, NOW.date()),
    ]
    assert [a.ref for a in audits] == [f"INSP-{call_id}-001", f"INSP-{call_id}-002"]
    status = card(status_message)
    assert text_blocks(status)[1] == "Due today. 2 assigned · 0 started · 0 complete"
    # What was done is said on the card (and as its summary).
    notice = text_blocks(status)[2]
    assert notice.startswith("Allocated 2 of the inspectors' cases, each due today.")
    assert "Not on the cases list, so not allocated: CR-999999." in notice
    assert said["text"] == notice
    async with database.sessions() as session:
        staff = {s.id: s for s in (await session.execute(select(Staff))).scalars()}
        rows = list(
            (
                await session.execute(select(OutboxMessage).where(OutboxMessage.kind == "notice"))
            ).scalars()
        )
    # Never the case's worker (Kwame, Lucy) or their manager (Sunita).
    assert not {staff[a.auditor_id].email for a in audits} & {
        "kwamem@example.com",
        "lucyc@example.com",
        "sunitap@example.com",
    }
    assert sorted(r.recipient_id for r in rows) == sorted(a.auditor_id for a in audits)
    assert all(r.urgent for r in rows)
    assert all(r.payload["text"].startswith("Urgent: the inspectors have asked") for r in rows)

    # An audit started is shown on the card, refreshed in place by the call watch, once.
    async with database.sessions() as session, session.begin():
        first = await session.get(AuditAssignment, audits[0].id)
        assert first is not None
        first.status = AuditStatus.IN_PROGRESS
    watch = client.app[NOTIFICATIONS].call_watch
    assert watch is not None
    assert await watch.refresh_status_cards() == 1
    assert await watch.refresh_status_cards() == 0
    refreshed = card(connector.updated[-1])
    assert text_blocks(refreshed)[1] == "Due today. 1 assigned · 1 started · 0 complete"
    async with database.sessions() as session, session.begin():
        first = await session.get(AuditAssignment, audits[0].id)
        assert first is not None
        first.status = AuditStatus.COMPLETE
    # Refresh on the card shows the same, at once.
    await press(client, connector, "alexw", buttons(status)["Refresh"])
    refreshed = card(connector.updated[-1])
    assert text_blocks(refreshed)[1] == "Due today. 1 assigned · 0 started · 1 complete"

    again = card(await say(client, connector, "alexw", "inspectors' cases: CR-111640"))
    assert "Already asked for in this call: CR-111640." in text_blocks(again)[2]
    assert text_blocks(again)[1] == "Due today. 1 assigned · 0 started · 1 complete"
    assert len(await requested(database)) == 2

    report = card(await say(client, connector, "alexw", "inspection audits report"))
    assert facts(report)["Audits"] == "2"
    await press(client, connector, "alexw", buttons(report)["Download Word"])
    url = card(connector.sent[-1])["actions"][0]["url"]
    document = Document(io.BytesIO(await (await client.get(url.removeprefix(PUBLIC))).read()))
    assert document.tables[0].rows[0].cells[1].text == "2"


async def test_the_inspectors_cases_never_go_to_a_viewer(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    # Every manager becomes a (read-only) viewer: the top of the tree included, which the
    # allocation would otherwise give a case, since every tier takes one.
    async with database.sessions() as session, session.begin():
        await session.execute(
            update(Staff).where(Staff.role == StaffRole.MANAGER).values(role=StaffRole.VIEWER)
        )
    await start_call(database)

    await say(client, connector, "alexw", "Inspectors' cases: CR-111640, CR-104476")

    audits = await requested(database)
    async with database.sessions() as session:
        roles = [(await session.get(Staff, a.auditor_id)) for a in audits]
    assert len(audits) == 2
    assert all(s is not None and s.role is not StaffRole.VIEWER for s in roles)


async def test_only_coordinators_allocate_the_inspectors_cases_and_bad_lists_change_nothing(
    client: TestClient, connector: FakeConnector, database: Database
) -> None:
    await start_call(database)
    async with database.sessions() as session:
        audits_before = await session.scalar(select(func.count()).select_from(AuditAssignment))

    manager = await say(client, connector, "meganb", "inspectors' cases: CR-111640")
    bad = await say(client, connector, "alexw", "inspectors' cases: CR-1 <b>x</b>")
    empty = await say(client, connector, "alexw", "inspectors' cases:")

    assert manager["text"] == "Only coordinators can allocate the inspectors' cases."
    # What was typed is echoed as plain text, never as markup.
    assert bad["text"].startswith("These are not case references: '\\<b>x\\</b>'")
    assert empty["text"].startswith("I did not find any case references.")
    async with database.sessions() as session:
        audits_after = await session.scalar(select(func.count()).select_from(AuditAssignment))
    assert audits_after == audits_before
