"""This module keeps unanswered questions and answer votes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
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
