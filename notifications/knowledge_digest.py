"""This module writes the coordinators' weekly digest of what the knowledge base missed.

Once a week, on its first working day, each coordinator is sent the questions the bot
could not answer in the last seven days (each with a box to answer it) and the answers
people marked not helpful. Nothing is sent in a week with nothing to report. It goes
through the outbox like every reminder, in working hours, once per week per person.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from knowledge.working_days import WorkingDays
from store.models import StaffRole
from store.repositories import knowledge as knowledge_repository
from store.repositories import outbox
from store.repositories import staff as staff_repository

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

KIND = "knowledge_digest"
TEMPLATE = "knowledge_digest"
WINDOW = timedelta(days=7)
# A card people read in a minute; the rest are listed by `inspection-ready unanswered`.
MAX_QUESTIONS = 10
MAX_VOTED = 10
# What a typed answer may run to: the knowledge files' limit is 130 words.
MAX_ANSWER_CHARS = 900

Titles = Callable[[str], str | None]


def is_digest_day(today: date, calendar: WorkingDays) -> bool:
    """The week's first working day: Monday, or the day after a bank holiday Monday."""
    monday = today - timedelta(days=today.weekday())
    earlier = (monday + timedelta(days=n) for n in range(today.weekday()))
    return calendar.is_working_day(today) and not any(calendar.is_working_day(d) for d in earlier)


async def queue_digest(
    session: AsyncSession, now: datetime, today: date, send_from: datetime, titles: Titles
) -> int:
    """Queues this week's digest for each coordinator; how many were new."""
    since = now - WINDOW
    questions = await knowledge_repository.open_unanswered(session, since, MAX_QUESTIONS)
    votes = (await knowledge_repository.not_helpful_since(session, since))[:MAX_VOTED]
    if not questions and not votes:
        return 0
    context = {
        "summary": _summary(len(questions), sum(count for _, count in votes)),
        "questions": [
            {"id": q.id, "text": q.question, "asked": f"Asked {q.asked_at:%A %d %B}"}
            for q in questions
        ],
        "votes": [{"title": titles(e) or e, "count": str(count)} for e, count in votes],
        "max_answer_chars": MAX_ANSWER_CHARS,
    }
    week = today.isocalendar()
    coordinators = [
        s for s in await staff_repository.list_all(session) if s.role is StaffRole.COORDINATOR
    ]
    rows: list[dict[str, Any]] = [
        outbox.new_row(
            f"{KIND}:{week.year}-W{week.week:02}:{person.id}",
            person.id,
            KIND,
            {"template": TEMPLATE, "context": context, "text": context["summary"]},
            send_from,
            urgent=False,
        )
        for person in coordinators
    ]
    return await outbox.queue(session, rows)


def _summary(questions: int, not_helpful: int) -> str:
    parts = []
    if questions:
        parts.append(f"{questions} question{'s' if questions != 1 else ''} I could not answer")
    if not_helpful:
        parts.append(f"{not_helpful} answer{'s' if not_helpful != 1 else ''} marked not helpful")
    return "In the last 7 days: " + " and ".join(parts) + "."
