"""This module contains the edge's own types: what arrives from Teams, and what is sent back.

Everything outside teams/ works on these, never on an SDK's classes, so the bot runs the
same on botbuilder and on the Microsoft 365 Agents SDK.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Protocol

# HTTP answers worth trying again: Teams' throttling, precondition races and server errors.
RETRYABLE_STATUS = frozenset({412, 429, 500, 502, 503, 504})


class ConversationKind(StrEnum):
    """The Teams scope a conversation lives in."""

    PERSONAL = "personal"
    GROUP_CHAT = "groupChat"
    CHANNEL = "channel"


@dataclass(frozen=True, slots=True)
class StoredReference:
    """Where to reach a conversation again, as the service stores it (not an SDK's object)."""

    service_url: str
    conversation_id: str
    conversation_kind: ConversationKind = ConversationKind.PERSONAL
    channel_id: str = "msteams"
    tenant_id: str | None = None
    user_id: str | None = None
    user_aad_object_id: str | None = None
    user_name: str | None = None
    bot_id: str | None = None
    bot_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values, for the database."""
        return {**asdict(self), "conversation_kind": self.conversation_kind.value}

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> StoredReference:
        """A reference `to_dict` wrote.

        Raises:
            ValueError: `stored` lacks the service URL or the conversation id.
        """
        if not stored.get("service_url") or not stored.get("conversation_id"):
            raise ValueError("a stored reference needs a service URL and a conversation id")
        names = {name for name in cls.__dataclass_fields__}
        values = {name: value for name, value in stored.items() if name in names}
        values["conversation_kind"] = ConversationKind(
            stored.get("conversation_kind") or ConversationKind.PERSONAL
        )
        return cls(**values)


@dataclass(frozen=True, slots=True)
class TeamsUser:
    """Who sent an activity, as Teams describes them, and the tenant it came from."""

    user_id: str
    aad_object_id: str | None = None
    name: str | None = None
    tenant_id: str | None = None


class TurnKind(StrEnum):
    """What an inbound activity asks of the bot."""

    MESSAGE = "message"
    # A card button: Action.Submit arrives as a message with data, Action.Execute as an
    # invoke that must be answered in the HTTP response.
    CARD_SUBMIT = "card_submit"
    CARD_EXECUTE = "card_execute"
    INSTALLED = "installed"
    UNINSTALLED = "uninstalled"
    # Teams' read receipt in a personal chat: the person has read up to a message.
    READ_RECEIPT = "read_receipt"
    # Anything else (typing, reactions, other events and invokes): nothing to do.
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class InboundTurn:
    """One activity from Teams, as the bot needs it."""

    kind: TurnKind
    user: TeamsUser
    reference: StoredReference
    activity_id: str | None = None
    # The message text with the bot's own @mention taken out.
    text: str = ""
    # The pressed card's data (Action.Submit) or the Execute verb's data with its verb.
    card_data: dict[str, Any] = field(default_factory=dict)
    # For Action.Submit: the card that was pressed, to be updated in place.
    reply_to_id: str | None = None
    # For invokes: their name (adaptiveCard/action for Action.Execute).
    invoke_name: str | None = None

    @property
    def personal(self) -> bool:
        """Whether this is a 1:1 chat, the only place personal data is shown."""
        return self.reference.conversation_kind is ConversationKind.PERSONAL

    @property
    def is_invoke(self) -> bool:
        """Whether the HTTP response must carry an answer (an invoke)."""
        return self.invoke_name is not None


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """A message to send: text, an Adaptive Card, or both (the text then summarises it)."""

    text: str | None = None
    card: dict[str, Any] | None = None
    # Shown as important in Teams (the inspection call).
    important: bool = False
    # What Teams shows for a card in the notification and the chat list.
    summary: str | None = None

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> OutboundMessage:
        """A rendered outbox payload ({"text", "card", "important"})."""
        return cls.of(payload.get("text"), payload.get("card"), bool(payload.get("important")))

    @classmethod
    def of(
        cls, text: str | None, card: dict[str, Any] | None, important: bool = False
    ) -> OutboundMessage:
        """Text, or a card with the text as its summary.

        Not both as one message: Teams clients show the two as separate messages (the
        card's words said twice), and the Teams test client then gives the card no id, so
        it could not be updated in place (the inspection call's live status card).
        """
        if card is not None:
            return cls(card=card, important=important, summary=text)
        return cls(text=text, important=important)


@dataclass(frozen=True, slots=True)
class InvokeAnswer:
    """What an Action.Execute press is answered with: a card that replaces it, or a message."""

    card: dict[str, Any] | None = None
    text: str | None = None
    status: int = 200

    def body(self) -> dict[str, Any]:
        """The invoke response body Teams expects for Action.Execute."""
        if self.card is not None:
            return {
                "statusCode": self.status,
                "type": "application/vnd.microsoft.card.adaptive",
                "value": self.card,
            }
        return {
            "statusCode": self.status,
            "type": "application/vnd.microsoft.activity.message",
            "value": self.text or "",
        }


class Outcome(StrEnum):
    """What one attempt to send achieved."""

    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """One attempt: the HTTP status Teams answered, Retry-After, and the new message's id."""

    outcome: Outcome
    code: int | None = None
    retry_after: float | None = None
    error: str | None = None
    activity_id: str | None = None

    @classmethod
    def from_status(
        cls, code: int, retry_after: float | None = None, activity_id: str | None = None
    ) -> DeliveryResult:
        """The result for an HTTP answer."""
        if 200 <= code < 300:
            return cls(Outcome.SENT, code, activity_id=activity_id)
        outcome = Outcome.RETRY if code in RETRYABLE_STATUS else Outcome.FAILED
        return cls(outcome, code, retry_after, f"HTTP {code}")


class Delivery(Protocol):
    """Sends to a conversation: the one way out, for turn replies and the outbox alike."""

    async def send(
        self, to: StoredReference, message: OutboundMessage, *, reply_to: str | None = None
    ) -> DeliveryResult: ...

    async def update(
        self, to: StoredReference, activity_id: str, message: OutboundMessage
    ) -> DeliveryResult: ...


@dataclass(frozen=True, slots=True)
class Member:
    """A conversation member as Teams' roster API returns them."""

    user_principal_name: str | None = None
    email: str | None = None
    tenant_id: str | None = None
    user_role: str | None = None

    @property
    def addresses(self) -> list[str]:
        """The addresses to match on, the verified one (UPN) first."""
        return [a for a in (self.user_principal_name, self.email) if a]


class MemberDirectory(Protocol):
    """Looks up a member of a conversation; None when Teams does not say."""

    async def member(self, where: StoredReference, user_id: str) -> Member | None: ...


@dataclass(frozen=True, slots=True)
class Credentials:
    """The bot's registration, from the MicrosoftApp* settings; empty app_id: no auth."""

    app_id: str = ""
    password: str = field(default="", repr=False)
    app_type: str = "MultiTenant"
    tenant_id: str = ""


# Microsoft's own addresses; a test points both settings at fakes instead.
GRAPH_URL = "https://graph.microsoft.com/v1.0"
LOGIN_URL = "https://login.microsoftonline.com"


@dataclass(frozen=True, slots=True)
class GraphConfig:
    """How the app installs itself for people through Microsoft Graph.

    `catalog_app_id` is the app's id in the tenant's app catalogue (not the manifest id);
    the client credentials are those of the app registration the manifest's
    webApplicationInfo names, which Microsoft requires for TeamsAppInstallation.*Self*.
    """

    catalog_app_id: str
    client_id: str
    client_secret: str = field(repr=False)
    tenant_id: str
    graph_url: str = GRAPH_URL
    login_url: str = LOGIN_URL


class AuthenticationFailedError(Exception):
    """The request's token is missing, malformed or not valid for this bot."""


class MalformedActivityError(ValueError):
    """A JSON body that cannot be a Bot Framework activity; the message says why."""


TurnHandler = Callable[[InboundTurn], Awaitable[InvokeAnswer | None]]


class Edge(Protocol):
    """One SDK behind the service: authenticates requests, runs turns, sends."""

    @property
    def name(self) -> str:
        """The SDK's name, as /readyz reports it."""
        ...

    @property
    def delivery(self) -> Delivery:
        """How to send, for turn replies and the outbox alike."""
        ...

    @property
    def directory(self) -> MemberDirectory:
        """How to look up a conversation's members."""
        ...

    async def authenticate(self, body: dict[str, Any], authorization: str) -> object:
        """The request's verified identity (opaque to callers).

        Raises:
            AuthenticationFailedError: the token is not valid for this bot.
            MalformedActivityError: the SDK cannot read the activity.
        """
        ...

    async def run(
        self, identity: object, body: dict[str, Any], turn: InboundTurn, handler: TurnHandler
    ) -> tuple[int, Any] | None:
        """Runs one turn through the SDK's adapter; an invoke's HTTP status and body."""
        ...

    async def close(self) -> None:
        """Releases connections."""
        ...
