"""This module turns a request body into an activity, refusing anything hostile or odd."""

from __future__ import annotations

import json
from typing import Any

from botbuilder.schema import Activity

# Teams activities nest a dozen levels at most (an Action.Execute's card data included).
# Anything deeper is not one of them, and deep nesting is how a parser's stack is attacked.
MAX_DEPTH = 32
# The invoke Teams sends for an Action.Execute press.
ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
EXECUTE = "Action.Execute"


class MalformedBodyError(ValueError):
    """A body that is not JSON we accept; the message says why, without quoting it."""


class MalformedActivityError(ValueError):
    """A JSON body that cannot be a Bot Framework activity; the message says why."""


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


def parse_activity(body: Any) -> Activity:
    """Checks the fields every inbound activity carries, then deserializes it.

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
    for name in ("text", "name", "replyToId", "action", "id"):
        if not isinstance(body.get(name), str | None):
            raise MalformedActivityError(f"{name} must be a string")
    _check_channel_data(body.get("channelData") or {})
    for name in ("membersAdded", "membersRemoved"):
        _check_accounts(name, body.get(name))
    _check_entities(body.get("entities"))
    if body.get("type") == "invoke" and body.get("name") == ADAPTIVE_CARD_ACTION:
        _check_card_action(body.get("value"))
    try:
        activity: Activity = Activity().deserialize(body)
    except Exception as exc:
        # msrest raises DeserializationError for most wrong types but plain TypeErrors and
        # AttributeErrors for some; all mean the same. Its messages repeat the values: omit.
        raise MalformedActivityError("a field has the wrong type") from exc
    return activity


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
