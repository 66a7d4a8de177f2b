"""This module lets a coordinator answer, in chat, a question the bot could not answer.

The answer becomes a local knowledge entry awaiting review: a file in the folder's
`awaiting-review/` subfolder, which the service does not load. Whoever reviews local
knowledge checks it and moves it into the folder itself, where it is answered from after
the next restart. The person who asked is told the answer at once, as a colleague's
answer that is still to be reviewed.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from dialogs.ask_dialog import CardActionError
from dialogs.card_data import parse_id
from dialogs.people import Person
from dialogs.policy import NO_ITEM
from dialogs.replies import Notice, Reply
from knowledge.entries import MAX_TITLE_LENGTH, KnowledgeError, load_entries
from store.models import Staff
from store.repositories import knowledge as knowledge_repository

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

AWAITING_REVIEW = "awaiting-review"
MAX_SOURCE_CHARS = 200
NO_FOLDER = (
    "answers are kept as local knowledge entries, and no local knowledge folder is set "
    "up; ask whoever runs the service to set INSPECTION_READY_LOCAL_KNOWLEDGE"
)


async def answer_question(
    session: AsyncSession,
    person: Person,
    data: dict[str, Any],
    now: datetime,
    local_folder: Path | None,
) -> Reply:
    """Keeps a coordinator's answer as a local entry awaiting review and tells the asker.

    Raises:
        CardActionError: no folder to keep it in, the question is gone or already
            answered, or the answer or its source is missing or too long.
    """
    question_id = parse_id(data.get("question"))
    question = (
        await knowledge_repository.unanswered_by_id(session, question_id)
        if question_id is not None
        else None
    )
    if question is None:
        raise CardActionError(NO_ITEM if question_id is None else "that question no longer exists")
    if question.answered_at is not None:
        by = await session.get(Staff, question.answered_by_id) if question.answered_by_id else None
        who = by.name if by is not None else "someone"
        raise CardActionError(
            f"{who} answered this question already, on {question.answered_at:%d %B}"
        )
    answer = _text(data.get(f"answer_{question.id}"), "write the answer in the box first")
    source = _text(data.get(f"source_{question.id}"), "say where the answer comes from")
    if len(source) > MAX_SOURCE_CHARS:
        raise CardActionError(f"keep the source under {MAX_SOURCE_CHARS} characters")
    if local_folder is None:
        raise CardActionError(NO_FOLDER)
    entry_id = f"answered-question-{question.id}"
    path = _write_entry(
        local_folder / AWAITING_REVIEW,
        entry_id,
        _entry(entry_id, question.question, answer, source, now),
        header=f"Answered in Teams by {person.display_name} on {now:%d %B %Y}. Review it, "
        "then move this file into the local knowledge folder to answer from it.",
    )
    knowledge_repository.mark_answered(question, person.staff_id, entry_id, now)
    notices = await _tell_the_asker(session, question.staff_id, question.question, answer, source)
    told = " I've sent the answer to the person who asked." if notices else ""
    return Reply(
        text=f"Saved your answer as a local entry awaiting review ({AWAITING_REVIEW}/"
        f"{path.name}).{told}",
        notices=notices,
    )


def _text(value: object, missing: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CardActionError(missing)
    return " ".join(value.split())


def _entry(
    entry_id: str, question: str, answer: str, source: str, now: datetime
) -> dict[str, Any]:
    if len(question) > MAX_TITLE_LENGTH:
        title = question[: MAX_TITLE_LENGTH - 1].rstrip() + "…"
    else:
        title = question.rstrip()
    return {
        "id": entry_id,
        "topic": "Answered in Teams",
        "title": title,
        "questions": [question],
        "answer": answer,
        # The coordinator's answer, not yet checked against its source: the reviewer
        # raises this to C when the source is official text.
        "confidence": "S",
        "source": {"document": source},
        "framework": "Local procedures",
        "reviewed": now.date(),
        "local_procedures_may_differ": False,
    }


def _write_entry(folder: Path, entry_id: str, entry: dict[str, Any], *, header: str) -> Path:
    """Writes the entry's file, checked against the knowledge schema, all or nothing."""
    text = f"# {header}\n" + yaml.safe_dump([entry], sort_keys=False, allow_unicode=True)
    path = folder / f"{entry_id}.yaml"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".yaml")
    except OSError as exc:
        raise CardActionError(_not_saved(exc)) from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        load_entries([temporary], local=True)
        os.replace(temporary, path)
    except KnowledgeError as exc:
        raise CardActionError(_why(str(exc))) from None
    except OSError as exc:
        raise CardActionError(_not_saved(exc)) from None
    finally:
        # Gone once it has become the entry; left behind by nothing that failed.
        temporary.unlink(missing_ok=True)
    return path


def _not_saved(exc: OSError) -> str:
    return f"the answer could not be saved ({exc.strerror})"


def _why(message: str) -> str:
    # The schema's message names the temporary file; what matters is the reason after it.
    return message.split(": ", 2)[-1]


async def _tell_the_asker(
    session: AsyncSession, staff_id: int | None, question: str, answer: str, source: str
) -> tuple[Notice, ...]:
    asker = await session.get(Staff, staff_id) if staff_id is not None else None
    if asker is None:
        return ()
    text = (
        f"A coordinator has answered a question you asked me: “{question}”\n\n{answer}\n\n"
        f"Source: {source}. This answer has not been reviewed yet; check it before you rely "
        "on it."
    )
    return (Notice(asker.id, asker.name, Reply(text=text)),)
