"""This module contains TeamsBot, which routes each Teams activity to a dialog."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import (
    Activity,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    ChannelAccount,
    ResourceResponse,
)
from botbuilder.schema.teams import TeamInfo

from bot.identity import TeamsMemberDirectory, TeamsUser, identify
from bot.proactive import ProactiveSender
from dialogs import help_dialog
from dialogs.people import Person
from dialogs.replies import Reply
from dialogs.turns import Dialogs
from store.repositories import conversations
from store.repositories.conversations import ConversationRecord

if TYPE_CHECKING:
    from store.db import Database

logger = logging.getLogger(__name__)

PERSONAL = "personal"
ADAPTIVE_CARD_TYPE = "application/vnd.microsoft.card.adaptive"
TEAM_INSTALL_TEXT = (
    "Hello, I'm Inspection Ready. Mention me with 'help' to see what I can do; "
    "for your own actions and audits, chat with me one to one."
)


class MessageInvokeResponse(AdaptiveCardInvokeResponse):  # type: ignore[misc]
    """An Action.Execute answer that is a message rather than a card.

    The SDK types `value` as a dict (a card), and its serializer fails on the text a
    message answer carries; "object" lets either through unchanged.
    """

    _attribute_map = {
        **AdaptiveCardInvokeResponse._attribute_map,
        "value": {"key": "value", "type": "object"},
    }


class TeamsBot(TeamsActivityHandler):  # type: ignore[misc]
    """Routes only: installs, uninstalls and messages go to dialogs; no rules live here."""

    def __init__(
        self,
        database: Database,
        dialogs: Dialogs,
        sender: ProactiveSender,
        on_urgent: Callable[[], None] | None = None,
        home_tenants: frozenset[str] = frozenset(),
    ) -> None:
        self._database = database
        self._dialogs = dialogs
        self._sender = sender
        # The tenants whose own (non-guest) members may be matched to the roster by address.
        self._home_tenants = home_tenants
        # Called when a turn queued urgent messages (the inspection call): send them now
        # rather than at the next scheduled drain.
        self._on_urgent = on_urgent

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._installed(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await self._uninstalled(turn_context)

    async def on_teams_members_added_dispatch(
        self,
        members_added: list[ChannelAccount],
        team_info: TeamInfo,
        turn_context: TurnContext,
    ) -> None:
        # The SDK's own dispatch looks up every member added (one HTTP call each, and a
        # failed turn for an id Teams does not know); only the bot's own arrival matters.
        if _includes_bot(members_added, turn_context.activity):
            await self._installed(turn_context)

    async def on_teams_members_removed_dispatch(
        self,
        members_removed: list[ChannelAccount],
        team_info: TeamInfo,
        turn_context: TurnContext,
    ) -> None:
        if _includes_bot(members_removed, turn_context.activity):
            await self._uninstalled(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if isinstance(activity.value, dict) and not activity.text:
            await self._card_submitted(turn_context, activity.value)
            return
        # In group chats and channels the bot only hears messages that @mention it.
        text = (TurnContext.remove_recipient_mention(activity) or "").strip()
        person = await self._person(turn_context)
        async with self._database.sessions() as session, session.begin():
            reply = await self._dialogs.message(
                session, person, text, personal=_is_personal(activity)
            )
        await _send(turn_context, reply)
        await self._follow_up(turn_context, reply)

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        # Action.Execute: the reply card replaces the card that was pressed, in place.
        action = invoke_value.action if isinstance(invoke_value.action, dict) else {}
        data = action.get("data")
        if not isinstance(data, dict):
            data = {}
        reply = await self._card_action(turn_context, {"action": action.get("verb"), **data})
        await self._follow_up(turn_context, reply)
        if reply.card is not None:
            return AdaptiveCardInvokeResponse(
                status_code=200, type=ADAPTIVE_CARD_TYPE, value=reply.card
            )
        return MessageInvokeResponse(
            status_code=200, type="application/vnd.microsoft.activity.message", value=reply.text
        )

    async def _card_submitted(self, turn_context: TurnContext, data: dict[str, Any]) -> None:
        # Action.Submit (the fallback): a card that changed is refreshed where it was;
        # anything else is answered as a new message.
        reply = await self._card_action(turn_context, data)
        reply_to = turn_context.activity.reply_to_id
        if reply.refresh and reply.card is not None and reply_to:
            update = MessageFactory.attachment(CardFactory.adaptive_card(reply.card))
            update.id = reply_to
            await turn_context.update_activity(update)
        else:
            await _send(turn_context, reply)
        await self._follow_up(turn_context, reply)

    async def _card_action(self, turn_context: TurnContext, data: dict[str, Any]) -> Reply:
        person = await self._person(turn_context)
        voter = person.email or turn_context.activity.from_property.id
        async with self._database.sessions() as session, session.begin():
            reply = await self._dialogs.card_action(
                session, person, voter, data, personal=_is_personal(turn_context.activity)
            )
        # Notices go out only once the change they announce is committed.
        unreachable = [n.name for n in reply.notices if not await self._sender.deliver(n)]
        if unreachable:
            await turn_context.send_activity(
                f"I could not reach {' or '.join(unreachable)} in Teams (they have not "
                "installed Inspection Ready yet), so they will see this next time they look at "
                "'my team'."
            )
        return reply

    async def _follow_up(self, turn_context: TurnContext, reply: Reply) -> None:
        if reply.urgent_queued and self._on_urgent is not None:
            self._on_urgent()
        follow_up = reply.follow_up
        if follow_up is None:
            return
        if not _is_personal(turn_context.activity):
            # Status cards, export links and lists of people only ever go to a 1:1 chat.
            logger.warning("Withheld a follow-up message from a group conversation")
            return
        sent = await _send(turn_context, follow_up)
        if follow_up.status_of_call is not None and sent is not None and sent.id:
            # The status card is refreshed in place as acknowledgements come in.
            reference = TurnContext.get_conversation_reference(turn_context.activity)
            async with self._database.sessions() as session, session.begin():
                await self._dialogs.status_card_sent(
                    session, follow_up.status_of_call, reference.serialize(), sent.id
                )

    async def _installed(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if not _is_personal(activity):
            # Teams and group chats get a short hello; personal data stays in 1:1 chats.
            await turn_context.send_activity(TEAM_INSTALL_TEXT)
            return
        person = await self._person(turn_context)
        async with self._database.sessions() as session, session.begin():
            first_activation = await conversations.save_installation(
                session, _conversation_record(activity, person)
            )
            # Teams sends installationUpdate and conversationUpdate for one install: greet once.
            reply = await help_dialog.welcome_reply(session, person) if first_activation else None
        if reply is not None:
            logger.info("Installed in a personal chat (staff %s)", person.staff_id)
            await _send(turn_context, reply)

    async def _uninstalled(self, turn_context: TurnContext) -> None:
        conversation_id = turn_context.activity.conversation.id
        async with self._database.sessions() as session, session.begin():
            was_active = await conversations.mark_uninstalled(session, conversation_id)
        if was_active:
            logger.info("Uninstalled; conversation reference marked inactive")

    async def _person(self, turn_context: TurnContext) -> Person:
        activity = turn_context.activity
        user = TeamsUser.from_account(activity.from_property, _tenant_of(activity))
        identity = await identify(
            self._database, user, TeamsMemberDirectory(turn_context), self._home_tenants
        )
        if identity.staff is not None:
            return Person.from_staff(identity.staff)
        return Person.guest(user.name, link_refused=identity.refused is not None)


def _conversation_type(activity: Activity) -> str:
    if _is_personal(activity):
        return PERSONAL
    return (activity.conversation.conversation_type or "") if activity.conversation else ""


def _is_personal(activity: Activity) -> bool:
    """Whether the activity comes from a 1:1 chat, the only place personal data is shown.

    Teams names the kind of conversation. Where it does not (the Agents Playground leaves
    it out of 1:1 chats), the chat counts as one to one only if nothing says otherwise:
    not marked a group, no team or channel, and not a thread id, which every Teams group
    chat and channel has ("19:...@thread.v2").
    """
    conversation = activity.conversation
    if conversation is None:
        return False
    if conversation.conversation_type:
        return bool(conversation.conversation_type == PERSONAL)
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    return (
        conversation.is_group is not True
        and not channel_data.get("team")
        and not channel_data.get("channel")
        and "@thread" not in (conversation.id or "")
    )


def _tenant_of(activity: Activity) -> str | None:
    conversation_tenant = activity.conversation.tenant_id if activity.conversation else None
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = channel_data.get("tenant")
    return conversation_tenant or (tenant.get("id") if isinstance(tenant, dict) else None)


def _includes_bot(members: list[ChannelAccount], activity: Activity) -> bool:
    return any(m.id == activity.recipient.id for m in members if activity.recipient)


def _conversation_record(activity: Activity, person: Person) -> ConversationRecord:
    reference = TurnContext.get_conversation_reference(activity)
    serialized: dict[str, Any] = reference.serialize()
    return ConversationRecord(
        conversation_id=activity.conversation.id,
        conversation_type=_conversation_type(activity),
        service_url=activity.service_url,
        channel_id=activity.channel_id,
        reference=serialized,
        user_id=activity.from_property.id if activity.from_property else None,
        user_aad_object_id=activity.from_property.aad_object_id
        if activity.from_property
        else None,
        tenant_id=(activity.conversation.tenant_id or None),
        staff_id=person.staff_id,
    )


async def _send(turn_context: TurnContext, reply: Reply) -> ResourceResponse | None:
    if reply.card is None:
        return await turn_context.send_activity(MessageFactory.text(reply.text))
    message = MessageFactory.attachment(CardFactory.adaptive_card(reply.card), text=reply.text)
    return await turn_context.send_activity(message)
