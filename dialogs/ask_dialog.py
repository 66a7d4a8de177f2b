"""This module answers framework questions from the knowledge base, with the source."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from cards.rendering import render_card
from dialogs.people import Person
from dialogs.replies import Reply
from knowledge.entries import Confidence, KnowledgeEntry
from knowledge.library import Answer, KnowledgeBase
from store.repositories import knowledge as knowledge_repository

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

LOCAL_DIFFERS = "Local procedures may differ: check your council's."
SECONDARY = "This comes from a secondary source, not the official text itself."
UNCERTAIN = "This is uncertain: sources disagree or the official text was not seen."


class CardActionError(ValueError):
    """A card submission that does not make sense (unknown entry, missing fields)."""


@dataclass(frozen=True, slots=True)
class Vote:
    """A helpful / not helpful press on an answer card."""

    entry_id: str
    answer_ref: str
    helpful: bool

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Vote:
        entry_id, answer_ref, helpful = (
            data.get("entry"),
            data.get("answer_ref"),
            data.get("helpful"),
        )
        if not isinstance(entry_id, str) or not isinstance(answer_ref, str):
            raise CardActionError("the vote does not say which answer it is about")
        if not isinstance(helpful, bool) or len(answer_ref) > 64:
            raise CardActionError("the vote is malformed")
        return cls(entry_id, answer_ref, helpful)


def answer_text(answer: Answer) -> str:
    """The answer as plain text, for the command line."""
    entry = answer.best
    if entry is None or not answer.sure:
        lines = ["I'm not sure I have the right answer to that."]
        if answer.matches:
            lines.append("Nearest topics: " + "; ".join(m.entry.title for m in answer.matches))
        return "\n".join(lines)
    lines = [entry.title, "", entry.answer]
    if answer.deadline is not None:
        lines += ["", answer.deadline.describe()]
    lines += ["", *warnings_for(entry), source_line(entry, markdown=False)]
    return "\n".join([*lines, f"Applies to: {entry.framework}."])


def answer_card(
    entry: KnowledgeEntry,
    *,
    answer_ref: str,
    deadline: str | None = None,
    thanks: str | None = None,
) -> dict[str, Any]:
    """The card for one entry; with `thanks`, the voted version that replaces it."""
    return render_card(
        "answer",
        entry=entry,
        answer_ref=answer_ref,
        deadline=deadline,
        warnings=warnings_for(entry),
        source_line=source_line(entry),
        reviewed=f"{entry.reviewed:%d %B %Y}".lstrip("0"),
        thanks=thanks,
    )


async def ask(
    session: AsyncSession, knowledge: KnowledgeBase, question: str, person: Person, today: date
) -> Reply:
    """Answers a question, or offers the nearest topics and records the gap."""
    answer = knowledge.ask(question, today)
    if answer.best is not None and answer.sure:
        deadline = answer.deadline.describe() if answer.deadline else None
        return Reply(card=answer_card(answer.best, answer_ref=new_ref(), deadline=deadline))
    knowledge_repository.record_unanswered(
        session, question, person.staff_id, [m.entry.id for m in answer.matches]
    )
    suggestions = [m.entry for m in answer.matches]
    return Reply(card=render_card("not_sure", suggestions=suggestions))


def show_entry(knowledge: KnowledgeBase, data: dict[str, Any]) -> Reply:
    """The answer card for a topic picked from the suggestions."""
    entry = knowledge.entry(str(data.get("entry", "")))
    if entry is None:
        raise CardActionError("that topic is no longer in the knowledge base")
    return Reply(card=answer_card(entry, answer_ref=new_ref()))


async def vote(
    session: AsyncSession, knowledge: KnowledgeBase, data: dict[str, Any], voter: str
) -> Reply:
    """Stores a vote and returns the answer card with the buttons replaced by thanks."""
    choice = Vote.from_data(data)
    entry = knowledge.entry(choice.entry_id)
    if entry is None:
        raise CardActionError("that answer is no longer in the knowledge base")
    await knowledge_repository.record_vote(
        session,
        answer_ref=choice.answer_ref,
        entry_id=entry.id,
        voter=voter,
        helpful=choice.helpful,
    )
    thanks = (
        "Thanks: you found this helpful."
        if choice.helpful
        else "Thanks: you said this was not helpful. The coordinators review these answers."
    )
    return Reply(
        card=answer_card(entry, answer_ref=choice.answer_ref, thanks=thanks), refresh=True
    )


def warnings_for(entry: KnowledgeEntry) -> list[str]:
    """The cautions an answer carries: local differences, weak sources."""
    warnings = []
    if entry.local_procedures_may_differ and not entry.local:
        warnings.append(LOCAL_DIFFERS)
    if entry.confidence is Confidence.UNCERTAIN:
        warnings.append(UNCERTAIN)
    elif entry.confidence is Confidence.SECONDARY:
        warnings.append(SECONDARY)
    return warnings


def source_line(entry: KnowledgeEntry, *, markdown: bool = True) -> str:
    """'Source: document, section', linked to the document where there is an address."""
    name = entry.source.document + (f", {entry.source.section}" if entry.source.section else "")
    if entry.source.url:
        name = f"[{name}]({entry.source.url})" if markdown else f"{name} ({entry.source.url})"
    return f"Source: {name}"


def new_ref() -> str:
    """Identifies one answer given, so a second vote on it replaces the first."""
    return uuid.uuid4().hex
