"""Agents Playground e2e client; mock users/chats: M365_AGENTS_PLAYGROUND_CONFIG_PATH (below)."""

# Notes for test authors (all verified against @microsoft/m365agentsplayground 0.2.28).
#
# Endpoints used by the playground's own web client (and by this module):
#   GET  /_internal/v1/config        {"config": {...}, "internalConfig": {...}}; first waits
#                                    (wait-on, max 15 s) until the bot endpoint answers at all.
#   GET  /_internal/v1/testConfig    same payload, answers at once (used for readiness).
#   POST /_debug/conversation/{chatId}/installation  body {} (the web client sends
#        {"directLineConversationId": <undefined>}). 200 with an empty body, then, in
#        the background, the bot gets an `installationUpdate` (action "add") and a
#        `conversationUpdate` with membersAdded ([current user, bot] in the personal chat,
#        [bot] in the group chat and team). Unknown chat id: 404 (an HTML page).
#   POST /_conversation/v1/conversations/{chatId}/messages
#        {"from": {"id": ...}, "text": ..., "textFormat": "plain"|"markdown"|"xml",
#         "mentions": [{"mentioned": {"id": ..., "name": ...}, "text": "<at>Name</at>"}]}
#        -> {"messageId": ..., "timestamp": ...[, "postConversationId": ...]}.
#        from.id is only validated (it must be a member of the chat); the activity the bot
#        gets always has from = config.currentUser.  In group chats and channels the bot
#        only gets the message when it is @mentioned (see `send_text(mention_bot=True)`);
#        a channel message starts a new thread: the bot sees conversation.id
#        "<channelId>;messageid=<messageId>" (= postConversationId).
#   POST /_conversation/v1/submit    Adaptive Card Action.Submit:
#        {"conversation": {"id": chatId}, "from": {"id": userId}, "replyToId": <playground
#         message id of the card>, "value": {...action data...}} -> 200, empty body; the bot
#        then gets a `message` with `value` (no text), replyToId and
#        channelData.source.name == "message".
#   POST /_conversation/v1/invoke    Adaptive Card Action.Execute (Universal Actions):
#        {"name": "adaptiveCard/action", "conversation": {"id": chatId},
#         "from": {"id": userId}, "replyToId": <card message id>,
#         "value": {"action": {"type": "Action.Execute", "title": ..., "verb": ...,
#                              "data": {...}}}}
#        -> 200 {"type": ..., "value": ...} taken from the bot's invoke response body
#        (the bot gets an `invoke` activity named "adaptiveCard/action"); a bot error gives
#        502 {"code": "UserBotError", ...}. Unlike submit, from.id is used as the sender.
#        Also accepts the message-extension invoke names (composeExtension/query, ...).
#   GET  /_internal/v1/customActivities/template?conversationId=..[&type=install|uninstall|
#        userAdded|userRemoved|botAdded|botRemoved|channelCreated|...] -> activity template.
#   POST /_internal/v1/customActivities  any activity JSON, posted to the bot as is (the way
#        to send a message "from" another mock user).
#   /_connector/v3/...  the mock Bot Connector (the serviceUrl in the activities is
#        http://localhost:<port>/_connector). GET /v3/conversations/{id}/members/{userId}
#        (TeamsInfo.get_member) returns {"id", "aadObjectId", "name", "givenName", "surname",
#        "email", "userPrincipalName", "tenantId", "userRole": "user"} or 404
#        {"error": {"code": "MemberNotFoundInConversation", ...}}.
#
# Websockets (a message is one JSON object per text frame):
#   /_ws/log/stream  {"logAction": "appendLog", "log": item}. item["type"] is "text" (a
#        notice: {"displayText", "level"?}) or "bot" (one HTTP exchange): {"id",
#        "conversationId", "timestamp", "activityName", "messageId", "from", "to",
#        "request": {"body": activity}, "response": {"statusCode", "body"}, "displayText"}.
#        from == "User Application" marks what the bot sent to the mock connector (body is
#        the activity exactly as the bot posted it; response.body is {"id": <playground
#        message id>} when the playground created exactly one message, status 201).
#        from == "Microsoft 365 Agents Playground" marks what the playground posted to the
#        bot (response is the bot's HTTP answer). Connector GETs (getConversationMember...)
#        are "bot" items without a request body.
#   /_ws_conversation/v1/conversations/stream  what the chat UI renders:
#        {"action": "createMessage"|"updateMessage", "actionConversationId": chatId,
#         "message": {"messageId", "timestamp", "from": {"id"}, "text", "textFormat",
#                     "attachments": [{"contentType", "content"}], "attachmentLayout",
#                     "mentions", "directLineConversationId", ...}}
#        or {"action": "typing", "actionConversationId": ...}.
#   Adaptive cards appear as attachments {"contentType":
#   "application/vnd.microsoft.card.adaptive", "content": {card json}}. A bot activity with
#   text AND attachments is split by the playground into one UI message per part; the
#   connector then answers 202 without an id, so use the messageId from the conversation
#   stream (`PlaygroundStream.wait_for_message`) as replyToId for card actions.
#   Both sockets buffer frames while no client is connected and flush them to the next
#   client that connects: open the stream before acting, and use `since=` for repeats.
#
# Config file: M365_AGENTS_PLAYGROUND_CONFIG_PATH (else ./.m365agentsplayground.yml, else the
# legacy ./.teamsapptesttool.yml in the cwd, else built-in defaults) names a YAML file (JSON
# works: it is YAML) validated against schema 0.1.1, e.g.
#   version: "0.1.1"
#   tenantId: ...
#   bot: {id: ..., name: ...}          # name <= 42 chars
#   currentUser: {id, name, userPrincipleName, aadObjectId, givenName, surname, email}
#   users: [exactly 5 users with the same 7 keys]   # note the "userPrincipleName" spelling
#   personalChat: {id: ...}
#   groupChat: {id: ..., name: ...}
#   team: {id: ..., name: ..., aadGroupId: ..., channels: [at most 1 {id, name}]}
# No other keys are allowed; ids must be unique. A bad file makes the playground log the
# reason and exit 1 (just after it starts listening). `--conversation-id` only sets the
# personal chat id of the built-in config. M365_AGENTS_PLAYGROUND_LOGFILE moves the log file
# (default ./devTools/m365agentsplayground.log, deleted at each start), which is where the
# console output goes when stdout is not a TTY; stdout then only gets "Listening on <port>".
# If the requested port is taken the playground silently picks a random one.

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiohttp

