"""The GOV.UK Notify settings: each read from the environment, checked, the key kept secret."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError
from notifications.gov_notify import NotifyConfig
from store.models import OutboxChannel

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
KEY = f"inspection-ready-live-{SERVICE_ID}-{SECRET}"
SMS = "f33517ff-2a88-4f6e-b855-c550268ce08a"
EMAIL = "0a9e8d5c-4b3f-4e2a-9c1d-7f6e5d4c3b2a"
PUBLIC = {"INSPECTION_READY_PUBLIC_URL": "https://ir.example.gov.uk"}


def test_each_setting_is_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "INSPECTION_READY_NOTIFY_API_KEY": f" {KEY} ",
            "INSPECTION_READY_NOTIFY_URL": "https://notify.example.gov.uk/",
            "INSPECTION_READY_NOTIFY_SMS_TEMPLATE": SMS.upper(),
            "INSPECTION_READY_NOTIFY_EMAIL_TEMPLATE": EMAIL,
            **PUBLIC,
        }
    )

    assert settings.notify == NotifyConfig(
        api_key=KEY,
        base_url="https://notify.example.gov.uk",
        sms_template=SMS,
        email_template=EMAIL,
    )
    assert settings.notify.templates == {OutboxChannel.SMS: SMS, OutboxChannel.EMAIL: EMAIL}


def test_without_a_key_there_is_no_fallback_and_the_real_service_is_the_default() -> None:
    assert Settings.from_env({}).notify is None
    assert Settings.from_env({"INSPECTION_READY_NOTIFY_API_KEY": "  "}).notify is None
    only_email = Settings.from_env(
        {
            "INSPECTION_READY_NOTIFY_API_KEY": KEY,
            "INSPECTION_READY_NOTIFY_EMAIL_TEMPLATE": EMAIL,
            **PUBLIC,
        }
    ).notify

    assert only_email is not None
    assert only_email.base_url == "https://api.notifications.service.gov.uk"
    assert only_email.templates == {OutboxChannel.EMAIL: EMAIL}


def test_a_local_fake_may_be_reached_over_plain_http() -> None:
    settings = Settings.from_env(
        {
            "INSPECTION_READY_NOTIFY_API_KEY": KEY,
            "INSPECTION_READY_NOTIFY_URL": "http://127.0.0.1:8123",
            "INSPECTION_READY_NOTIFY_SMS_TEMPLATE": SMS,
            "INSPECTION_READY_PUBLIC_URL": "http://localhost:3978",
        }
    )

    assert settings.notify is not None
    assert settings.notify.base_url == "http://127.0.0.1:8123"


def test_the_key_never_appears_in_a_repr() -> None:
    settings = Settings.from_env(
        {
            "INSPECTION_READY_NOTIFY_API_KEY": KEY,
            "INSPECTION_READY_NOTIFY_SMS_TEMPLATE": SMS,
            **PUBLIC,
        }
    )

    assert SECRET not in repr(settings)
    assert SECRET not in repr(settings.notify)
    assert "sms_template=" in repr(settings)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"INSPECTION_READY_NOTIFY_API_KEY": "not-a-key"},
            "INSPECTION_READY_NOTIFY_API_KEY must be a GOV.UK Notify API key",
        ),
        (
            {"INSPECTION_READY_NOTIFY_API_KEY": f"{SERVICE_ID}-{SECRET}"},
            "INSPECTION_READY_NOTIFY_API_KEY must be a GOV.UK Notify API key",
        ),
        (
            {"INSPECTION_READY_NOTIFY_SMS_TEMPLATE": "sms-template"},
            "INSPECTION_READY_NOTIFY_SMS_TEMPLATE must be a GOV.UK Notify template id",
        ),
        (
            {"INSPECTION_READY_NOTIFY_EMAIL_TEMPLATE": "1234"},
            "INSPECTION_READY_NOTIFY_EMAIL_TEMPLATE must be a GOV.UK Notify template id",
        ),
        (
            {"INSPECTION_READY_NOTIFY_URL": "http://api.notifications.service.gov.uk"},
            "INSPECTION_READY_NOTIFY_URL must be the GOV.UK Notify API's address",
        ),
        (
            {"INSPECTION_READY_NOTIFY_URL": "https://api.notifications.service.gov.uk/v2"},
            "INSPECTION_READY_NOTIFY_URL must be .* with no path",
        ),
        (
            {"INSPECTION_READY_NOTIFY_SMS_TEMPLATE": SMS},
            "INSPECTION_READY_NOTIFY_SMS_TEMPLATE is set but INSPECTION_READY_NOTIFY_API_KEY",
        ),
        (
            {"INSPECTION_READY_NOTIFY_API_KEY": KEY},
            "INSPECTION_READY_NOTIFY_API_KEY is set, but neither "
            "INSPECTION_READY_NOTIFY_SMS_TEMPLATE nor INSPECTION_READY_NOTIFY_EMAIL_TEMPLATE",
        ),
        (
            {"INSPECTION_READY_NOTIFY_API_KEY": KEY, "INSPECTION_READY_NOTIFY_SMS_TEMPLATE": SMS},
            "INSPECTION_READY_NOTIFY_API_KEY is set, but INSPECTION_READY_PUBLIC_URL is not",
        ),
        (
            {"INSPECTION_READY_NOTIFY_APIKEY": KEY},
            "INSPECTION_READY_NOTIFY_APIKEY is set, but the variable is spelt "
            "INSPECTION_READY_NOTIFY_API_KEY",
        ),
        (
            {"inspection_ready_notify_sms_template": SMS},
            "spelt INSPECTION_READY_NOTIFY_SMS_TEMPLATE",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_its_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(environ)


def test_a_malformed_key_is_refused_without_showing_it() -> None:
    almost = f"live-{SERVICE_ID}-{SECRET[:-1]}"

    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"INSPECTION_READY_NOTIFY_API_KEY": almost})

    assert SECRET[:-1] not in str(refused.value)
    assert "not shown: it is a secret" in str(refused.value)
