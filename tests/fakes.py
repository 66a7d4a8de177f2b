"""Fakes for tests: a real HTTP server standing in for the Teams connector, and activities."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

BOT_ID = "28:bot-app-id"
TENANT_ID = "tenant-0001"
# 2026-12-01 09:00 UTC in epoch milliseconds, where the fake's message ids start.
FIRST_MESSAGE_ID = 1_764_579_600_000


@dataclass
class TeamsMember:
    """A conversation member as the connector's roster API returns it."""

    user_id: str
    name: str
    aad_object_id: str
    email: str | None = None
    user_principal_name: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "name": self.name,
            "aadObjectId": self.aad_object_id,
            "email": self.email,
            "userPrincipalName": self.user_principal_name,
            "tenantId": TENANT_ID,
        }


@dataclass
class FakeConnector:
    """Records what the bot sends and answers roster look-ups, over real HTTP."""

    members: dict[str, TeamsMember] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    # Answers to give to the next sends, in order, before answering normally: None to
    # answer normally (201), an HTTP status with headers (a 2xx one is a success with that
    # status), or "hang": wait `hang_seconds`, then answer 503 without recording the
    # activity (a send that never completed).
    script: list[tuple[int, dict[str, str]] | str | None] = field(default_factory=list)
    hang_seconds: float = 2.0
    # Conversations whose user blocked the bot: every send there gets Teams' 403 with
    # subCode MessageWritesBlocked.
    blocked: set[str] = field(default_factory=set)
    attempts: int = 0
    member_lookups: list[str] = field(default_factory=list)
    _server: TestServer | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the connector first"
        return str(self._server.make_url("/")).rstrip("/") + "/"

    def add_member(self, member: TeamsMember) -> None:
        self.members[member.user_id] = member

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._send)
        app.router.add_post(
            "/v3/conversations/{conversation_id}/activities/{activity_id}", self._send
        )
        app.router.add_put(
            "/v3/conversations/{conversation_id}/activities/{activity_id}", self._update
        )
        app.router.add_get("/v3/conversations/{conversation_id}/members/{member_id}", self._member)
        self._server = TestServer(app)
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    async def _send(self, request: web.Request) -> web.Response:
        self.attempts += 1
        if request.match_info["conversation_id"] in self.blocked:
            return web.json_response(
                {
                    "error": {"code": "Forbidden", "message": "Thread is blocked by the user."},
                    "subCode": "MessageWritesBlocked",
                },
                status=403,
            )
        # Teams answers a new message with 201 Created and its id.
        status = 201
        if self.script:
            answer = self.script.pop(0)
            if answer == "hang":
                await asyncio.sleep(self.hang_seconds)
                return web.json_response({"error": {"code": "Timeout"}}, status=503)
            if isinstance(answer, tuple) and not 200 <= answer[0] < 300:
                status, headers = answer
                return web.json_response(
                    {"error": {"code": "Throttled", "message": "try later"}},
                    status=status,
                    headers=headers,
                )
            if isinstance(answer, tuple):
                status = answer[0]
        activity = await request.json()
        activity["_conversation_id"] = request.match_info["conversation_id"]
        # Teams numbers the messages of a personal chat in epoch milliseconds; read
        # receipts are compared with these ids as numbers.
        activity["_sent_id"] = str(FIRST_MESSAGE_ID + next(self._ids))
        self.sent.append(activity)
        return web.json_response({"id": activity["_sent_id"]}, status=status)

    async def _update(self, request: web.Request) -> web.Response:
        activity = await request.json()
        activity["_conversation_id"] = request.match_info["conversation_id"]
        activity["_updated_id"] = request.match_info["activity_id"]
        self.updated.append(activity)
        return web.json_response({"id": request.match_info["activity_id"]})

    async def _member(self, request: web.Request) -> web.Response:
        member_id = request.match_info["member_id"]
        self.member_lookups.append(member_id)
        member = self.members.get(member_id)
        if member is None:
            return web.json_response(
                {"error": {"code": "MemberNotFoundInConversation", "message": "not found"}},
                status=404,
            )
        return web.json_response(member.as_json())


def activity(
    activity_type: str,
    service_url: str,
    *,
    user_id: str = "29:user-alex",
    aad_object_id: str | None = "aad-alex",
    user_name: str = "Alex Wilber",
    conversation_id: str = "a:personal-alex",
    conversation_type: str = "personal",
    **fields: Any,
) -> dict[str, Any]:
    """An inbound Teams activity as the channel posts it to /api/messages."""
    sender: dict[str, Any] = {"id": user_id, "name": user_name}
    if aad_object_id:
        sender["aadObjectId"] = aad_object_id
    return {
        "type": activity_type,
        "id": f"act-{activity_type}-{conversation_id}",
        "timestamp": "2026-11-25T09:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": sender,
        "conversation": {
            "id": conversation_id,
            "conversationType": conversation_type,
            "tenantId": TENANT_ID,
        },
        "recipient": {"id": BOT_ID, "name": "Inspection Ready"},
        "channelData": {"tenant": {"id": TENANT_ID}},
        **fields,
    }


def message(service_url: str, text: str, **kwargs: Any) -> dict[str, Any]:
    """A chat message from a user."""
    return activity("message", service_url, text=text, textFormat="plain", **kwargs)


def installation(service_url: str, action: str = "add", **kwargs: Any) -> dict[str, Any]:
    """The installationUpdate Teams sends when the app is added or removed."""
    return activity("installationUpdate", service_url, action=action, **kwargs)


def bot_added(service_url: str, **kwargs: Any) -> dict[str, Any]:
    """The conversationUpdate Teams sends alongside an install."""
    return activity(
        "conversationUpdate",
        service_url,
        membersAdded=[{"id": BOT_ID}],
        **kwargs,
    )


def bot_removed(service_url: str, **kwargs: Any) -> dict[str, Any]:
    """The conversationUpdate Teams sends alongside an uninstall."""
    return activity(
        "conversationUpdate",
        service_url,
        membersRemoved=[{"id": BOT_ID}],
        **kwargs,
    )
