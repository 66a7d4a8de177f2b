"""A fake GOV.UK Notify: a real HTTP server that checks requests as the real service does.

It follows the public API (docs.notifications.service.gov.uk, and the official Python
client): POST /v2/notifications/sms and /v2/notifications/email with a JWT bearer token
signed HS256 with the API key's secret, `iss` the service id and `iat` within 30 seconds;
bodies checked for their required fields, a UK mobile or an email address, a known template
of the right type and every placeholder it has; 201 with the documented body, or Notify's
error body {"status_code": N, "errors": [{"error": NAME, "message": TEXT}]}.
"""

from __future__ import annotations

import re
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"inspection_ready_test-{SERVICE_ID}-{SECRET}"
SMS_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
EMAIL_TEMPLATE = "0a9e8d5c-4b3f-4e2a-9c1d-7f6e5d4c3b2a"
# The templates a council creates from docs/deploy.md.
TEMPLATES = {
    SMS_TEMPLATE: ("sms", None, "((message))\n\nAcknowledge: ((link))"),
    EMAIL_TEMPLATE: (
        "email",
        "((drill??DRILL: ))Inspection call: please acknowledge",
        "((message))\n\n((drill??This is a drill: a practice, not a real inspection.))\n\n"
        "Acknowledge here: ((link))",
    ),
}
CLOCK_SKEW_SECONDS = 30
RATE_LIMIT_PER_MINUTE = 3000

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_PLACEHOLDER = re.compile(r"\(\(([^()?]+?)(\?\?([^()]*))?\)\)")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class NotifyError(Exception):
    """An answer Notify gives instead of sending: its status, error name and message."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message

    def response(self) -> web.Response:
        return web.json_response(
            {
                "status_code": self.status,
                "errors": [{"error": self.error, "message": self.message}],
            },
            status=self.status,
        )


@dataclass
class FakeNotify:
    """Records what was sent and what was refused; `script` injects answers (429, 5xx)."""

    service_id: str = SERVICE_ID
    secret: str = SECRET
    templates: dict[str, tuple[str, str | None, str]] = field(
        default_factory=lambda: dict(TEMPLATES)
    )
    sent: list[dict[str, Any]] = field(default_factory=list)
    refused: list[tuple[int, str, str]] = field(default_factory=list)
    # Answers to give to the next requests that pass authentication, in order, before
    # answering normally: None to answer normally, or (status, error name, message).
    script: list[tuple[int, str, str] | None] = field(default_factory=list)
    attempts: int = 0
    _recent: deque[float] = field(default_factory=deque)
    _server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        return str(self._server.make_url("")).rstrip("/")

    @property
    def api_key(self) -> str:
        return f"inspection_ready_test-{self.service_id}-{self.secret}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v2/notifications/sms", self._sms)
        app.router.add_post("/v2/notifications/email", self._email)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [n for n in self.sent if n["type"] == kind]

    async def _sms(self, request: web.Request) -> web.Response:
        return await self._answer(request, "sms")

    async def _email(self, request: web.Request) -> web.Response:
        return await self._answer(request, "email")

    async def _answer(self, request: web.Request, kind: str) -> web.Response:
        self.attempts += 1
        try:
            self._authenticate(request.headers.get("Authorization"))
            self._injected()
            self._within_rate_limit()
            body = await self._body(request)
            notification = self._notification(kind, body)
        except NotifyError as error:
            self.refused.append((error.status, error.error, error.message))
            return error.response()
        self.sent.append(notification)
        return web.json_response(self._created(notification), status=201)

    def _authenticate(self, header: str | None) -> None:
        if not header:
            raise NotifyError(
                401, "AuthError", "Unauthorized: authentication token must be provided"
            )
        if not header.startswith("Bearer "):
            raise NotifyError(
                401, "AuthError", "Unauthorized: authentication bearer scheme must be used"
            )
        token = header.removeprefix("Bearer ")
        try:
            headers = jwt.get_unverified_header(token)
            claims = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise NotifyError(403, "AuthError", "Invalid token: signature") from None
        if headers.get("alg") != "HS256":
            raise NotifyError(403, "AuthError", "Invalid token: algorithm used is not HS256")
        if "iss" not in claims:
            raise NotifyError(403, "AuthError", "Invalid token: iss field not provided")
        if claims["iss"] != self.service_id:
            raise NotifyError(403, "AuthError", "Invalid token: service not found")
        try:
            jwt.decode(
                token,
                key=self.secret,
                algorithms=["HS256"],
                options={"verify_iat": False, "verify_exp": False, "verify_nbf": False},
            )
        except jwt.PyJWTError:
            raise NotifyError(
                403, "AuthError", "Invalid token: signature, api token not found"
            ) from None
        if not isinstance(claims.get("iat"), int | float):
            raise NotifyError(403, "AuthError", "Invalid token: iat field not provided")
        if abs(time.time() - float(claims["iat"])) > CLOCK_SKEW_SECONDS:
            raise NotifyError(
                403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds"
            )

    def _injected(self) -> None:
        """The next scripted answer, if the script has one."""
        if self.script and (injected := self.script.pop(0)) is not None:
            raise NotifyError(*injected)

    def _within_rate_limit(self) -> None:
        now = time.monotonic()
        while self._recent and now - self._recent[0] > 60:
            self._recent.popleft()
        if len(self._recent) >= RATE_LIMIT_PER_MINUTE:
            raise NotifyError(
                429,
                "RateLimitError",
                f"Exceeded rate limit for key type LIVE of {RATE_LIMIT_PER_MINUTE} requests "
                "per 60 seconds",
            )
        self._recent.append(now)

    async def _body(self, request: web.Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            raise NotifyError(
                400, "BadRequestError", "Invalid JSON supplied in POST data"
            ) from None
        if not isinstance(body, dict):
            raise NotifyError(400, "ValidationError", f"{body!r} is not of type object")
        return body

    def _notification(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        recipient = "phone_number" if kind == "sms" else "email_address"
        for name in (recipient, "template_id"):
            if name not in body:
                raise NotifyError(400, "ValidationError", f"{name} is a required property")
        template_id = body["template_id"]
        if not isinstance(template_id, str) or not _UUID.fullmatch(template_id):
            raise NotifyError(400, "ValidationError", "template_id is not a valid UUID")
        address = body[recipient]
        if kind == "sms":
            _check_uk_mobile(address)
        elif not isinstance(address, str) or not _EMAIL.match(address):
            raise NotifyError(400, "ValidationError", "email_address Not a valid email address")
        personalisation = body.get("personalisation", {})
        if not isinstance(personalisation, dict):
            raise NotifyError(
                400,
                "ValidationError",
                f"personalisation {personalisation!r} is not of type object",
            )
        reference = body.get("reference")
        if reference is not None and not isinstance(reference, str):
            raise NotifyError(
                400, "ValidationError", f"reference {reference!r} is not of type string"
            )
        template = self.templates.get(template_id)
        if template is None:
            raise NotifyError(400, "BadRequestError", "Template not found")
        template_type, subject, content = template
        if template_type != kind:
            raise NotifyError(
                400,
                "BadRequestError",
                f"{template_type} template is not suitable for {kind} notification",
            )
        wanted = {m.group(1).strip() for m in _PLACEHOLDER.finditer((subject or "") + content)}
        missing = sorted(wanted - set(personalisation))
        if missing:
            raise NotifyError(
                400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}"
            )
        return {
            "id": str(uuid.uuid4()),
            "type": kind,
            recipient: address,
            "template_id": template_id,
            "personalisation": personalisation,
            "reference": reference,
            "subject": _render(subject, personalisation) if subject else None,
            "body": _render(content, personalisation),
        }

    def _created(self, notification: dict[str, Any]) -> dict[str, Any]:
        base = "https://api.notifications.service.gov.uk"
        template_id = notification["template_id"]
        content: dict[str, Any] = {"body": notification["body"]}
        if notification["type"] == "sms":
            content["from_number"] = "GOVUK"
        else:
            content["subject"] = notification["subject"]
            content["from_email"] = "inspection.ready@notifications.service.gov.uk"
            content["one_click_unsubscribe_url"] = None
        return {
            "id": notification["id"],
            "reference": notification["reference"],
            "content": content,
            "uri": f"{base}/v2/notifications/{notification['id']}",
            "template": {
                "id": template_id,
                "version": 1,
                "uri": f"{base}/services/{self.service_id}/templates/{template_id}",
            },
            "scheduled_for": None,
        }


def _check_uk_mobile(number: Any) -> None:
    """Notify's own rule: after spaces, brackets and dashes and +44, 0044, 44 or 0, a UK
    mobile is 7 and nine more digits."""
    if not isinstance(number, str):
        raise NotifyError(400, "ValidationError", f"phone_number {number!r} is not of type string")
    digits = re.sub(r"[\s()\-]", "", number)
    for prefix in ("+44", "0044", "44"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    digits = digits.removeprefix("0")
    if not digits.isdigit():
        raise NotifyError(
            400, "ValidationError", "phone_number Must not contain letters or symbols"
        )
    if not digits.startswith("7"):
        raise NotifyError(400, "ValidationError", "phone_number Not a UK mobile number")
    if len(digits) != 10:
        problem = "Too many digits" if len(digits) > 10 else "Not enough digits"
        raise NotifyError(400, "ValidationError", f"phone_number {problem}")


def _render(text: str, values: dict[str, Any]) -> str:
    """A template filled in: ((name)) by its value, ((name??text)) by text when "yes"."""

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(1).strip())
        if match.group(2) is not None:
            return match.group(3) if str(value).lower() in ("yes", "true") else ""
        return str(value)

    return _PLACEHOLDER.sub(fill, text)
