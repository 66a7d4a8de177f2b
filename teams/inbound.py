"""This module turns a request body into an InboundTurn, refusing anything hostile or odd.

It reads the Activity protocol's JSON itself (no SDK), so the checks and the turn are the
same whichever SDK then runs it.
"""

from __future__ import annotations

import json
from typing import Any

from teams.types import (
    ConversationKind,
    InboundTurn,
    MalformedActivityError,
    StoredReference,
    TeamsUser,
    TurnKind,
)

# Teams activities nest a dozen levels at most (an Action.Execute's card data included).
# Anything deeper is not one of them, and deep nesting is how a parser's stack is attacked.
MAX_DEPTH = 32
# Fields of the accounts an activity names that are text whenever they are present.
ACCOUNT_TEXT = {
    "from": ("name", "aadObjectId", "role"),
    "recipient": ("name", "aadObjectId", "role"),
    "conversation": ("tenantId", "conversationType", "name"),
}
# The invoke Teams sends for an Action.Execute press.
ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
EXECUTE = "Action.Execute"
# The event Teams sends a bot when someone reads its messages in a personal chat (with the
# ChatMessageReadReceipt.Read.Chat permission and the person's read receipts on).
READ_RECEIPT = "application/vnd.microsoft.readReceipt"


class MalformedBodyError(ValueError):
    """A body that is not JSON we accept; the message says why, without quoting it."""


def parse_body(raw: bytes) -> Any:
    """The JSON value of a request body.

    Raises:
        MalformedBodyError: not UTF-8 JSON, NaN or Infinity, a number too long to convert,
            nested deeper than MAX_DEPTH, or a string a database cannot store (a NUL or a
            lone surrogate).
    """
    try:
        body = json.loads(raw, parse_constant=_refuse_constant)
    except MalformedBodyError:
        raise
    except RecursionError:
        raise MalformedBodyError("the body is nested too deeply") from None
    except (ValueError, UnicodeDecodeError):
        # ValueError covers JSONDecodeError and integers over Python's digit limit.
        raise MalformedBodyError("the request body is not valid JSON") from None
    _check_shape(body)
    return body


def check_activity(body: Any) -> dict[str, Any]:
    """Checks the fields every inbound activity carries and the shapes the SDKs rely on.

    Raises:
        MalformedActivityError: the body is not an object, or lacks a field the bot needs
            to know what happened and where to answer.
    """
    if not isinstance(body, dict):
        raise MalformedActivityError("the body must be a JSON object")
    for name, value in (
        ("type", body.get("type")),
        ("serviceUrl", body.get("serviceUrl")),
        ("conversation.id", field(body, "conversation", "id")),
        ("from.id", field(body, "from", "id")),
        ("recipient.id", field(body, "recipient", "id")),
    ):
        if not isinstance(value, str) or not value.strip():
            raise MalformedActivityError(f"{name} is missing or not a string")
    if not isinstance(body.get("channelData"), dict | None):
        raise MalformedActivityError("channelData must be an object")
    for name in ("text", "name", "replyToId", "action", "id", "channelId", "locale"):
        if not isinstance(body.get(name), str | None):
            raise MalformedActivityError(f"{name} must be a string")
    for outer, names in ACCOUNT_TEXT.items():
        for name in names:
            if not isinstance(field(body, outer, name), str | None):
                raise MalformedActivityError(f"{outer}.{name} must be a string")
    _check_channel_data(body.get("channelData") or {})
    for name in ("membersAdded", "membersRemoved"):
        _check_accounts(name, body.get(name))
    _check_entities(body.get("entities"))
    if body.get("type") == "invoke" and body.get("name") == ADAPTIVE_CARD_ACTION:
        _check_card_action(body.get("value"))
    return body


def field(body: dict[str, Any], outer: str, inner: str) -> Any:
    """body[outer][inner] when both are there, else None."""
    value = body.get(outer)
    return value.get(inner) if isinstance(value, dict) else None