JSONDict = dict[str, Any]
Predicate = Callable[[JSONDict], bool]

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_USER_ID = "user-id-0"
ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
BOT_APP_LABEL = "User Application"
PLAYGROUND_LABEL = "Microsoft 365 Agents Playground"
LOG_STREAM_PATH = "/_ws/log/stream"
CONVERSATION_STREAM_PATH = "/_ws_conversation/v1/conversations/stream"

_LISTENING_RE = re.compile(r"Listening on (\d+)")
_POLL_INTERVAL = 0.2
_WS_MAX_MSG_SIZE = 64 * 1024 * 1024


class PlaygroundError(RuntimeError):
    """The playground failed to start or answered an HTTP call with an error."""


class PlaygroundTimeout(AssertionError, TimeoutError):
    """No matching activity or message arrived in time (message lists what did)."""


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def adaptive_cards(activity: Mapping[str, Any]) -> list[JSONDict]:
    """Return the contents of the adaptive-card attachments of an activity or UI message."""
    attachments = activity.get("attachments") or []
    return [
        att["content"]
        for att in attachments
        if isinstance(att, dict)
        and str(att.get("contentType", "")).lower() == ADAPTIVE_CARD_CONTENT_TYPE
        and isinstance(att.get("content"), dict)
    ]


def has_adaptive_card(activity: Mapping[str, Any]) -> bool:
    """Predicate: the activity or UI message carries at least one adaptive card."""
    return bool(adaptive_cards(activity))


