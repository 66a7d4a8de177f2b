"""`inspection-ready serve` refuses to run open by accident, and binds loopback when it is open."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot import cli
from bot.keys import SETTINGS
from tests.conftest import sqlite_url

APP_ID = "11111111-2222-3333-4444-555555555555"
TENANT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"


@pytest.fixture
def listened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Where serve would have listened: web.run_app is replaced by a recorder."""
    for variable in ("MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppType"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("DATABASE_URL", sqlite_url(tmp_path))
    calls: list[dict[str, Any]] = []

    def run_app(app: web.Application, **options: Any) -> None:
        assert isinstance(app, web.Application)
        calls.append({**options, "service_url": app[SETTINGS].service_url})

    monkeypatch.setattr("bot.cli.web.run_app", run_app)
    return calls


def test_without_an_app_id_serve_exits_2_and_listens_nowhere(
    listened: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["serve"]) == 2

    assert "MicrosoftAppId is not set" in capsys.readouterr().err
    assert listened == []


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"MicrosoftAppPassword": "s3cret"}, "MicrosoftAppPassword is set but MicrosoftAppId"),
        ({"MicrosoftAppType": "SingleTenant"}, "MicrosoftAppType is set but MicrosoftAppId"),
        ({"MicrosoftAppID": APP_ID, "MicrosoftAppPassword": "x"}, "MicrosoftAppID is set, but"),
        (
            {
                "MicrosoftAppId": APP_ID,
                "MicrosoftAppPassword": "x",
                "INSPECTION_READY_DEV_NO_AUTH": "1",
            },
            "but MicrosoftAppId is set",
        ),
        (
            {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "x"},
            "INSPECTION_READY_ALLOWED_TENANTS is required",
        ),
    ],
)
def test_configurations_that_would_run_open_exit_2_naming_the_problem(
    listened: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    environ: dict[str, str],
    message: str,
) -> None:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)

    assert cli.main(["serve"]) == 2

    assert message in capsys.readouterr().err
    assert listened == []


def test_the_developer_flag_listens_on_loopback_whatever_host_says(
    listened: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("INSPECTION_READY_DEV_NO_AUTH", "1")
    caplog.set_level(logging.WARNING, logger="bot.cli")

    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "4001"]) == 0

    assert [(call["host"], call["port"]) for call in listened] == [("127.0.0.1", 4001)]
    # The links the service hands out point at the port it listens on.
    assert listened[0]["service_url"] == "http://localhost:4001"
    assert "AUTHENTICATION IS OFF" in caplog.text
    assert "listening on 127.0.0.1 only, not on 0.0.0.0" in caplog.text


def test_with_credentials_serve_listens_where_it_is_told(
    listened: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "MicrosoftAppId": APP_ID,
        "MicrosoftAppPassword": "s3cret",
        "MicrosoftAppType": "SingleTenant",
        "MicrosoftAppTenantId": TENANT,
    }.items():
        monkeypatch.setenv(name, value)

    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "4002"]) == 0

    assert [(call["host"], call["port"]) for call in listened] == [("0.0.0.0", 4002)]


def test_the_dockerfile_never_turns_authentication_off() -> None:
    dockerfile = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text(encoding="utf-8")

    assert "INSPECTION_READY_DEV_NO_AUTH" not in dockerfile
    assert 'CMD ["inspection-ready", "serve"]' in dockerfile
