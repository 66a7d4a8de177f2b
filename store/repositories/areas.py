"""This module finds priority areas' leads and the actions in the areas a person leads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from store.models import Action, ActionStatus, PriorityArea
from store.repositories.follow_ups import not_follow_up


def area_key(name: str) -> str:
    """Actions name their area as text; areas and actions are matched without case."""
    return name.casefold()


async def areas_led_by(session: AsyncSession, staff_id: int) -> list[str]:
    """The names of the priority areas `staff_id` leads, in order."""
    result = await session.execute(
        select(PriorityArea.name)
        .where(PriorityArea.lead_id == staff_id)
        .order_by(PriorityArea.name)
    )
    return list(result.scalars())


async def areas_by_lead(session: AsyncSession) -> dict[int, frozenset[str]]:
    """Every lead's areas (as `area_key`s), by staff id."""
    led: dict[int, set[str]] = defaultdict(set)
    for name, lead_id in await session.execute(select(PriorityArea.name, PriorityArea.lead_id)):
        led[lead_id].add(area_key(name))
    return {lead_id: frozenset(names) for lead_id, names in led.items()}


async def leads_area_of(session: AsyncSession, staff_id: int, action: Action) -> bool:
    """Whether `staff_id` leads the priority area `action` is in."""
    return area_key(action.priority_area) in {
        area_key(name) for name in await areas_led_by(session, staff_id)
    }


async def open_actions_in(
    session: AsyncSession, areas: Collection[str] | None, *, follow_ups: bool = True
) -> list[Action]:
    """Actions not yet complete in the named areas (None: every area), owners loaded.

    Without `follow_ups`, actions created from audit findings are left out.
    """
    query = (
        select(Action)
        .options(joinedload(Action.owner, innerjoin=True))
        .where(Action.status != ActionStatus.COMPLETE)
    )
    if not follow_ups:
        query = query.where(not_follow_up(Action.id))
    if areas is not None:
        # lower() on both sides (SQLite folds only ASCII letters, which area names are in).
        query = query.where(func.lower(Action.priority_area).in_([a.lower() for a in areas]))
    return list((await session.execute(query)).scalars())
