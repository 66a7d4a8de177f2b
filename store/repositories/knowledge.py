"""This module keeps unanswered questions and answer votes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import AnswerFeedback, Staff, UnansweredQuestion

# Questions are kept for review, not as an archive of everything typed.
MAX_QUESTION_LENGTH = 500


def record_unanswered(
    session: AsyncSession, question: str, staff_id: int | None, suggested: list[str]
) -> None:
    """Keeps a question the bot could not answer with confidence."""
    session.add(
        UnansweredQuestion(
            question=question.strip()[:MAX_QUESTION_LENGTH],
            staff_id=staff_id,
            suggested=",".join(suggested)[:400],
        )
    )


async def list_unanswered(
    session: AsyncSession, since: datetime
) -> list[tuple[UnansweredQuestion, str | None]]:
    """Questions since `since`, newest first, with the asker's email where known."""
    result = await session.execute(
        select(UnansweredQuestion, Staff.email)
        .outerjoin(Staff, Staff.id == UnansweredQuestion.staff_id)
        .where(UnansweredQuestion.asked_at >= since)
        .order_by(UnansweredQuestion.asked_at.desc(), UnansweredQuestion.id.desc())
    )
    return [(question, email) for question, email in result]


async def record_vote(
    session: AsyncSession, *, answer_ref: str, entry_id: str, voter: str, helpful: bool
) -> None:
    """Stores a vote; voting again on the same answer changes the vote, not the count."""
    existing = (
        await session.execute(
            select(AnswerFeedback).where(
                AnswerFeedback.answer_ref == answer_ref, AnswerFeedback.voter == voter
            )
        )
    ).scalar_one_or_none()
    if existing is None:
        session.add(
            AnswerFeedback(answer_ref=answer_ref, entry_id=entry_id, voter=voter, helpful=helpful)
        )
    else:
        existing.helpful = helpful


async def votes_for(session: AsyncSession, entry_id: str) -> tuple[int, int]:
    """(helpful, not helpful) vote counts for one entry."""
    result = await session.execute(
        select(AnswerFeedback.helpful).where(AnswerFeedback.entry_id == entry_id)
    )
    votes = list(result.scalars())
    return votes.count(True), votes.count(False)


async def not_helpful_since(session: AsyncSession, since: datetime) -> list[tuple[str, int]]:
    """Entries voted not helpful since `since`, with how many such votes, most first."""
    count = func.count(AnswerFeedback.id)
    result = await session.execute(
        select(AnswerFeedback.entry_id, count)
        .where(AnswerFeedback.helpful.is_(False), AnswerFeedback.updated_at >= since)
        .group_by(AnswerFeedback.entry_id)
        .order_by(count.desc(), AnswerFeedback.entry_id)
    )
    return [(entry_id, int(votes)) for entry_id, votes in result]


async def open_unanswered(
    session: AsyncSession, since: datetime, limit: int
) -> list[UnansweredQuestion]:
    """Questions since `since` that nobody has answered yet, newest first."""
    result = await session.execute(
        select(UnansweredQuestion)
        .where(UnansweredQuestion.asked_at >= since, UnansweredQuestion.answered_at.is_(None))
        .order_by(UnansweredQuestion.asked_at.desc(), UnansweredQuestion.id.desc())
        .limit(limit)
    )
    return list(result.scalars())


async def unanswered_by_id(session: AsyncSession, question_id: int) -> UnansweredQuestion | None:
    """One kept question, locked for the answer being recorded where the database can."""
    result = await session.execute(
        select(UnansweredQuestion).where(UnansweredQuestion.id == question_id).with_for_update()
    )
    return result.scalar_one_or_none()


def mark_answered(
    question: UnansweredQuestion, staff_id: int | None, entry_id: str, now: datetime
) -> None:
    """Records that `question` was answered, by whom, as which local entry."""
    question.answered_at = now
    question.answered_by_id = staff_id
    question.answer_entry = entry_id
