"""This module reads the settings for installing the app through Microsoft Graph.

Installation is on when INSPECTION_READY_CATALOG_APP_ID is set. It signs in as the bot's
own app registration (the MicrosoftApp* values) unless the INSPECTION_READY_GRAPH_* values
name another, and talks to Microsoft's Graph and identity platform unless pointed elsewhere
(a test's fakes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from bot.setting_values import SettingsError, blank_is_unset, parse_tenant
from teams.types import GRAPH_URL, LOGIN_URL, GraphConfig

CATALOG_APP_ID = "INSPECTION_READY_CATALOG_APP_ID"
GRAPH_URL_SETTING = "INSPECTION_READY_GRAPH_URL"
LOGIN_URL_SETTING = "INSPECTION_READY_LOGIN_URL"
CLIENT_ID = "INSPECTION_READY_GRAPH_CLIENT_ID"
CLIENT_SECRET = "INSPECTION_READY_GRAPH_CLIENT_SECRET"
TENANT_ID = "INSPECTION_READY_GRAPH_TENANT_ID"
VARIABLES = (
    CATALOG_APP_ID,
    GRAPH_URL_SETTING,
    LOGIN_URL_SETTING,
    CLIENT_ID,
    CLIENT_SECRET,
    TENANT_ID,
)

_GUID = re.compile(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}")
# As bot.setting_values reads tenants: a GUID, or the tenant's domain name.
_TENANT = re.compile(r"[0-9a-z][0-9a-z.-]{0,253}")


def parse_graph(
    environ: Mapping[str, str], *, app_id: str, app_password: str, app_tenant_id: str
) -> GraphConfig | None:
    """The installation settings, or None (installation off) without a catalogue app id.

    Every value is checked whether installation is on or not, so a mistake is found when
    it is made rather than on the day of the inspection call.

    Raises:
        SettingsError: a value is malformed, or installation is on without a way to sign in.
    """
    graph_url = _address(GRAPH_URL_SETTING, environ, GRAPH_URL, path=True)
    login_url = _address(LOGIN_URL_SETTING, environ, LOGIN_URL, path=False)
    catalog = _guid(CATALOG_APP_ID, environ, "the app's id in your tenant's app catalogue")
    client_id = _guid(CLIENT_ID, environ, "the app registration's application (client) id")
    client_secret = blank_is_unset(environ.get(CLIENT_SECRET))
    tenant = parse_tenant(TENANT_ID, blank_is_unset(environ.get(TENANT_ID))).lower()
    if tenant and not _TENANT.fullmatch(tenant):
        raise SettingsError(f"{TENANT_ID} must be a tenant id (a GUID or domain), got {tenant!r}")
    if client_secret and not (client_id or app_id):
        raise SettingsError(
            f"{CLIENT_SECRET} is set but neither {CLIENT_ID} nor MicrosoftAppId is; set the "
            "app registration the secret belongs to (a secret without its app would be ignored)"
        )
    if client_id and client_id != app_id.lower() and not client_secret:
        raise SettingsError(
            f"{CLIENT_SECRET} is required when {CLIENT_ID} names an app registration other "
            "than MicrosoftAppId: MicrosoftAppPassword belongs to the bot's own"
        )
    if catalog is None:
        return None
    client = client_id or app_id.strip().lower()
    if not client:
        raise SettingsError(
            f"{CATALOG_APP_ID} is set, but there is no app registration to install it as: "
            f"set MicrosoftAppId (or {CLIENT_ID})"
        )
    if catalog == client:
        raise SettingsError(
            f"{CATALOG_APP_ID} is the bot's App ID, which is the manifest's id; the app "
            "catalogue gives the uploaded app an id of its own (the App ID on its page in the "
            "Teams admin centre; see docs/deploy.md)"
        )
    secret = client_secret or app_password
    if not secret:
        raise SettingsError(
            f"{CATALOG_APP_ID} is set, but there is no client secret to sign in to Microsoft "
            f"Graph with: set MicrosoftAppPassword (or {CLIENT_SECRET}); a managed identity "
            "cannot install the app"
        )
    tenant = tenant or app_tenant_id.strip().lower()
    if not tenant:
        raise SettingsError(
            f"{CATALOG_APP_ID} is set, but not the tenant to install it in: set "
            f"MicrosoftAppTenantId (or {TENANT_ID})"
        )
    return GraphConfig(
        catalog_app_id=catalog,
        client_id=client,
        client_secret=secret,
        tenant_id=tenant,
        graph_url=graph_url,
        login_url=login_url,
    )


def _guid(variable: str, environ: Mapping[str, str], what: str) -> str | None:
    value = blank_is_unset(environ.get(variable)).strip()
    if not value:
        return None
    if not _GUID.fullmatch(value.lower()):
        raise SettingsError(
            f"{variable} must be {what}, a GUID such as "
            f"00000000-0000-0000-0000-000000000000, got {value!r}"
        )
    return value.lower()


def _address(variable: str, environ: Mapping[str, str], default: str, *, path: bool) -> str:
    """An https:// address without query or fragment, its trailing slash taken off.

    Tokens and the client secret travel to these addresses, so plain http is refused.
    """
    value = blank_is_unset(environ.get(variable)).strip()
    if not value:
        return default
    parts = urlsplit(value)
    shape = "https://HOST/PATH" if path else "https://HOST (no path)"
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if (
        parts.scheme != "https"
        or not parts.hostname
        or not port_ok
        or parts.query
        or parts.fragment
        or parts.username
        or " " in value
        or (not path and parts.path.strip("/"))
    ):
        raise SettingsError(f"{variable} must be an address like {shape}, got {value!r}")
    return value.rstrip("/")
