"""Settings parsing: defaults, every variable, and loud failures."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

import pytest

from bot.settings import AppType, Settings, SettingsError
from notifications.quiet_hours import WorkingHours


def test_defaults_when_environment_is_empty() -> None:
    settings = Settings.from_env({})

    assert settings == Settings(
        database_url="sqlite+aiosqlite:///var/inspection-ready.db",
        app_id="",
        app_password="",
        app_type=AppType.MULTI_TENANT,
        app_tenant_id="",
        port=3978,
        timezone=ZoneInfo("Europe/London"),
        working_hours=WorkingHours(time(8, 0), time(18, 0)),
    )
    assert settings.authentication_enabled is False


def test_reads_every_variable() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql+asyncpg://ir:secret@db/ir",
            "MicrosoftAppId": "app-id",
            "MicrosoftAppPassword": "secret",
            "MicrosoftAppType": "singletenant",
            "MicrosoftAppTenantId": "tenant",
            "PORT": "8080",
            "INSPECTION_READY_TIMEZONE": "Europe/Dublin",
            "INSPECTION_READY_WORKING_HOURS": "07:30 - 19:00",
        }
    )

    assert settings.database_url == "postgresql+asyncpg://ir:secret@db/ir"
    assert settings.app_type is AppType.SINGLE_TENANT
    assert settings.app_tenant_id == "tenant"
    assert settings.port == 8080
    assert settings.timezone == ZoneInfo("Europe/Dublin")
    assert settings.working_hours == WorkingHours(time(7, 30), time(19, 0))
    assert str(settings.working_hours) == "07:30-19:00"
    assert settings.authentication_enabled is True


def test_managed_identity_needs_no_password() -> None:
    settings = Settings.from_env(
        {
            "MicrosoftAppId": "app-id",
            "MicrosoftAppType": "UserAssignedMSI",
            "MicrosoftAppTenantId": "tenant",
        }
    )

    assert settings.app_type is AppType.USER_ASSIGNED_MSI


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PORT": "eighty"}, "PORT must be a whole number"),
        ({"PORT": "70000"}, "PORT must be between 1 and 65535"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL must start with"),
        ({"DATABASE_URL": "postgresql://x/y"}, "DATABASE_URL must start with"),
        ({"INSPECTION_READY_TIMEZONE": "Mars/Olympus"}, "INSPECTION_READY_TIMEZONE"),
        ({"INSPECTION_READY_WORKING_HOURS": "8-6"}, "must look like 08:00-18:00"),
        ({"INSPECTION_READY_WORKING_HOURS": "25:00-26:00"}, "must look like 08:00-18:00"),
        ({"INSPECTION_READY_WORKING_HOURS": "18:00-08:00"}, "must start before it ends"),
        ({"MicrosoftAppType": "Personal"}, "MicrosoftAppType must be one of"),
        ({"MicrosoftAppId": "app-id"}, "MicrosoftAppPassword is required"),
        (
            {
                "MicrosoftAppId": "app-id",
                "MicrosoftAppPassword": "p",
                "MicrosoftAppType": "SingleTenant",
            },
            "MicrosoftAppTenantId is required",
        ),
    ],
)
def test_bad_values_fail_with_the_variable_named(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(environ)


def test_secret_is_not_in_the_error_for_a_bad_database_scheme() -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"DATABASE_URL": "mysql://user:hunter2@db/ir"})

    assert "hunter2" not in str(error.value)


def test_reads_the_optional_files_folders_and_links(tmp_path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("items: {}\n")

    settings = Settings.from_env(
        {
            "INSPECTION_READY_LOCAL_KNOWLEDGE": str(tmp_path),
            "INSPECTION_READY_CASE_URL_TEMPLATE": "https://records.example/case/{case_ref}",
            "INSPECTION_READY_REMINDER_RULES": str(rules),
            "INSPECTION_READY_CLAIM_TIMEOUT": "60",
        }
    )

    assert settings.local_knowledge == tmp_path
    assert settings.case_url_template == "https://records.example/case/{case_ref}"
    assert settings.reminder_rules == rules
    assert settings.claim_timeout_seconds == 60


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"INSPECTION_READY_LOCAL_KNOWLEDGE": "/no/such/folder"}, "must name an existing folder"),
        ({"INSPECTION_READY_REMINDER_RULES": "/no/such/file.yaml"}, "must name an existing file"),
        ({"INSPECTION_READY_CASE_URL_TEMPLATE": "http://x/{case_ref}"}, "https:// address"),
        ({"INSPECTION_READY_CASE_URL_TEMPLATE": "https://x/case"}, "containing {case_ref}"),
        ({"INSPECTION_READY_CLAIM_TIMEOUT": "soon"}, "whole number of seconds"),
        ({"INSPECTION_READY_CLAIM_TIMEOUT": "0"}, "must be above 0"),
    ],
)
def test_bad_optional_settings_fail_with_the_variable_named(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(environ)


def test_reads_the_inspection_call_settings(tmp_path) -> None:
    playbook = tmp_path / "playbook.yaml"
    playbook.write_text("types: {}\n", encoding="utf-8")
    settings = Settings.from_env(
        {
            "INSPECTION_READY_PLAYBOOK": str(playbook),
            "INSPECTION_READY_CALL_RENOTIFY_MINUTES": "10",
            "INSPECTION_READY_CALL_ESCALATE_MINUTES": "20",
            "INSPECTION_READY_CALL_ROUNDS": "0",
            "INSPECTION_READY_CALL_STARTERS": " Director of Children's Services , Deputy DCS,",
            "INSPECTION_READY_PUBLIC_URL": "https://bot.example.gov.uk/",
        }
    )
    assert settings.call_starters == {"director of children's services", "deputy dcs"}

    assert settings.playbook == playbook
    assert (settings.call_renotify_minutes, settings.call_escalate_minutes) == (10, 20)
    assert settings.call_rounds == 0
    assert settings.service_url == "https://bot.example.gov.uk"


def test_inspection_call_defaults_and_local_links() -> None:
    settings = Settings.from_env({"PORT": "8080"})

    assert (settings.call_renotify_minutes, settings.call_escalate_minutes) == (15, 30)
    assert settings.call_rounds == 3
    assert settings.call_starters == {"director of children's services", "dcs"}
    assert Settings.from_env({"INSPECTION_READY_CALL_STARTERS": "none"}).call_starters == set()
    assert settings.playbook is None
    assert settings.claim_timeout_seconds == 60
    assert settings.service_url == "http://localhost:8080"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"INSPECTION_READY_PLAYBOOK": "/no/such/playbook.yaml"}, "must name an existing file"),
        ({"INSPECTION_READY_CALL_RENOTIFY_MINUTES": "soon"}, "must be a whole number"),
        ({"INSPECTION_READY_CALL_RENOTIFY_MINUTES": "0"}, "must be from 1 to 720, got 0"),
        ({"INSPECTION_READY_CALL_ESCALATE_MINUTES": "2000"}, "must be from 1 to 1440"),
        ({"INSPECTION_READY_CALL_ROUNDS": "-1"}, "must be from 0 to 20"),
        ({"INSPECTION_READY_CALL_STARTERS": "x" * 201}, "at most 200 characters"),
        ({"INSPECTION_READY_PUBLIC_URL": "http://bot.example.gov.uk"}, "https:// address"),
        ({"INSPECTION_READY_PUBLIC_URL": "bot.example.gov.uk"}, "https:// address"),
    ],
)
def test_bad_inspection_call_settings_fail_with_the_variable_named(
    environ: dict[str, str], message: str
) -> None:
    [variable] = environ
    with pytest.raises(SettingsError, match=f"{variable}.*{message}"):
        Settings.from_env(environ)


def test_board_update_days_default_to_five_and_are_read() -> None:
    assert Settings.from_env({}).board_update_days == 5
    assert Settings.from_env({"INSPECTION_READY_BOARD_UPDATE_DAYS": "8"}).board_update_days == 8


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("five", "INSPECTION_READY_BOARD_UPDATE_DAYS must be a whole number, got 'five'"),
        ("0", "INSPECTION_READY_BOARD_UPDATE_DAYS must be from 1 to 30, got 0"),
        ("31", "INSPECTION_READY_BOARD_UPDATE_DAYS must be from 1 to 30, got 31"),
    ],
)
def test_a_bad_board_update_days_fails_with_the_variable_named(value: str, message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"INSPECTION_READY_BOARD_UPDATE_DAYS": value})

    assert str(raised.value) == message


def test_reads_the_audit_programme_settings() -> None:
    settings = Settings.from_env(
        {"INSPECTION_READY_AUDIT_REPEAT_MONTHS": "0", "INSPECTION_READY_AUDITS_PER_AUDITOR": "5"}
    )

    assert (settings.audit_repeat_months, settings.audits_per_auditor) == (0, 5)
    assert (Settings.from_env({}).audit_repeat_months, Settings().audits_per_auditor) == (6, 3)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"INSPECTION_READY_AUDIT_REPEAT_MONTHS": "six"}, "must be a whole number, got 'six'"),
        ({"INSPECTION_READY_AUDIT_REPEAT_MONTHS": "-1"}, "must be from 0 to 60, got -1"),
        ({"INSPECTION_READY_AUDITS_PER_AUDITOR": "0"}, "must be from 1 to 100, got 0"),
        ({"INSPECTION_READY_AUDITS_PER_AUDITOR": "3.5"}, "must be a whole number, got '3.5'"),
    ],
)
def test_bad_audit_programme_settings_fail_with_the_variable_named(
    environ: dict[str, str], message: str
) -> None:
    [variable] = environ
    with pytest.raises(SettingsError, match=f"{variable} {message}"):
        Settings.from_env(environ)
