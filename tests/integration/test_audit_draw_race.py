"""Two coordinators confirming the same month at once: one draw is stored, the other is
told the month is already drawn, and nothing is doubled; on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from knowledge.working_days import WorkingDays
from notifications.audit_draw import (
    AlreadyDrawnError,
    DrawRequest,
    DrawRules,
    commit_draw,
    plan_draw,
)
from store.db import Database
from store.models import AuditAssignment, AuditDraw, OutboxMessage, utc_now
from tests.audit_programme import write_council
from tests.importing import run


async def test_the_second_of_two_confirms_planned_together_is_refused(
    database: Database, tmp_path: Path
) -> None:
    staff, cases = write_council(tmp_path)
    await run(database, "staff", staff)
    await run(database, "cases", cases)
    request = DrawRequest("2026-12", 10, 10, 5)
    calendar = WorkingDays()
    # Both plans are made before either is stored, as two previews would be.
    async with database.sessions() as session:
        first_plan = await plan_draw(session, request, DrawRules(), calendar)
    async with database.sessions() as session:
        second_plan = await plan_draw(session, request, DrawRules(), calendar)
    now = utc_now()

    async with database.sessions() as session, session.begin():
        await commit_draw(
            session, first_plan, drawn_by="a@example.com", drawn_by_id=None, now=now, send_from=now
        )
    async with database.sessions() as session, session.begin():
        with pytest.raises(AlreadyDrawnError, match="December 2026 is already drawn"):
            await commit_draw(
                session,
                second_plan,
                drawn_by="b@example.com",
                drawn_by_id=None,
                now=now,
                send_from=now,
            )

    async with database.sessions() as session:
        draws = await session.scalar(select(func.count()).select_from(AuditDraw))
        audits = await session.scalar(select(func.count()).select_from(AuditAssignment))
        messages = await session.scalar(select(func.count()).select_from(OutboxMessage))
    assert (draws, audits) == (1, 10)
    assert messages == 10 + 2  # an assignment each; the enhanced case's worker and manager
