"""This module queues the messages a turn sends to other people (an approval card, an outcome).

They go through the outbox like every other proactive message: queued in the turn's own
transaction (so they exist exactly when the change they announce does), sent at once as
urgent rows, retried, rate-limited, and recorded as unreachable when they cannot go.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from store.repositories import conversations, outbox

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

KIND = "notice"


@dataclass(frozen=True, slots=True)
class Notice:
    """A message for one person: its text, its card (or both)."""

    staff_id: int
    text: str | None
    card: dict[str, Any] | None


async def queue_notices(session: AsyncSession, notices: list[Notice], now: datetime) -> set[int]:
    """Queues each notice as an urgent outbox row; the staff ids that cannot be reached now.

    Those people have no active personal chat with the bot; their row is queued all the
    same and recorded as unreachable by the sender, and they see the item in the bot later.
    """
    if not notices:
        return set()
    rows = [
        outbox.new_row(
            f"{KIND}:{uuid.uuid4().hex}",
            notice.staff_id,
            KIND,
            {"text": notice.text, "card": notice.card},
            now,
            urgent=True,
        )
        for notice in notices
    ]
    await outbox.queue(session, rows)
    reachable = {
        staff_id
        for staff_id in {n.staff_id for n in notices}
        if await conversations.active_personal_for_staff(session, staff_id) is not None
    }
    return {n.staff_id for n in notices} - reachable