def text_is(text: str) -> Predicate:
    """Predicate factory: the activity's text equals `text`."""
    return lambda activity: activity.get("text") == text


def text_contains(fragment: str) -> Predicate:
    """Predicate factory: the activity's text contains `fragment`."""
    return lambda activity: fragment in str(activity.get("text") or "")


class PlaygroundProcess:
    """Run `npx agentsplayground start` as an async context manager."""

    def __init__(
        self,
        bot_endpoint: str,
        *,
        port: int | None = None,
        config_path: str | os.PathLike[str] | None = None,
        conversation_id: str | None = None,
        channel_id: str = "msteams",
        cwd: str | os.PathLike[str] | None = None,
        extra_args: Sequence[str] = (),
        startup_timeout: float = 60.0,
        stop_timeout: float = 10.0,
    ) -> None:
        self.bot_endpoint = bot_endpoint
        self.requested_port = port if port is not None else free_port()
        self.config_path = Path(config_path).resolve() if config_path is not None else None
        self.conversation_id = conversation_id
        self.channel_id = channel_id
        self.cwd = Path(cwd) if cwd is not None else REPO_ROOT
        self.extra_args = tuple(extra_args)
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.port: int | None = None
        self._proc: asyncio.subprocess.Process | None = None
        self._workdir: Path | None = None
        self._final_output: str | None = None

    @property
    def base_url(self) -> str:
        """Base URL of the running playground, e.g. http://127.0.0.1:56250."""
        if self.port is None:
            raise PlaygroundError("the playground is not running")
        return f"http://127.0.0.1:{self.port}"

    @property
    def service_url(self) -> str:
        """The serviceUrl the playground puts in activities (its mock connector)."""
        return self.base_url.replace("127.0.0.1", "localhost", 1) + "/_connector"

    @property
    def pid(self) -> int | None:
        """Process id (and process group id) of the `npx` process, if started."""
        return self._proc.pid if self._proc is not None else None

    @property
    def stdout_path(self) -> Path | None:
        """File holding the process's stdout and stderr while it runs."""
        return self._workdir / "stdout.txt" if self._workdir is not None else None

    @property
    def log_path(self) -> Path | None:
        """The playground's own log file (M365_AGENTS_PLAYGROUND_LOGFILE) while it runs."""
        return self._workdir / "playground.log" if self._workdir is not None else None

    def command(self) -> list[str]:
        """The command line used to start the playground."""
        npx = shutil.which("npx")
        if npx is None:
            raise PlaygroundError("npx not found on PATH")
        cmd = [
            npx,
            "--no",
            "agentsplayground",
            "start",
            "-e",
            self.bot_endpoint,
            "-c",
            self.channel_id,
            "--disable-telemetry",
            "-p",
            str(self.requested_port),
        ]
        if self.conversation_id is not None:
            cmd += ["--conversation-id", self.conversation_id]
        return cmd + list(self.extra_args)

    def output(self, max_chars: int | None = 20_000) -> str:
        """Return the process's stdout/stderr and its log file (tail of `max_chars`)."""
        text = self._final_output if self._final_output is not None else self._read_output()
        if max_chars is not None and len(text) > max_chars:
            text = "...\n" + text[-max_chars:]
        return text

    def _read_output(self) -> str:
        parts: list[str] = []
        for title, path in (("stdout/stderr", self.stdout_path), ("log", self.log_path)):
            content = ""
            if path is not None and path.exists():
                content = path.read_text(encoding="utf-8", errors="replace")
            parts.append(f"----- playground {title} -----\n{content}")
        return "\n".join(parts)

    async def start(self) -> None:
        """Start the playground and wait until its HTTP API answers."""
        if self._proc is not None:
            raise PlaygroundError("already started")
        if self.config_path is not None and not self.config_path.is_file():
            raise FileNotFoundError(f"playground config file not found: {self.config_path}")
        self._final_output = None
        self._workdir = Path(tempfile.mkdtemp(prefix="agentsplayground-"))
        env = dict(os.environ)
        env["TEAMSAPPTESTER_BROWSER"] = "none"
        env["M365_AGENTS_PLAYGROUND_LOGFILE"] = str(self.log_path)
        if self.config_path is not None:
            env["M365_AGENTS_PLAYGROUND_CONFIG_PATH"] = str(self.config_path)
        assert self.stdout_path is not None
        with self.stdout_path.open("wb") as out:
            self._proc = await asyncio.create_subprocess_exec(
                *self.command(),
                cwd=self.cwd,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            await self._wait_ready()
        except BaseException:
            await self.stop()
            raise

    async def _wait_ready(self) -> None:
        assert self._proc is not None
        assert self.stdout_path is not None
        deadline = time.monotonic() + self.startup_timeout
        async with aiohttp.ClientSession() as session:
            while True:
                if self._proc.returncode is not None:
                    raise PlaygroundError(
                        f"playground exited with code {self._proc.returncode} during startup\n"
                        + self.output()
                    )
                if self.port is None:
                    match = _LISTENING_RE.search(
                        self.stdout_path.read_text(encoding="utf-8", errors="replace")
                    )
                    if match:
                        self.port = int(match.group(1))
                if self.port is not None and await self._answers(session):
                    return
                if time.monotonic() >= deadline:
                    raise PlaygroundError(
                        f"playground did not answer within {self.startup_timeout} s\n"
                        + self.output()
                    )
                await asyncio.sleep(_POLL_INTERVAL)

    async def _answers(self, session: aiohttp.ClientSession) -> bool:
        url = f"{self.base_url}/_internal/v1/testConfig"
        try:
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=5)) as resp:
                if resp.status != 200:
                    return False
                body = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError):
            return False
        return isinstance(body, dict) and "config" in body

    async def stop(self) -> None:
        """Terminate the process group (SIGTERM, then SIGKILL after `stop_timeout`)."""
        proc = self._proc
        if proc is not None:
            pgid = proc.pid
            if proc.returncode is None:
                _signal_group(pgid, signal.SIGTERM)
                try:
                    await asyncio.wait_for(proc.wait(), self.stop_timeout)
                except TimeoutError:
                    _signal_group(pgid, signal.SIGKILL)
                    await proc.wait()
            if not await _group_gone(pgid, self.stop_timeout):
                _signal_group(pgid, signal.SIGKILL)
                await _group_gone(pgid, self.stop_timeout)
            self._proc = None
        if self._workdir is not None:
            self._final_output = self._read_output()
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None
        self.port = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


