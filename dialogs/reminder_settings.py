"""This module lets people choose how they are reminded: all, digest only, or paused."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from cards.rendering import plain_text, render_card
from dialogs.ask_dialog import CardActionError
from dialogs.people import Person
from dialogs.replies import Reply
from store.models import ReminderPreference, StaffRole
from store.repositories import audit_log, outbox

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

PAUSES = {"pause_week": 7, "pause_fortnight": 14}
NOT_ON_ROSTER = "You are not on the roster, so I send you no reminders."


async def settings_card(session: AsyncSession, person: Person, today: date) -> Reply:
    """The person's current choice and the buttons to change it."""
    if person.staff_id is None:
        return Reply(text=NOT_ON_ROSTER)
    choice = await session.get(ReminderPreference, person.staff_id)
    return Reply(card=_card(choice, today))


async def choose(
    session: AsyncSession, person: Person, data: dict[str, Any], today: date
) -> Reply:
    """Applies a choice from the settings card and shows the updated card."""
    if person.staff_id is None:
        raise CardActionError("you are not on the roster")
    mode = data.get("mode")
    if mode not in ("all", "digest_only", *PAUSES):
        raise CardActionError("that is not a reminder setting")
    choice = await session.get(ReminderPreference, person.staff_id)
    if choice is None:
        choice = ReminderPreference(staff_id=person.staff_id, digest_only=False)
        session.add(choice)
    before = _describe(choice, today)
    if mode == "all":
        choice.digest_only, choice.paused_until = False, None
    elif mode == "digest_only":
        choice.digest_only = True
    elif mode in PAUSES:
        choice.paused_until = today + timedelta(days=PAUSES[str(mode)])
    else:
        raise CardActionError("that is not a reminder setting")
    audit_log.record_change(
        session,
        actor=person.email or "unknown",
        entity="staff",
        key=person.email or "",
        field="reminders",
        old=before,
        new=_describe(choice, today),
    )
    await session.flush()
    return Reply(card=_card(choice, today), refresh=True)


async def unreachable(session: AsyncSession, person: Person) -> Reply:
    """For coordinators: who the bot cannot message, and why."""
    if person.role not in (StaffRole.COORDINATOR, StaffRole.ADMIN):
        return Reply(text="Only coordinators can see who cannot be reached.")
    people = await outbox.unreachable_people(session)
    if not people:
        return Reply(text="Everyone on the roster can be reached in Teams.")
    # A markdown list of imported names and addresses: those are made plain.
    lines = [
        f"- {plain_text(staff.name)} ({plain_text(staff.email)}): {reason}"
        for staff, reason in people[:50]
    ]
    more = f"\n...and {len(people) - 50} more." if len(people) > 50 else ""
    return Reply(
        text=f"{len(people)} people cannot be reached in Teams:\n" + "\n".join(lines) + more
    )


def _describe(choice: ReminderPreference | None, today: date) -> str:
    """The person's setting as one sentence that is true today."""
    usual = (
        "the weekly digest instead of item-by-item reminders"
        if choice is not None and choice.digest_only
        else "every reminder"
    )
    if choice is not None and choice.paused_until is not None and choice.paused_until >= today:
        until = choice.paused_until
        return (
            f"Paused until {until:%A} {until.day} {until:%B}: until then only overdue items "
            f"and escalations reach you; after that, {usual}."
        )
    return f"You get {usual}."


def _card(choice: ReminderPreference | None, today: date) -> dict[str, Any]:
    return render_card("reminder_settings", current=_describe(choice, today))
