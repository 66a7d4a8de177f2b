"""Settings that decide whether the service is open: authentication, tenants, limits, secrets."""

from __future__ import annotations

import pytest

from bot.settings import AppType, Settings, SettingsError

APP_ID = "11111111-2222-3333-4444-555555555555"
TENANT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
SINGLE = {
    "MicrosoftAppId": APP_ID,
    "MicrosoftAppPassword": "hunter2-secret",
    "MicrosoftAppType": "SingleTenant",
    "MicrosoftAppTenantId": TENANT,
}


def test_without_an_app_id_serving_needs_the_developer_flag() -> None:
    settings = Settings.from_env({})

    with pytest.raises(SettingsError, match="MicrosoftAppId is not set.*DEV_NO_AUTH=1"):
        settings.check_can_serve()
    assert settings.authentication_enabled is False


@pytest.mark.parametrize("app_id", ["", "   "])
def test_the_developer_flag_allows_serving_without_authentication(app_id: str) -> None:
    settings = Settings.from_env({"MicrosoftAppId": app_id, "INSPECTION_READY_DEV_NO_AUTH": "1"})

    settings.check_can_serve()
    assert (settings.dev_no_auth, settings.authentication_enabled) == (True, False)


@pytest.mark.parametrize("value", ["", "0"])
def test_the_developer_flag_unset_or_zero_is_off(value: str) -> None:
    assert Settings.from_env({"INSPECTION_READY_DEV_NO_AUTH": value}).dev_no_auth is False


@pytest.mark.parametrize("value", ["true", "yes", "2", "on"])
def test_the_developer_flag_is_one_or_nothing(value: str) -> None:
    with pytest.raises(SettingsError, match="INSPECTION_READY_DEV_NO_AUTH must be 1"):
        Settings.from_env({"INSPECTION_READY_DEV_NO_AUTH": value})


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"MicrosoftAppPassword": "s3cret"}, "MicrosoftAppPassword is set but MicrosoftAppId"),
        ({"MicrosoftAppType": "SingleTenant"}, "MicrosoftAppType is set but MicrosoftAppId"),
        (
            {"MicrosoftAppId": "  ", "MicrosoftAppPassword": "s3cret"},
            "MicrosoftAppPassword is set but MicrosoftAppId",
        ),
        ({**SINGLE, "INSPECTION_READY_DEV_NO_AUTH": "1"}, "but MicrosoftAppId is set"),
        ({"MicrosoftAppID": APP_ID}, "MicrosoftAppID is set, but the variable is spelt"),
        ({"MICROSOFT_APP_ID": APP_ID}, "MICROSOFT_APP_ID is set, but .* MicrosoftAppId"),
        ({"microsoftapppassword": "x"}, "spelt MicrosoftAppPassword"),
        ({"INSPECTION_READY_DEV_NOAUTH": "1"}, "spelt INSPECTION_READY_DEV_NO_AUTH"),
    ],
)
def test_contradictions_and_misspellings_are_refused_by_name(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(environ)


def test_blank_companion_values_count_as_unset() -> None:
    settings = Settings.from_env(
        {"MicrosoftAppPassword": "  ", "MicrosoftAppType": "", "INSPECTION_READY_DEV_NO_AUTH": "1"}
    )

    assert (settings.app_password, settings.app_type) == ("", AppType.MULTI_TENANT)


def test_a_tenant_may_be_set_with_the_developer_flag_to_try_the_tenant_check() -> None:
    settings = Settings.from_env(
        {"MicrosoftAppTenantId": TENANT.upper(), "INSPECTION_READY_DEV_NO_AUTH": "1"}
    )

    settings.check_can_serve()
    assert settings.accepted_tenants == frozenset({TENANT})


def test_single_tenant_accepts_its_own_tenant() -> None:
    settings = Settings.from_env(SINGLE)

    settings.check_can_serve()
    assert settings.accepted_tenants == frozenset({TENANT})


def test_multi_tenant_needs_its_tenant_list_to_serve() -> None:
    multi = {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "s3cret"}

    with pytest.raises(SettingsError, match="INSPECTION_READY_ALLOWED_TENANTS is required"):
        Settings.from_env(multi).check_can_serve()
    listed = Settings.from_env(
        {**multi, "INSPECTION_READY_ALLOWED_TENANTS": f" {TENANT} , Tenant-Two "}
    )
    listed.check_can_serve()
    assert listed.accepted_tenants == frozenset({TENANT, "tenant-two"})


@pytest.mark.parametrize(
    "value", [",", f"{TENANT},,", "has space", "bad/char", "common", f"{TENANT},Organizations"]
)
def test_a_malformed_tenant_list_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="INSPECTION_READY_ALLOWED_TENANTS"):
        Settings.from_env({"INSPECTION_READY_ALLOWED_TENANTS": value})


@pytest.mark.parametrize("value", ["common", "organizations", "CONSUMERS"])
def test_a_sign_in_audience_is_not_a_tenant(value: str) -> None:
    with pytest.raises(SettingsError, match="MicrosoftAppTenantId must be your tenant's id"):
        Settings.from_env({**SINGLE, "MicrosoftAppTenantId": value})


def test_no_tenant_means_no_tenant_check_only_without_an_app_id() -> None:
    assert Settings.from_env({"INSPECTION_READY_DEV_NO_AUTH": "1"}).accepted_tenants == frozenset()


def test_limits_have_defaults_and_are_read() -> None:
    defaults = Settings.from_env({})
    read = Settings.from_env(
        {
            "INSPECTION_READY_TURNS_PER_MINUTE": "12",
            "INSPECTION_READY_IMPORT_MAX_MB": "5",
            "INSPECTION_READY_IMPORT_MAX_ROWS": "2000",
        }
    )

    assert (defaults.turns_per_minute, defaults.import_max_mb, defaults.import_max_rows) == (
        30,
        50,
        100_000,
    )
    assert (read.turns_per_minute, read.import_max_mb, read.import_max_rows) == (12, 5, 2000)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("INSPECTION_READY_TURNS_PER_MINUTE", "0"),
        ("INSPECTION_READY_TURNS_PER_MINUTE", "lots"),
        ("INSPECTION_READY_IMPORT_MAX_MB", "0"),
        ("INSPECTION_READY_IMPORT_MAX_ROWS", "-5"),
    ],
)
def test_bad_limits_are_refused_by_name(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({variable: value})


def test_no_secret_appears_in_the_repr() -> None:
    settings = Settings.from_env(
        {**SINGLE, "DATABASE_URL": "postgresql+asyncpg://ir:db-pass-77@db.internal/ir"}
    )

    shown = repr(settings)

    assert "hunter2-secret" not in shown
    assert "db-pass-77" not in shown
    assert "db.internal" in shown
    assert "app_password" not in shown
    assert f"app_id={APP_ID!r}" in shown
