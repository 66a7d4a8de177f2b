"""This module contains the welcome and help replies: what the bot can do for this person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cards.rendering import plain_text, render_card
from dialogs.capabilities import capabilities_for
from dialogs.people import Person
from dialogs.replies import Reply
from store.models import StaffRole
from store.repositories import staff as staff_repository

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

PRODUCT_NAME = "Inspection Ready"


@dataclass(frozen=True, slots=True)
class Contact:
    """Someone a guest can ask to be added to the roster."""

    name: str
    email: str


async def welcome_reply(session: AsyncSession, person: Person) -> Reply:
    """The card sent once, when the app is installed for someone; its text is the summary
    Teams shows in the notification and the chat list."""
    heading = f"Hello {person.first_name}, I'm {PRODUCT_NAME}."
    reply = await _capabilities_reply(session, person, heading, welcome=True)
    text = f"{plain_text(heading)} Type 'help' at any time to see what I can do."
    return Reply(text=text, card=reply.card)


async def help_reply(
    session: AsyncSession, person: Person, *, understood: bool = True, personal: bool = True
) -> Reply:
    """The same capabilities, when someone asks for help or says something not yet understood.

    In a group chat or channel (`personal` False) only what works there is offered, with a
    pointer to the 1:1 chat for the rest.
    """
    heading = f"Here is what I can do for you, {person.first_name}."
    if not understood:
        heading = f"Sorry {person.first_name}, I did not understand that. Here is what I can do."
    if not personal:
        heading = (
            "Here is what I can do in this conversation. For your own actions and audits, "
            "chat with me one to one."
        )
    return await _capabilities_reply(session, person, heading, personal=personal)


async def _capabilities_reply(
    session: AsyncSession,
    person: Person,
    heading: str,
    *,
    personal: bool = True,
    welcome: bool = False,
) -> Reply:
    available, coming = capabilities_for(person, personal=personal)
    contacts: list[Contact] = []
    buttons = _buttons(person, personal=personal, welcome=welcome)
    if not personal:
        return Reply(
            card=render_card(
                "capabilities",
                heading=heading,
                person=person,
                role_line=None,
                available=available,
                coming=coming,
                contacts=[],
                buttons=buttons,
            )
        )
    if not person.on_roster:
        # A guest needs a name to ask; coordinators keep the roster.
        coordinators = await staff_repository.list_by_role(session, StaffRole.COORDINATOR)
        contacts = [Contact(c.name, c.email) for c in coordinators]
    card = render_card(
        "capabilities",
        heading=heading,
        person=person,
        role_line=_role_line(person),
        available=available,
        coming=coming,
        contacts=contacts,
        buttons=buttons,
    )
    return Reply(card=card)


def _buttons(person: Person, *, personal: bool, welcome: bool) -> list[tuple[str, dict[str, str]]]:
    """The card's buttons: Help on the welcome (the help card is what it shows), and the
    person's own work where they have some to see."""
    buttons: list[tuple[str, dict[str, str]]] = []
    if welcome:
        buttons.append(("Help", {"action": "show_help"}))
    if personal and person.on_roster:
        buttons.append(("My actions", {"action": "show_list", "intent": "my_actions"}))
        buttons.append(("What's overdue", {"action": "show_list", "intent": "overdue"}))
    return buttons


def _role_line(person: Person) -> str:
    if person.link_refused:
        return (
            "Your Teams account could not be linked to the roster automatically, so I cannot "
            "show you anyone's actions or audits yet. Ask a coordinator to link it."
        )
    if person.role is None:
        return (
            "You are not on this council's inspection-readiness roster yet, so I cannot show "
            "you anyone's actions or audits."
        )
    line = f"You are on the roster as a {person.role.value}"
    if person.team:
        line += f" in {person.team}"
    if person.inspection_role:
        line += f"; your inspection role is {person.inspection_role}"
    return line + "."
