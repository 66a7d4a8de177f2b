"""This module tells audit follow-up actions apart from the rest of the plan.

A follow-up action is created from an audit finding (linked in `audit_follow_up`) and its
description is what the auditor typed about a child's case. Its owner, their managers and
coordinators work it like any action; the board (the pack, the board update asks) and
viewers (board and elected members) never see it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import AuditFollowUp


def not_follow_up(action_id: Any) -> ColumnElement[bool]:
    """A condition true for the actions (by their id column) no audit finding created."""
    return ~exists().where(AuditFollowUp.action_id == action_id)


async def follow_up_ids(session: AsyncSession) -> set[int]:
    """The ids of every audit follow-up action."""
    return set((await session.execute(select(AuditFollowUp.action_id))).scalars())


async def is_follow_up(session: AsyncSession, action_id: int) -> bool:
    """Whether the action was created from an audit finding."""
    found = await session.execute(
        select(AuditFollowUp.action_id).where(AuditFollowUp.action_id == action_id).limit(1)
    )
    return found.first() is not None