def _check_channel_data(channel_data: dict[str, Any]) -> None:
    # Teams' own fields, which the SDK reads into its models: the shape those expect.
    for name in ("team", "channel", "tenant", "meeting", "settings", "notification"):
        if not isinstance(channel_data.get(name), dict | None):
            raise MalformedActivityError(f"channelData.{name} must be an object")
    if not isinstance(channel_data.get("eventType"), str | None):
        raise MalformedActivityError("channelData.eventType must be a string")


def _check_accounts(name: str, accounts: Any) -> None:
    if accounts is None:
        return
    if not isinstance(accounts, list) or not all(
        isinstance(account, dict) and isinstance(account.get("id"), str) for account in accounts
    ):
        raise MalformedActivityError(f"{name} must be a list of accounts, each with an id")


def _check_entities(entities: Any) -> None:
    # The SDK reads mentions itself (to strip "@Inspection Ready"): give it their shape.
    if entities is None:
        return
    if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
        raise MalformedActivityError("entities must be a list of objects")
    for entity in entities:
        if entity.get("type") != "mention":
            continue
        mentioned = entity.get("mentioned")
        if not isinstance(mentioned, dict) or not isinstance(entity.get("text", ""), str):
            raise MalformedActivityError("a mention must name who is mentioned, as an object")


def _check_card_action(value: Any) -> None:
    # Action.Execute: {"action": {"type": "Action.Execute", "verb": ..., "data": {...}}}.
    action = value.get("action") if isinstance(value, dict) else None
    if not isinstance(action, dict):
        raise MalformedActivityError("value.action must be an object")
    if action.get("type") != EXECUTE:
        raise MalformedActivityError(f"value.action.type must be {EXECUTE}")
    if not isinstance(action.get("verb"), str | None):
        raise MalformedActivityError("value.action.verb must be a string")


def _refuse_constant(name: str) -> Any:
    raise MalformedBodyError(f"{name} is not a JSON number")


