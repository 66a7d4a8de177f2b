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
from knowledge.library import KnowledgeBase, Part, Response
from knowledge.privacy import REMINDER
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


NOT_SURE = "I'm not sure I have the right answer to that."
THINK = "I think you are asking about {title}."


def reply_text(response: Response) -> str:
    """The reply as plain text: what the card says, for the command line and evaluation."""
    if response.small_talk is not None:
        return response.small_talk.value
    lines: list[str] = []
    if response.personal:
        lines += [REMINDER, ""]
    if not response.parts:
        lines.append(NOT_SURE)
        if response.suggestions:
            lines.append("Nearest topics: " + "; ".join(e.title for e in response.suggestions))
        return "\n".join(lines)
    for number, part in enumerate(response.parts):
        if number:
            lines.append("")
        entry = part.entry
        if part.likely:
            lines += [THINK.format(title=entry.title), ""]
        lines += [entry.title, "", entry.answer]
        if part.deadline is not None:
            lines += ["", part.deadline.describe()]
        lines += ["", *warnings_for(entry), source_line(entry, markdown=False)]
        lines.append(f"Applies to: {entry.framework}.")
    if response.suggestions:
        lines += ["", "Or did you mean: " + "; ".join(e.title for e in response.suggestions)]
    return "\n".join(lines)


def answer_card(
    entry: KnowledgeEntry,
    *,
    answer_ref: str,
    deadline: str | None = None,
    thanks: str | None = None,
    also: tuple[Part, ...] = (),
    heading: str | None = None,
    suggestions: tuple[KnowledgeEntry, ...] = (),
    reminder: str | None = None,
) -> dict[str, Any]:
    """The card for an entry (and any more a compound question asked for); with `thanks`,
    the voted version that replaces it."""
    return render_card(
        "answer",
        entry=entry,
        answer_ref=answer_ref,
        deadline=deadline,
        warnings=warnings_for(entry),
        source_line=source_line(entry),
        reviewed=_reviewed(entry),
        thanks=thanks,
        also=[_part_view(part) for part in also],
        heading=heading,
        suggestions=suggestions,
        reminder=reminder,
    )


async def ask(
    session: AsyncSession, knowledge: KnowledgeBase, question: str, person: Person, today: date
) -> Reply:
    """Answers a message: small talk, the answer (or answers), a likely answer with other
    topics, or the nearest topics, recording the gap. A question that seems to name
    someone is answered with a reminder, and kept only with the names taken out."""
    response = knowledge.respond(question, today)
    if response.small_talk is not None:
        return Reply(text=response.small_talk.value)
    reminder = REMINDER if response.personal else None
    if not response.parts:
        knowledge_repository.record_unanswered(
            session, response.keepable, person.staff_id, [e.id for e in response.suggestions]
        )
        card = render_card("not_sure", suggestions=response.suggestions, reminder=reminder)
        return Reply(card=card)
    first, *more = response.parts
    heading = THINK.format(title=first.entry.title) if first.likely else None
    card = answer_card(
        first.entry,
        answer_ref=new_ref(),
        deadline=first.deadline.describe() if first.deadline else None,
        also=tuple(more),
        heading=heading,
        suggestions=response.suggestions,
        reminder=reminder,
    )
    return Reply(card=card)


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


def _reviewed(entry: KnowledgeEntry) -> str:
    return f"{entry.reviewed:%d %B %Y}".lstrip("0")


def _part_view(part: Part) -> dict[str, Any]:
    """What the card shows of a further entry in a compound answer."""
    return {
        "entry": part.entry,
        # A part answered by its likely entry says so, as a likely single answer does.
        "heading": THINK.format(title=part.entry.title) if part.likely else None,
        "deadline": part.deadline.describe() if part.deadline else None,
        "warnings": warnings_for(part.entry),
        "source_line": source_line(part.entry),
        "reviewed": _reviewed(part.entry),
    }


def new_ref() -> str:
    """Identifies one answer given, so a second vote on it replaces the first."""
    return uuid.uuid4().hex
