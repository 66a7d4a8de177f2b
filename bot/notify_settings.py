"""This module reads the settings for the inspection call's SMS and email through GOV.UK Notify.

The fallback is on when INSPECTION_READY_NOTIFY_API_KEY is set, with a template for SMS,
email or both. Every value is checked whether it is on or not, so a mistake is found when it
is made rather than on the day of the inspection call.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from bot.setting_values import SettingsError, blank_is_unset
from notifications.gov_notify import DEFAULT_URL, NotifyConfig

API_KEY = "INSPECTION_READY_NOTIFY_API_KEY"
URL = "INSPECTION_READY_NOTIFY_URL"
SMS_TEMPLATE = "INSPECTION_READY_NOTIFY_SMS_TEMPLATE"
EMAIL_TEMPLATE = "INSPECTION_READY_NOTIFY_EMAIL_TEMPLATE"
VARIABLES = (API_KEY, URL, SMS_TEMPLATE, EMAIL_TEMPLATE)
PUBLIC_URL = "INSPECTION_READY_PUBLIC_URL"

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# GOV.UK Notify's key: {key name}-{service id}-{secret key}, the two ids UUIDs. The client
# reads the service id and the secret from the end, so the name may hold hyphens.
_API_KEY = re.compile(rf"(?P<name>.+)-(?P<service>{_UUID})-(?P<secret>{_UUID})")
_TEMPLATE = re.compile(_UUID)


def parse_notify(environ: Mapping[str, str]) -> NotifyConfig | None:
    """The GOV.UK Notify settings, or None (no SMS or email fallback) without a key.

    Raises:
        SettingsError: a value is malformed, a template is set without the key (it would be
            ignored), or the key without a template (there would be nothing to send) or
            without INSPECTION_READY_PUBLIC_URL (the links would point nowhere).
    """
    base_url = parse_notify_url(blank_is_unset(environ.get(URL)))
    templates = {
        variable: parse_template_id(variable, blank_is_unset(environ.get(variable)))
        for variable in (SMS_TEMPLATE, EMAIL_TEMPLATE)
    }
    api_key = parse_api_key(blank_is_unset(environ.get(API_KEY)))
    if not api_key:
        for variable, template in templates.items():
            if template:
                raise SettingsError(
                    f"{variable} is set but {API_KEY} is not; set the key too (a template "
                    "without it would be ignored, and nobody would get an SMS or email)"
                )
        return None
    if not any(templates.values()):
        raise SettingsError(
            f"{API_KEY} is set, but neither {SMS_TEMPLATE} nor {EMAIL_TEMPLATE} is: set the "
            "id of the GOV.UK Notify template for SMS, email or both (see docs/deploy.md)"
        )
    if not blank_is_unset(environ.get(PUBLIC_URL)):
        raise SettingsError(
            f"{API_KEY} is set, but {PUBLIC_URL} is not: the SMS and email carry links to "
            "acknowledge, which must point at the service's public https:// address"
        )
    return NotifyConfig(
        api_key=api_key,
        base_url=base_url,
        sms_template=templates[SMS_TEMPLATE],
        email_template=templates[EMAIL_TEMPLATE],
    )


def parse_api_key(value: str) -> str:
    """A GOV.UK Notify API key, or "" when unset. A bad one is refused without showing it:
    the message names the shape, never the secret."""
    key = value.strip()
    if key and not _API_KEY.fullmatch(key.lower()):
        raise SettingsError(
            f"{API_KEY} must be a GOV.UK Notify API key, KEYNAME-SERVICEID-SECRET where the "
            "service id and the secret are UUIDs (copy it whole from Notify's API "
            "integration page); the value set is not one (not shown: it is a secret)"
        )
    return key


def parse_template_id(variable: str, value: str) -> str | None:
    """A GOV.UK Notify template id (a UUID), lower-cased, or None when unset."""
    template = value.strip().lower()
    if not template:
        return None
    if not _TEMPLATE.fullmatch(template):
        raise SettingsError(
            f"{variable} must be a GOV.UK Notify template id, a UUID such as "
            f"f33517ff-2a88-4f6e-b855-c550268ce08a (the template's page shows it), got "
            f"{value.strip()!r}"
        )
    return template


def parse_notify_url(value: str) -> str:
    """The Notify API's base address: https://HOST with no path (the client sends to
    /v2/... on the host, so a path would be dropped), or http only on this machine."""
    url = value.strip().rstrip("/")
    if not url:
        return DEFAULT_URL
    parts = urlsplit(url)
    local = parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1")
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if (
        not (parts.scheme == "https" or local)
        or not parts.hostname
        or not port_ok
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username
        or " " in url
    ):
        raise SettingsError(
            f"{URL} must be the GOV.UK Notify API's address, https://HOST with no path "
            f"(http only for localhost), got {url!r}"
        )
    return url