async def _group_gone(pgid: int, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while True:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(_POLL_INTERVAL)


class PlaygroundClient:
    """Talk to a running playground over HTTP the way its web client does."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self._bot: JSONDict | None = None

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, str] | None = None,
        http_timeout: float = 30.0,
    ) -> Any:
        url = self.base_url + path
        async with self.session.request(
            method,
            url,
            json=json_body,
            params=params,
            timeout=aiohttp.ClientTimeout(total=http_timeout),
        ) as resp:
            text = await resp.text()
            if resp.status >= 400:
                raise PlaygroundError(f"{method} {path} -> HTTP {resp.status}: {text[:2000]}")
        if not text.strip():
            return None
        try:
            return json.loads(text)
        except ValueError:
            return text

    async def config(self, *, wait_for_bot: bool = True) -> JSONDict:
        """GET /_internal/v1/config ({"config": {...}, "internalConfig": {...}}).

        With wait_for_bot (what the web client does) the playground first waits, up to
        15 s, for the bot endpoint to answer; otherwise /_internal/v1/testConfig is used.
        """
        path = "/_internal/v1/config" if wait_for_bot else "/_internal/v1/testConfig"
        body = await self._request("GET", path, http_timeout=60.0)
        if not isinstance(body, dict):
            raise PlaygroundError(f"unexpected config answer: {body!r}")
        return body

    async def bot_account(self) -> JSONDict:
        """The mock bot account ({"id", "name", ...}) from the config (cached)."""
        if self._bot is None:
            body = await self.config(wait_for_bot=False)
            self._bot = dict(body["config"]["bot"])
        return self._bot

    async def install(self, chat_id: str) -> None:
        """Install the app in a chat/team: the bot gets installationUpdate + conversationUpdate."""
        await self._request("POST", f"/_debug/conversation/{chat_id}/installation", json_body={})

    async def send_text(
        self,
        chat_id: str,
        user_id: str,
        text: str,
        *,
        text_format: str = "plain",
        mention_bot: bool = False,
        mentions: Sequence[Mapping[str, Any]] = (),
    ) -> JSONDict:
        """Post a user message; returns {"messageId", "timestamp"[, "postConversationId"]}.

        mention_bot prefixes "<at>{bot name}</at> " and adds the mention, which group chats
        and channels require before the bot gets the message.
        """
        all_mentions = [dict(m) for m in mentions]
        if mention_bot:
            bot = await self.bot_account()
            tag = f"<at>{bot['name']}</at>"
            text = f"{tag} {text}"
            mentioned = {"id": bot["id"], "name": bot["name"]}
            all_mentions.insert(0, {"mentioned": mentioned, "text": tag})
        body: JSONDict = {"from": {"id": user_id}, "text": text, "textFormat": text_format}
        if all_mentions:
            body["mentions"] = all_mentions
        result = await self._request(
            "POST", f"/_conversation/v1/conversations/{chat_id}/messages", json_body=body
        )
        return result if isinstance(result, dict) else {}

    async def submit_card(
        self, chat_id: str, user_id: str, reply_to_id: str, value: Mapping[str, Any]
    ) -> None:
        """Adaptive Card Action.Submit: the bot gets a message activity with `value`."""
        body = {
            "conversation": {"id": chat_id},
            "from": {"id": user_id},
            "replyToId": reply_to_id,
            "value": dict(value),
        }
        await self._request("POST", "/_conversation/v1/submit", json_body=body)

    async def execute_card_action(
        self,
        chat_id: str,
        user_id: str,
        reply_to_id: str,
        verb: str,
        data: Mapping[str, Any] | None = None,
        *,
        title: str | None = None,
        http_timeout: float = 30.0,
    ) -> JSONDict:
        """Adaptive Card Action.Execute (invoke adaptiveCard/action).

        Returns the bot's invoke response as the playground relays it: {"type", "value"}.
        """
        action: JSONDict = {"type": "Action.Execute", "verb": verb, "data": dict(data or {})}
        if title is not None:
            action["title"] = title
        body = {
            "name": "adaptiveCard/action",
            "conversation": {"id": chat_id},
            "from": {"id": user_id},
            "replyToId": reply_to_id,
            "value": {"action": action},
        }
        return await self.invoke(body, http_timeout=http_timeout)

    async def invoke(self, body: Mapping[str, Any], *, http_timeout: float = 30.0) -> JSONDict:
        """POST a raw invoke request to /_conversation/v1/invoke and return the answer."""
        result = await self._request(
            "POST", "/_conversation/v1/invoke", json_body=dict(body), http_timeout=http_timeout
        )
        return result if isinstance(result, dict) else {}

    async def custom_activity_template(
        self, chat_id: str, template_type: str | None = None
    ) -> JSONDict:
        """An activity template for a chat (type e.g. "install", "uninstall", "userAdded")."""
        params = {"conversationId": chat_id}
        if template_type is not None:
            params["type"] = template_type
        result = await self._request(
            "GET", "/_internal/v1/customActivities/template", params=params
        )
        if not isinstance(result, dict):
            raise PlaygroundError(f"unexpected template answer: {result!r}")
        return result

    async def send_custom_activity(self, activity: Mapping[str, Any]) -> None:
        """Post an arbitrary activity to the bot (sent in the background, as is)."""
        await self._request("POST", "/_internal/v1/customActivities", json_body=dict(activity))

    def stream(self) -> PlaygroundStream:
        """A websocket listener (async context manager) collecting what the bot sends."""
        return PlaygroundStream(self.base_url, self.session)


class PlaygroundStream:
    """Listen on the playground's websockets and collect bot activities and UI messages.

    activities: activities the bot posted to the mock connector (as sent; "id" is set to
        the playground's message id when it returned one).
    incoming:   activities the playground posted to the bot.
    messages:   createMessage/updateMessage payloads of the conversation stream, each with
        "action" and "conversationId" added ("messageId" is the replyToId for card actions).
    log_items:  every raw log item (including text notices and connector GET calls).
    """

    def __init__(self, base_url: str, session: aiohttp.ClientSession) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.activities: list[JSONDict] = []
        self.incoming: list[JSONDict] = []
        self.messages: list[JSONDict] = []
        self.log_items: list[JSONDict] = []
        self._cond = asyncio.Condition()
        self._sockets: list[aiohttp.ClientWebSocketResponse] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._closed_streams: list[str] = []

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def connect(self) -> None:
        """Open both websockets and start collecting."""
        try:
            for path, handler in (
                (LOG_STREAM_PATH, self._on_log_frame),
                (CONVERSATION_STREAM_PATH, self._on_conversation_frame),
            ):
                ws = await self.session.ws_connect(
                    self.base_url + path, max_msg_size=_WS_MAX_MSG_SIZE
                )
                self._sockets.append(ws)
                self._tasks.append(asyncio.create_task(self._read(path, ws, handler)))
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        """Close the websockets and stop the reader tasks."""
        for ws in self._sockets:
            await ws.close()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._sockets.clear()
        self._tasks.clear()

    async def _read(
        self,
        path: str,
        ws: aiohttp.ClientWebSocketResponse,
        handler: Callable[[JSONDict], None],
    ) -> None:
        try:
            async for msg in ws:
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    continue
                try:
                    frame = json.loads(msg.data)
                except ValueError:
                    continue
                if isinstance(frame, dict):
                    async with self._cond:
                        handler(frame)
                        self._cond.notify_all()
        finally:
            async with self._cond:
                self._closed_streams.append(path)
                self._cond.notify_all()

    def _on_log_frame(self, frame: JSONDict) -> None:
        item = frame.get("log")
        if frame.get("logAction") != "appendLog" or not isinstance(item, dict):
            return
        self.log_items.append(item)
        if item.get("type") != "bot":
            return
        request = item.get("request")
        activity = request.get("body") if isinstance(request, dict) else None
        if not isinstance(activity, dict) or "type" not in activity:
            return
        if item.get("from") == BOT_APP_LABEL:
            response = item.get("response")
            body = response.get("body") if isinstance(response, dict) else None
            if isinstance(body, dict) and isinstance(body.get("id"), str):
                activity.setdefault("id", body["id"])
            self.activities.append(activity)
        elif item.get("from") == PLAYGROUND_LABEL:
            self.incoming.append(activity)

    def _on_conversation_frame(self, frame: JSONDict) -> None:
        message = frame.get("message")
        if frame.get("action") in ("createMessage", "updateMessage") and isinstance(message, dict):
            self.messages.append(
                {
                    **message,
                    "action": frame["action"],
                    "conversationId": frame.get("actionConversationId"),
                }
            )

    def clear(self) -> None:
        """Forget everything collected so far."""
        self.activities.clear()
        self.incoming.clear()
        self.messages.clear()
        self.log_items.clear()

    async def wait_for(
        self,
        predicate: Predicate,
        timeout: float = 15.0,  # noqa: ASYNC109 - the per-call deadline is the point
        *,
        since: int = 0,
    ) -> JSONDict:
        """First bot-sent activity (from index `since`) matching `predicate`.

        A predicate raising KeyError/IndexError/TypeError/AttributeError counts as no
        match. Raises PlaygroundTimeout (an AssertionError) listing what arrived.
        """
        return await self._wait(self.activities, predicate, timeout, since, "bot activity")

    async def wait_for_message(
        self,
        predicate: Predicate,
        timeout: float = 15.0,  # noqa: ASYNC109 - the per-call deadline is the point
        *,
        since: int = 0,
    ) -> JSONDict:
        """First conversation-stream message (from index `since`) matching `predicate`."""
        return await self._wait(self.messages, predicate, timeout, since, "UI message")

    async def wait_for_incoming(
        self,
        predicate: Predicate,
        timeout: float = 15.0,  # noqa: ASYNC109 - the per-call deadline is the point
        *,
        since: int = 0,
    ) -> JSONDict:
        """First activity posted to the bot (from index `since`) matching `predicate`."""
        return await self._wait(self.incoming, predicate, timeout, since, "incoming activity")

    async def _wait(
        self,
        items: list[JSONDict],
        predicate: Predicate,
        seconds: float,
        since: int,
        what: str,
    ) -> JSONDict:
        def find() -> JSONDict | None:
            for item in items[since:]:
                try:
                    if predicate(item):
                        return item
                except (KeyError, IndexError, TypeError, AttributeError):
                    continue
            return None

        async with self._cond:
            try:
                async with asyncio.timeout(seconds):
                    while (found := find()) is None:
                        if self._closed_streams:
                            raise PlaygroundTimeout(
                                f"websocket {self._closed_streams} closed before a matching"
                                f" {what} arrived\n{self.describe()}"
                            )
                        await self._cond.wait()
            except TimeoutError as exc:
                if isinstance(exc, PlaygroundTimeout):
                    raise
                raise PlaygroundTimeout(
                    f"no matching {what} within {seconds} s\n{self.describe()}"
                ) from None
        return found

    def describe(self, max_items: int = 30) -> str:
        """A readable summary of what was collected, for assertion messages."""
        lines = [f"bot activities ({len(self.activities)}):"]
        lines += [f"  {_summarize(a)}" for a in self.activities[-max_items:]]
        lines.append(f"activities posted to the bot ({len(self.incoming)}):")
        lines += [f"  {_summarize(a)}" for a in self.incoming[-max_items:]]
        problems = [
            item
            for item in self.log_items
            if item.get("level") in ("warning", "error") or _status(item) >= 400
        ]
        lines.append(f"warnings and HTTP errors ({len(problems)}):")
        for item in problems[-max_items:]:
            if item.get("type") == "bot":
                response = item.get("response")
                body = response.get("body") if isinstance(response, dict) else None
                lines.append(
                    f"  {item.get('from')} -> {item.get('to')} {item.get('activityName')}:"
                    f" HTTP {_status(item)} {_short(json.dumps(body))}"
                )
            else:
                lines.append(f"  [{item.get('level')}] {item.get('displayText')}")
        return "\n".join(lines)


def _status(item: Mapping[str, Any]) -> int:
    response = item.get("response")
    status = response.get("statusCode") if isinstance(response, dict) else None
    return status if isinstance(status, int) else 0


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _summarize(activity: Mapping[str, Any]) -> str:
    parts = [str(activity.get("type"))]
    if activity.get("name"):
        parts.append(f"name={activity['name']!r}")
    if activity.get("text") is not None:
        parts.append(f"text={_short(str(activity['text']), 120)!r}")
    attachments = activity.get("attachments") or []
    if attachments:
        kinds = [str(a.get("contentType")) for a in attachments if isinstance(a, dict)]
        parts.append(f"attachments={kinds}")
    if activity.get("value") is not None:
        parts.append(f"value={_short(json.dumps(activity['value']), 120)}")
    conversation = activity.get("conversation")
    if isinstance(conversation, dict):
        parts.append(f"conversation={conversation.get('id')}")
    return " ".join(parts)
