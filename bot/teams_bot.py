"""This module contains TeamsBot, which routes each inbound turn to a dialog and answers it.

It works on the edge's own types (teams.types), whichever SDK received the activity, and
sends every reply through the same Delivery the outbox uses.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.identity import identify
from bot.known_accounts import KnownAccounts
from dialogs import help_dialog
from dialogs.people import Person
from dialogs.replies import Reply
from dialogs.turns import Dialogs
from notifications.conversation_limits import ConversationLimits
from notifications.notices import Notice, queue_notices
from notifications.shared_budget import SharedSendBudget
from store.models import utc_now
from store.repositories import calls, conversations
from store.repositories.conversations import ConversationRecord
from teams.logs import describe_exception
from teams.types import (
    Delivery,
    InboundTurn,
    InvokeAnswer,
    MemberDirectory,
    OutboundMessage,
    Outcome,
    TurnKind,
)

if TYPE_CHECKING:
    from notifications.call_installs import InstallRequest
    from store.db import Database

logger = logging.getLogger(__name__)

TEAM_INSTALL_TEXT = (
    "Hello, I'm Inspection Ready. Mention me with 'help' to see what I can do; "
    "for your own actions and audits, chat with me one to one."
)
APOLOGY = (
    "Sorry, something went wrong on my side and I could not finish that. Nothing you sent "
    "was lost. Please try again; if it keeps happening, give your IT team this reference: {ref}."
)
UNREACHABLE = (
    "I could not reach {names} in Teams (they have not installed Inspection Ready yet), so "
    "they will see this next time they look at 'my team'."
)


class TeamsBot:
    """Routes only: installs, uninstalls, messages and card presses go to dialogs."""

    def __init__(
        self,
        database: Database,
        dialogs: Dialogs,
        delivery: Delivery,
        directory: MemberDirectory,
        *,
        on_urgent: Callable[[], None] | None = None,
        on_installs: Callable[[InstallRequest], None] | None = None,
        home_tenants: frozenset[str] = frozenset(),
        clock: Callable[[], datetime] = utc_now,
        known_accounts: KnownAccounts | None = None,
        reply_budget: SharedSendBudget | None = None,
        conversation_limits: ConversationLimits | None = None,
    ) -> None:
        self._database = database
        self._dialogs = dialogs
        self._delivery = delivery
        self._directory = directory
        # Called when a turn queued urgent messages (the inspection call, notices): send
        # them now rather than at the next scheduled drain.
        self._on_urgent = on_urgent
        # Called when a turn asks for the app to be installed for people (the inspection
        # call, for those whose alerts wait for it): runs once the turn has committed.
        self._on_installs = on_installs
        # The tenants whose own (non-guest) members may be matched to the roster by address.
        self._home_tenants = home_tenants
        self._clock = clock
        self._known = known_accounts if known_accounts is not None else KnownAccounts()
        self._reply_budget = reply_budget
        # Replies are counted in their conversation's windows (never delayed by them), so
        # the outbox leaves room under Teams' per-conversation limits.
        self._conversations = (
            conversation_limits if conversation_limits is not None else ConversationLimits()
        )

    async def handle(self, turn: InboundTurn) -> InvokeAnswer | None:
        """Does what the turn asks; an Action.Execute press gets its answer returned.

        This is the one turn error handler: a failure is logged by its exception types
        and stack under a reference the person is given, never with what they typed.
        """
        try:
            return await self._dispatch(turn)
        except Exception as error:
            reference = uuid.uuid4().hex[:12]
            logger.error(  # noqa: TRY400 - messages may quote what was typed
                "Turn failed [ref %s] turn kind=%s id=%s conversation kind=%s: %s",
                reference,
                turn.kind.value,
                turn.activity_id,
                turn.reference.conversation_kind.value,
                describe_exception(error),
            )
            apology = APOLOGY.format(ref=reference)
            if turn.kind is TurnKind.CARD_EXECUTE:
                return InvokeAnswer(text=apology)
            if turn.kind in (TurnKind.MESSAGE, TurnKind.CARD_SUBMIT):
                await self._send(turn, OutboundMessage(text=apology))
            return None

    async def _dispatch(self, turn: InboundTurn) -> InvokeAnswer | None:
        if turn.kind is TurnKind.INSTALLED:
            await self._installed(turn)
        elif turn.kind is TurnKind.UNINSTALLED:
            await self._uninstalled(turn)
        elif turn.kind is TurnKind.READ_RECEIPT:
            await self._read_receipt(turn)
        elif turn.kind is TurnKind.MESSAGE:
            await self._message(turn)
        elif turn.kind is TurnKind.CARD_SUBMIT:
            await self._card_submitted(turn)
        elif turn.kind is TurnKind.CARD_EXECUTE:
            return await self._card_executed(turn)
        return None

    async def _message(self, turn: InboundTurn) -> None:
        person = await self._person(turn)
        async with self._database.sessions() as session, session.begin():
            reply = await self._dialogs.message(session, person, turn.text, personal=turn.personal)
        self._settle(reply)
        await self._send(turn, _message_of(reply))
        await self._follow_up(turn, reply)

    async def _card_executed(self, turn: InboundTurn) -> InvokeAnswer:
        # Action.Execute: the reply card replaces the card that was pressed, in place.
        reply = await self._card_action(turn)
        await self._follow_up(turn, reply)
        if reply.card is not None:
            return InvokeAnswer(card=reply.card)
        return InvokeAnswer(text=reply.text)

    async def _card_submitted(self, turn: InboundTurn) -> None:
        # Action.Submit (the fallback): a card that changed is refreshed where it was;
        # anything else is answered as a new message.
        reply = await self._card_action(turn)
        if reply.refresh and reply.card is not None and turn.reply_to_id:
            self._conversations.record(turn.reference.conversation_id)
            await self._delivery.update(
                turn.reference, turn.reply_to_id, OutboundMessage.of(reply.text, reply.card)
            )
        else:
            await self._send(turn, _message_of(reply))
        await self._follow_up(turn, reply)

    async def _card_action(self, turn: InboundTurn) -> Reply:
        person = await self._person(turn)
        voter = person.email or turn.user.user_id
        async with self._database.sessions() as session, session.begin():
            reply = await self._dialogs.card_action(
                session, person, voter, turn.card_data, personal=turn.personal
            )
            # Notices to other people are queued with the change they announce.
            unreachable = await queue_notices(
                session,
                [Notice(n.staff_id, n.reply.text, n.reply.card) for n in reply.notices],
                self._clock(),
            )
        self._settle(reply)
        if reply.notices and self._on_urgent is not None:
            self._on_urgent()
        names = " or ".join(n.name for n in reply.notices if n.staff_id in unreachable)
        if names:
            await self._send(turn, OutboundMessage(text=UNREACHABLE.format(names=names)))
        return reply

    async def _follow_up(self, turn: InboundTurn, reply: Reply) -> None:
        if reply.urgent_queued and self._on_urgent is not None:
            self._on_urgent()
        follow_up = reply.follow_up
        if follow_up is None:
            return
        if not turn.personal:
            # Status cards, export links and lists of people only ever go to a 1:1 chat.
            logger.warning("Withheld a follow-up message from a group conversation")
            return
        # Sent as a message of its own (not a reply), so Teams gives back its id.
        sent = await self._delivery.send(turn.reference, _message_of(follow_up))
        if follow_up.audits_card_of_call is not None and sent.activity_id:
            async with self._database.sessions() as session, session.begin():
                await self._dialogs.audits_card_sent(
                    session,
                    follow_up.audits_card_of_call,
                    turn.reference.to_dict(),
                    sent.activity_id,
                )
        if follow_up.status_of_call is not None and sent.activity_id:
            # The status card is refreshed in place as acknowledgements come in.
            async with self._database.sessions() as session, session.begin():
                await self._dialogs.status_card_sent(
                    session, follow_up.status_of_call, turn.reference.to_dict(), sent.activity_id
                )

    async def _installed(self, turn: InboundTurn) -> None:
        if not turn.personal:
            # Teams and group chats get a short hello; personal data stays in 1:1 chats.
            # The conversation is remembered (for no one in particular) so that the two
            # activities Teams sends for one install greet it once.
            async with self._database.sessions() as session, session.begin():
                first_activation = await conversations.save_installation(
                    session, _conversation_record(turn, None)
                )
            if first_activation:
                await self._send(turn, OutboundMessage(text=TEAM_INSTALL_TEXT))
            return
        person = await self._person(turn)
        async with self._database.sessions() as session, session.begin():
            first_activation = await conversations.save_installation(
                session, _conversation_record(turn, person)
            )
            # Teams sends installationUpdate and conversationUpdate for one install: greet once.
            reply = await help_dialog.welcome_reply(session, person) if first_activation else None
            # An inspection-call alert waiting for this chat (the app was just installed for
            # them through Graph) can go now.
            released = 0
            if person.staff_id is not None:
                released = await calls.release_held_alerts(session, person.staff_id, self._clock())
        if released and self._on_urgent is not None:
            self._on_urgent()
        if reply is not None:
            logger.info("Installed in a personal chat (staff %s)", person.staff_id)
            await self._send(turn, _message_of(reply))

    async def _uninstalled(self, turn: InboundTurn) -> None:
        async with self._database.sessions() as session, session.begin():
            was_active = await conversations.mark_uninstalled(
                session, turn.reference.conversation_id
            )
        if was_active:
            logger.info("Uninstalled; conversation reference marked inactive")

    async def _read_receipt(self, turn: InboundTurn) -> None:
        # Receipts come only from personal chats; the chat's stored owner is who read it
        # (a receipt is no reason to look the member up again).
        if not turn.personal:
            return
        last_read = str(turn.card_data.get("last_read_message_id") or "")
        async with self._database.sessions() as session, session.begin():
            chat = await conversations.find_by_conversation_id(
                session, turn.reference.conversation_id
            )
            if chat is None or chat.staff_id is None:
                return
            read = await calls.record_read(session, chat.staff_id, last_read, self._clock())
        if read:
            logger.info("Inspection-call alert read (staff %s)", chat.staff_id)

    def _settle(self, reply: Reply) -> None:
        # Called once the turn's transaction has committed.
        if reply.roster_changed:
            self._known.forget_all()
        if reply.installs is not None and self._on_installs is not None:
            self._on_installs(reply.installs)

    async def _person(self, turn: InboundTurn) -> Person:
        identity = self._known.get(turn.user)
        if identity is None:
            identity = await identify(
                self._database, turn.user, turn.reference, self._directory, self._home_tenants
            )
            if turn.user.aad_object_id or turn.user.user_id:
                self._known.remember(turn.user, identity)
        if identity.staff is not None:
            return Person.from_staff(identity.staff)
        return Person.guest(turn.user.name, link_refused=identity.refused is not None)

    async def _send(self, turn: InboundTurn, message: OutboundMessage) -> None:
        if self._reply_budget is not None:
            await self._reply_budget.take_now()
        self._conversations.record(turn.reference.conversation_id)
        result = await self._delivery.send(turn.reference, message, reply_to=turn.activity_id)
        if result.outcome is not Outcome.SENT:
            logger.warning("Could not answer a turn: %s", result.error or result.code)


def _message_of(reply: Reply) -> OutboundMessage:
    return OutboundMessage.of(reply.text, reply.card)


def _conversation_record(turn: InboundTurn, person: Person | None) -> ConversationRecord:
    """The conversation to store; a group's (`person` None) is nobody's own, so messages
    meant for one person never go there."""
    reference = turn.reference
    someone = person is not None
    return ConversationRecord(
        conversation_id=reference.conversation_id,
        conversation_type=reference.conversation_kind.value,
        service_url=reference.service_url,
        channel_id=reference.channel_id,
        reference=reference.to_dict(),
        user_id=reference.user_id if someone else None,
        user_aad_object_id=reference.user_aad_object_id if someone else None,
        tenant_id=reference.tenant_id,
        staff_id=person.staff_id if person is not None else None,
    )