def _check_shape(body: Any) -> None:
    # Iterative, so the check itself cannot run out of stack on what it is checking.
    pending: list[tuple[Any, int]] = [(body, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            _check_string(value)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise MalformedBodyError("the body is nested too deeply")
        if isinstance(value, dict):
            for key, item in value.items():
                _check_string(key)
                pending.append((item, depth + 1))
        else:
            pending.extend((item, depth + 1) for item in value)


def _check_string(text: str) -> None:
    if "\x00" in text:
        raise MalformedBodyError("the body contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedBodyError("the body contains an unpaired surrogate") from None


def inbound_turn(body: dict[str, Any]) -> InboundTurn:
    """The turn a checked activity (see `check_activity`) asks for."""
    sender = body.get("from") or {}
    reference = reference_of(body)
    user = TeamsUser(
        user_id=str(sender.get("id") or ""),
        aad_object_id=_lower(sender.get("aadObjectId")),
        name=_text(sender.get("name")),
        tenant_id=reference.tenant_id,
    )
    kind, data = _kind(body)
    return InboundTurn(
        kind=kind,
        user=user,
        reference=reference,
        activity_id=_text(body.get("id")),
        text=_without_bot_mention(body) if kind is TurnKind.MESSAGE else "",
        card_data=data,
        reply_to_id=_text(body.get("replyToId")),
        invoke_name=_text(body.get("name")) if body.get("type") == "invoke" else None,
    )


def reference_of(body: dict[str, Any]) -> StoredReference:
    """Where to answer this activity, and to reach its conversation again later."""
    conversation = body.get("conversation") or {}
    sender = body.get("from") or {}
    bot = body.get("recipient") or {}
    return StoredReference(
        service_url=str(body["serviceUrl"]),
        conversation_id=str(conversation["id"]),
        conversation_kind=conversation_kind(body),
        channel_id=str(body.get("channelId") or ""),
        tenant_id=_tenant(body),
        user_id=_text(sender.get("id")),
        user_aad_object_id=_lower(sender.get("aadObjectId")),
        user_name=_text(sender.get("name")),
        bot_id=_text(bot.get("id")),
        bot_name=_text(bot.get("name")),
    )


def conversation_kind(body: dict[str, Any]) -> ConversationKind:
    """Personal, group chat or channel, as Teams says; a group when anything says so.

    Where Teams does not name the kind (the Agents Playground leaves it out of 1:1 chats),
    the chat counts as one to one only if nothing says otherwise: not marked a group, no
    team or channel, and not a thread id, which every Teams group chat and channel has
    ("19:...@thread.v2"). Personal data is only ever shown in a 1:1 chat.
    """
    conversation = body.get("conversation") or {}
    named = conversation.get("conversationType")
    if named:
        try:
            return ConversationKind(named)
        except ValueError:
            return ConversationKind.GROUP_CHAT
    channel_data = body.get("channelData") or {}
    if channel_data.get("channel") or channel_data.get("team"):
        return ConversationKind.CHANNEL
    if conversation.get("isGroup") is True or "@thread" in str(conversation.get("id") or ""):
        return ConversationKind.GROUP_CHAT
    return ConversationKind.PERSONAL


def _kind(body: dict[str, Any]) -> tuple[TurnKind, dict[str, Any]]:
    activity_type = body.get("type")
    bot_id = field(body, "recipient", "id")
    if activity_type == "message":
        value = body.get("value")
        if isinstance(value, dict) and not body.get("text"):
            return TurnKind.CARD_SUBMIT, value
        return TurnKind.MESSAGE, {}
    if activity_type == "invoke" and body.get("name") == ADAPTIVE_CARD_ACTION:
        action = body["value"]["action"]
        data = action.get("data")
        return TurnKind.CARD_EXECUTE, {
            "action": action.get("verb"),
            **(data if isinstance(data, dict) else {}),
        }
    if activity_type == "event" and body.get("name") == READ_RECEIPT:
        value = body.get("value")
        last_read = value.get("lastReadMessageId") if isinstance(value, dict) else None
        # Message ids in personal chats are epoch milliseconds; anything else says nothing.
        if isinstance(last_read, str) and _message_number(last_read):
            return TurnKind.READ_RECEIPT, {"last_read_message_id": last_read}
        return TurnKind.OTHER, {}
    if activity_type == "installationUpdate":
        action = str(body.get("action") or "")
        if action in ("add", "add-upgrade"):
            return TurnKind.INSTALLED, {}
        if action in ("remove", "remove-upgrade"):
            return TurnKind.UNINSTALLED, {}
    if activity_type == "conversationUpdate":
        if any(member["id"] == bot_id for member in body.get("membersAdded") or ()):
            return TurnKind.INSTALLED, {}
        if any(member["id"] == bot_id for member in body.get("membersRemoved") or ()):
            return TurnKind.UNINSTALLED, {}
    return TurnKind.OTHER, {}


def _without_bot_mention(body: dict[str, Any]) -> str:
    # In group chats and channels the bot only hears messages that @mention it; the
    # mention's own text ("<at>Inspection Ready</at>") is not part of what was asked.
    text = str(body.get("text") or "")
    bot_id = field(body, "recipient", "id")
    for entity in body.get("entities") or ():
        if entity.get("type") == "mention" and field(entity, "mentioned", "id") == bot_id:
            text = text.replace(str(entity.get("text") or ""), "")
    return text.strip()


def _tenant(body: dict[str, Any]) -> str | None:
    channel_data = body.get("channelData") or {}
    tenant = channel_data.get("tenant") if isinstance(channel_data, dict) else None
    named = field(body, "conversation", "tenantId") or (
        tenant.get("id") if isinstance(tenant, dict) else None
    )
    return _lower(named)


def _message_number(value: str) -> bool:
    # ASCII digits only (str.isdigit also takes superscripts), and no longer than a 64-bit id.
    return 0 < len(value) <= 19 and value.isascii() and value.isdigit()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _lower(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip().lower() or None
