"""GOV.UK Notify's official client against the fake, which checks it as the real service does."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import jwt
import pytest
from aiohttp import ClientSession

from notifications.gov_notify import GovNotify
from notifications.limiter import RateLimiter
from teams.types import Outcome
from tests.fake_notify import EMAIL_TEMPLATE, SECRET, SERVICE_ID, SMS_TEMPLATE, FakeNotify

PERSONALISATION = {
    "message": "DRILL: Inspection call: ILACS short inspection",
    "drill": "yes",
    "link": "https://ir.example.gov.uk/ack/token",
}
OTHER_UUID = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
async def client(notify: FakeNotify) -> AsyncIterator[GovNotify]:
    gov_notify = GovNotify(notify.api_key, notify.url, limiter=RateLimiter(1000), threads=2)
    yield gov_notify
    await gov_notify.close()


async def test_an_sms_and_an_email_are_sent_with_a_signed_token(
    notify: FakeNotify, client: GovNotify
) -> None:
    sms = await client.send_sms("07700 900123", SMS_TEMPLATE, PERSONALISATION, "call-1-5")
    email = await client.send_email(
        "adelev@example.com", EMAIL_TEMPLATE, PERSONALISATION, "call-1-6"
    )

    assert (sms.outcome, sms.code, email.outcome, email.code) == (
        Outcome.SENT,
        201,
        Outcome.SENT,
        201,
    )
    texted, mailed = notify.sent
    assert sms.activity_id == texted["id"]
    assert texted["phone_number"] == "07700 900123"
    assert texted["reference"] == "call-1-5"
    assert texted["body"] == (
        "DRILL: Inspection call: ILACS short inspection\n\n"
        "Acknowledge: https://ir.example.gov.uk/ack/token"
    )
    assert mailed["subject"] == "DRILL: Inspection call: please acknowledge"
    assert "This is a drill: a practice, not a real inspection." in mailed["body"]
    assert notify.refused == []


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (f"live-{SERVICE_ID}-{OTHER_UUID}", "Invalid token: signature, api token not found"),
        (f"live-{OTHER_UUID}-{SECRET}", "Invalid token: service not found"),
    ],
)
async def test_a_wrong_key_is_refused_and_not_retried(
    notify: FakeNotify, key: str, message: str
) -> None:
    wrong = GovNotify(key, notify.url, threads=1)
    try:
        result = await wrong.send_sms("07700900123", SMS_TEMPLATE, PERSONALISATION, "r")
    finally:
        await wrong.close()

    assert (result.outcome, result.code) == (Outcome.FAILED, 403)
    assert result.error == f"HTTP 403 AuthError: {message}"
    assert notify.sent == []


@pytest.mark.parametrize(
    ("send", "error"),
    [
        (
            lambda c: c.send_sms("01632 960123", SMS_TEMPLATE, PERSONALISATION, "r"),
            "HTTP 400 ValidationError: phone_number Not a UK mobile number",
        ),
        (
            lambda c: c.send_email("not-an-address", EMAIL_TEMPLATE, PERSONALISATION, "r"),
            "HTTP 400 ValidationError: email_address Not a valid email address",
        ),
        (
            lambda c: c.send_sms("07700900123", SMS_TEMPLATE, {"message": "x"}, "r"),
            "HTTP 400 BadRequestError: Missing personalisation: link",
        ),
        (
            lambda c: c.send_sms("07700900123", EMAIL_TEMPLATE, PERSONALISATION, "r"),
            "HTTP 400 BadRequestError: email template is not suitable for sms notification",
        ),
        (
            lambda c: c.send_sms("07700900123", OTHER_UUID, PERSONALISATION, "r"),
            "HTTP 400 BadRequestError: Template not found",
        ),
        (
            lambda c: c.send_sms("07700900123", "not-a-uuid", PERSONALISATION, "r"),
            "HTTP 400 ValidationError: template_id is not a valid UUID",
        ),
    ],
)
async def test_a_bad_body_is_refused_as_notify_refuses_it(
    notify: FakeNotify, client: GovNotify, send, error: str
) -> None:
    result = await send(client)

    assert (result.outcome, result.error) == (Outcome.FAILED, error)
    assert notify.sent == []


async def test_rate_limits_and_server_errors_are_retried_the_daily_limit_is_not(
    notify: FakeNotify, client: GovNotify
) -> None:
    notify.script = [
        (429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests"),
        (500, "Exception", "Internal server error"),
        (429, "TooManyRequestsError", "Exceeded send limits (250000) for today"),
    ]

    results = [
        await client.send_sms("07700900123", SMS_TEMPLATE, PERSONALISATION, "r") for _ in range(4)
    ]

    assert [(r.outcome, r.code) for r in results] == [
        (Outcome.RETRY, 429),
        (Outcome.RETRY, 500),
        (Outcome.FAILED, 429),
        (Outcome.SENT, 201),
    ]
    assert results[0].error == (
        "HTTP 429 RateLimitError: Exceeded rate limit for key type LIVE of 3000 requests"
    )
    assert len(notify.sent) == 1


async def test_a_service_that_does_not_answer_is_retried(notify: FakeNotify) -> None:
    # Nothing listens on port 9: the client reports it as a 503, as it does any network error.
    closed = GovNotify(notify.api_key, "http://127.0.0.1:9", threads=1)
    try:
        result = await closed.send_sms("07700900123", SMS_TEMPLATE, PERSONALISATION, "r")
    finally:
        await closed.close()

    assert (result.outcome, result.code) == (Outcome.RETRY, 503)


def bearer(claims: dict[str, object], secret: str = SECRET, algorithm: str = "HS256") -> str:
    return "Bearer " + jwt.encode(claims, secret, algorithm=algorithm)


def now() -> int:
    return int(time.time())


@pytest.mark.parametrize(
    ("authorization", "status", "message"),
    [
        (lambda: None, 401, "Unauthorized: authentication token must be provided"),
        (
            lambda: f"Token {SECRET}",
            401,
            "Unauthorized: authentication bearer scheme must be used",
        ),
        (lambda: "Bearer not-a-jwt", 403, "Invalid token: signature"),
        (
            lambda: bearer({"iss": SERVICE_ID, "iat": now()}, "k" * 64, "HS512"),
            403,
            "Invalid token: algorithm used is not HS256",
        ),
        (lambda: bearer({"iat": now()}), 403, "Invalid token: iss field not provided"),
        (lambda: bearer({"iss": SERVICE_ID}), 403, "Invalid token: iat field not provided"),
        (
            lambda: bearer({"iss": SERVICE_ID, "iat": now() - 120}),
            403,
            "Error: Your system clock must be accurate to within 30 seconds",
        ),
    ],
)
async def test_the_fake_refuses_what_notify_refuses(
    notify: FakeNotify, authorization, status: int, message: str
) -> None:
    header = authorization()
    headers = {"Authorization": header} if header else {}
    async with ClientSession() as session:
        response = await session.post(
            f"{notify.url}/v2/notifications/sms",
            json={"phone_number": "07700900123", "template_id": SMS_TEMPLATE},
            headers=headers,
        )
        body = await response.json()

    assert response.status == status
    assert body == {"status_code": status, "errors": [{"error": "AuthError", "message": message}]}
    assert notify.sent == []
