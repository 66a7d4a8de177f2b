"""The settings for installing the app through Microsoft Graph, read from the environment."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError
from teams.types import GraphConfig

APP_ID = "7c1f6a0e-3b5d-4e2a-9f68-2d4b8e1c0a93"
CATALOG = "0240a368-25e0-4569-8ebe-13601cb55a18"
OTHER_APP = "9fc97ea2-c417-4c76-a2db-197612067b28"
TENANT = "8f1c2a30-5d4e-4b6f-9a7c-1e2d3f4a5b6c"
BOT = {
    "MicrosoftAppId": APP_ID,
    "MicrosoftAppPassword": "bot-secret",
    "MicrosoftAppType": "SingleTenant",
    "MicrosoftAppTenantId": TENANT,
}


def test_off_unless_the_catalogue_app_id_is_set() -> None:
    assert Settings.from_env({}).graph is None
    assert Settings.from_env(BOT).graph is None


def test_signs_in_as_the_bot_to_microsofts_services_by_default() -> None:
    settings = Settings.from_env({**BOT, "INSPECTION_READY_CATALOG_APP_ID": CATALOG.upper()})

    assert settings.graph == GraphConfig(
        catalog_app_id=CATALOG,
        client_id=APP_ID,
        client_secret="bot-secret",
        tenant_id=TENANT,
        graph_url="https://graph.microsoft.com/v1.0",
        login_url="https://login.microsoftonline.com",
    )


def test_reads_every_installation_variable() -> None:
    settings = Settings.from_env(
        {
            **BOT,
            "INSPECTION_READY_CATALOG_APP_ID": CATALOG,
            "INSPECTION_READY_GRAPH_URL": "https://graph.example.test:8443/v1.0/",
            "INSPECTION_READY_LOGIN_URL": "https://login.example.test:8444/",
            "INSPECTION_READY_GRAPH_CLIENT_ID": OTHER_APP,
            "INSPECTION_READY_GRAPH_CLIENT_SECRET": "graph-secret",
            "INSPECTION_READY_GRAPH_TENANT_ID": "Contoso.onmicrosoft.com",
        }
    )

    assert settings.graph == GraphConfig(
        catalog_app_id=CATALOG,
        client_id=OTHER_APP,
        client_secret="graph-secret",
        tenant_id="contoso.onmicrosoft.com",
        graph_url="https://graph.example.test:8443/v1.0",
        login_url="https://login.example.test:8444",
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {**BOT, "INSPECTION_READY_CATALOG_APP_ID": "Inspection Ready"},
            "INSPECTION_READY_CATALOG_APP_ID must be the app's id in your tenant's app "
            "catalogue, a GUID",
        ),
        (
            {**BOT, "INSPECTION_READY_GRAPH_URL": "http://graph.microsoft.com/v1.0"},
            "INSPECTION_READY_GRAPH_URL must be an address like https://HOST/PATH",
        ),
        (
            {**BOT, "INSPECTION_READY_GRAPH_URL": "https://graph.microsoft.com/v1.0?x=1"},
            "INSPECTION_READY_GRAPH_URL must be an address like https://HOST/PATH",
        ),
        (
            {**BOT, "INSPECTION_READY_LOGIN_URL": "https://login.microsoftonline.com/tenant"},
            "INSPECTION_READY_LOGIN_URL must be an address like https://HOST (no path)",
        ),
        (
            {**BOT, "INSPECTION_READY_LOGIN_URL": "https://login.example:99999"},
            "INSPECTION_READY_LOGIN_URL must be an address like https://HOST (no path)",
        ),
        (
            {**BOT, "INSPECTION_READY_GRAPH_CLIENT_ID": "graph-app"},
            "INSPECTION_READY_GRAPH_CLIENT_ID must be the app registration's application "
            "(client) id, a GUID",
        ),
        (
            {**BOT, "INSPECTION_READY_GRAPH_TENANT_ID": "organizations"},
            "INSPECTION_READY_GRAPH_TENANT_ID must be your tenant's id, not 'organizations'",
        ),
        (
            {**BOT, "INSPECTION_READY_GRAPH_TENANT_ID": "contoso tenant"},
            "INSPECTION_READY_GRAPH_TENANT_ID must be a tenant id (a GUID or domain)",
        ),
        (
            {"INSPECTION_READY_GRAPH_CLIENT_SECRET": "graph-secret"},
            "INSPECTION_READY_GRAPH_CLIENT_SECRET is set but neither "
            "INSPECTION_READY_GRAPH_CLIENT_ID nor MicrosoftAppId is",
        ),
        (
            {**BOT, "INSPECTION_READY_GRAPH_CLIENT_ID": OTHER_APP},
            "INSPECTION_READY_GRAPH_CLIENT_SECRET is required when "
            "INSPECTION_READY_GRAPH_CLIENT_ID names an app registration other than "
            "MicrosoftAppId",
        ),
        (
            {"INSPECTION_READY_CATALOG_APP_ID": CATALOG},
            "INSPECTION_READY_CATALOG_APP_ID is set, but there is no app registration to "
            "install it as: set MicrosoftAppId (or INSPECTION_READY_GRAPH_CLIENT_ID)",
        ),
        (
            {**BOT, "INSPECTION_READY_CATALOG_APP_ID": APP_ID},
            "INSPECTION_READY_CATALOG_APP_ID is the bot's App ID, which is the manifest's id",
        ),
        (
            {
                "MicrosoftAppId": APP_ID,
                "MicrosoftAppType": "UserAssignedMSI",
                "MicrosoftAppTenantId": TENANT,
                "INSPECTION_READY_CATALOG_APP_ID": CATALOG,
            },
            "there is no client secret to sign in to Microsoft Graph with: set "
            "MicrosoftAppPassword (or INSPECTION_READY_GRAPH_CLIENT_SECRET)",
        ),
        (
            {
                "MicrosoftAppId": APP_ID,
                "MicrosoftAppPassword": "bot-secret",
                "INSPECTION_READY_ALLOWED_TENANTS": TENANT,
                "INSPECTION_READY_CATALOG_APP_ID": CATALOG,
            },
            "INSPECTION_READY_CATALOG_APP_ID is set, but not the tenant to install it in: set "
            "MicrosoftAppTenantId (or INSPECTION_READY_GRAPH_TENANT_ID)",
        ),
        (
            {**BOT, "INSPECTION_READY_CATALOG_APPID": CATALOG},
            "INSPECTION_READY_CATALOG_APPID is set, but the variable is spelt "
            "INSPECTION_READY_CATALOG_APP_ID",
        ),
        (
            {**BOT, "inspection_ready_graph_client_secret": "graph-secret"},
            "is set, but the variable is spelt INSPECTION_READY_GRAPH_CLIENT_SECRET",
        ),
    ],
)
def test_bad_values_fail_with_the_variable_named(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(environ)

    assert message in str(refused.value)
    assert "bot-secret" not in str(refused.value)
    assert "graph-secret" not in str(refused.value)


def test_neither_secret_is_in_the_repr() -> None:
    own = Settings.from_env({**BOT, "INSPECTION_READY_CATALOG_APP_ID": CATALOG})
    other = Settings.from_env(
        {
            **BOT,
            "INSPECTION_READY_CATALOG_APP_ID": CATALOG,
            "INSPECTION_READY_GRAPH_CLIENT_ID": OTHER_APP,
            "INSPECTION_READY_GRAPH_CLIENT_SECRET": "graph-secret",
        }
    )

    assert own.graph is not None
    assert own.graph.client_secret == "bot-secret"
    assert "bot-secret" not in repr(own)
    assert "graph-secret" not in repr(other)
    assert "graph-secret" not in str(other.graph)
    assert CATALOG in repr(other)
