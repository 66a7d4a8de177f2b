"""This module contains Settings, the service's configuration read from the environment."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notifications.quiet_hours import WorkingHours

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/inspection-ready.db"
DEFAULT_PORT = 3978
DEFAULT_TIMEZONE = "Europe/London"
DEFAULT_WORKING_HOURS = "08:00-18:00"
# Teams activities are a few kilobytes; anything this large is not one of them.
MAX_REQUEST_BYTES = 256 * 1024

_SUPPORTED_DATABASE_SCHEMES = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
_WORKING_HOURS_PATTERN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class SettingsError(ValueError):
    """A setting in the environment is missing or malformed; the message names it."""


class AppType(StrEnum):
    """The Azure Bot registration types the Bot Framework SDK understands."""

    MULTI_TENANT = "MultiTenant"
    SINGLE_TENANT = "SingleTenant"
    USER_ASSIGNED_MSI = "UserAssignedMSI"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the service is configured with; build it with `Settings.from_env`."""

    database_url: str = DEFAULT_DATABASE_URL
    app_id: str = ""
    app_password: str = ""
    app_type: AppType = AppType.MULTI_TENANT
    app_tenant_id: str = ""
    port: int = DEFAULT_PORT
    timezone: ZoneInfo = ZoneInfo(DEFAULT_TIMEZONE)
    working_hours: WorkingHours = WorkingHours(time(8, 0), time(18, 0))
    local_knowledge: Path | None = None
    case_url_template: str | None = None
    reminder_rules: Path | None = None
    claim_timeout_seconds: int = 60
    playbook: Path | None = None
    call_renotify_minutes: int = 15
    call_escalate_minutes: int = 30
    call_rounds: int = 3
    public_url: str | None = None

    @property
    def authentication_enabled(self) -> bool:
        """Whether inbound requests must carry a valid Bot Framework token."""
        return bool(self.app_id)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Reads and validates the settings, failing loudly on the first bad value.

        Raises:
            SettingsError: a value is malformed or a required companion value is missing.
        """
        app_id = environ.get("MicrosoftAppId", "").strip()
        app_password = environ.get("MicrosoftAppPassword", "")
        app_type = parse_app_type(environ.get("MicrosoftAppType", ""))
        app_tenant_id = environ.get("MicrosoftAppTenantId", "").strip()
        if app_id:
            if app_type is not AppType.USER_ASSIGNED_MSI and not app_password:
                raise SettingsError(
                    "MicrosoftAppPassword is required when MicrosoftAppId is set "
                    f"(MicrosoftAppType={app_type})"
                )
            if app_type is not AppType.MULTI_TENANT and not app_tenant_id:
                raise SettingsError(
                    f"MicrosoftAppTenantId is required when MicrosoftAppType is {app_type}"
                )
        return cls(
            database_url=parse_database_url(environ.get("DATABASE_URL", "")),
            app_id=app_id,
            app_password=app_password,
            app_type=app_type,
            app_tenant_id=app_tenant_id,
            port=parse_port(environ.get("PORT", "")),
            timezone=parse_timezone(environ.get("INSPECTION_READY_TIMEZONE", "")),
            working_hours=parse_working_hours(environ.get("INSPECTION_READY_WORKING_HOURS", "")),
            local_knowledge=parse_folder(
                "INSPECTION_READY_LOCAL_KNOWLEDGE",
                environ.get("INSPECTION_READY_LOCAL_KNOWLEDGE", ""),
            ),
            case_url_template=parse_case_url_template(
                environ.get("INSPECTION_READY_CASE_URL_TEMPLATE", "")
            ),
            reminder_rules=parse_file(
                "INSPECTION_READY_REMINDER_RULES",
                environ.get("INSPECTION_READY_REMINDER_RULES", ""),
            ),
            claim_timeout_seconds=parse_seconds(
                "INSPECTION_READY_CLAIM_TIMEOUT",
                environ.get("INSPECTION_READY_CLAIM_TIMEOUT", ""),
                default=60,
            ),
            playbook=parse_file(
                "INSPECTION_READY_PLAYBOOK", environ.get("INSPECTION_READY_PLAYBOOK", "")
            ),
            call_renotify_minutes=parse_whole(
                "INSPECTION_READY_CALL_RENOTIFY_MINUTES", environ, default=15, low=1, high=720
            ),
            call_escalate_minutes=parse_whole(
                "INSPECTION_READY_CALL_ESCALATE_MINUTES", environ, default=30, low=1, high=1440
            ),
            call_rounds=parse_whole(
                "INSPECTION_READY_CALL_ROUNDS", environ, default=3, low=0, high=20
            ),
            public_url=parse_public_url(environ.get("INSPECTION_READY_PUBLIC_URL", "")),
        )

    @property
    def service_url(self) -> str:
        """Where people reach this service's own pages (export downloads)."""
        return self.public_url or f"http://localhost:{self.port}"


def parse_database_url(value: str) -> str:
    """Returns the async SQLAlchemy URL, or the default SQLite file when unset."""
    url = value.strip() or DEFAULT_DATABASE_URL
    if not url.startswith(_SUPPORTED_DATABASE_SCHEMES):
        supported = " or ".join(_SUPPORTED_DATABASE_SCHEMES)
        raise SettingsError(f"DATABASE_URL must start with {supported}, got {url.split(':')[0]!r}")
    return url


def parse_app_type(value: str) -> AppType:
    """Returns the registration type, matching the SDK's case-insensitive spelling."""
    if not value.strip():
        return AppType.MULTI_TENANT
    for app_type in AppType:
        if app_type.value.lower() == value.strip().lower():
            return app_type
    allowed = ", ".join(app_type.value for app_type in AppType)
    raise SettingsError(f"MicrosoftAppType must be one of {allowed}, got {value!r}")


def parse_port(value: str) -> int:
    """Returns the HTTP port, or 3978 when unset."""
    if not value.strip():
        return DEFAULT_PORT
    try:
        port = int(value)
    except ValueError:
        raise SettingsError(f"PORT must be a whole number, got {value!r}") from None
    if not 1 <= port <= 65535:
        raise SettingsError(f"PORT must be between 1 and 65535, got {port}")
    return port


def parse_timezone(value: str) -> ZoneInfo:
    """Returns the local time zone, or Europe/London when unset."""
    name = value.strip() or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"INSPECTION_READY_TIMEZONE must be an IANA time zone such as Europe/London, "
            f"got {name!r}"
        ) from None


def parse_working_hours(value: str) -> WorkingHours:
    """Parses "HH:MM-HH:MM" (start before end, same day), or 08:00-18:00 when unset."""
    text = value.strip() or DEFAULT_WORKING_HOURS
    match = _WORKING_HOURS_PATTERN.match(text)
    problem = f"INSPECTION_READY_WORKING_HOURS must look like 08:00-18:00, got {text!r}"
    if match is None:
        raise SettingsError(problem)
    start_hour, start_minute, end_hour, end_minute = (int(part) for part in match.groups())
    try:
        start = time(start_hour, start_minute)
        end = time(end_hour, end_minute)
    except ValueError:
        raise SettingsError(problem) from None
    if start >= end:
        raise SettingsError(f"INSPECTION_READY_WORKING_HOURS must start before it ends: {text!r}")
    return WorkingHours(start, end)


def parse_folder(variable: str, value: str) -> Path | None:
    """An existing folder, or None when unset."""
    if not value.strip():
        return None
    folder = Path(value.strip())
    if not folder.is_dir():
        raise SettingsError(f"{variable} must name an existing folder, got {value!r}")
    return folder


def parse_case_url_template(value: str) -> str | None:
    """A case-record address with {case_ref} where the reference goes, or None."""
    template = value.strip()
    if not template:
        return None
    if not template.startswith("https://") or "{case_ref}" not in template:
        raise SettingsError(
            "INSPECTION_READY_CASE_URL_TEMPLATE must be an https:// address containing "
            f"{{case_ref}}, got {template!r}"
        )
    return template


def parse_file(variable: str, value: str) -> Path | None:
    """An existing file, or None when unset."""
    if not value.strip():
        return None
    path = Path(value.strip())
    if not path.is_file():
        raise SettingsError(f"{variable} must name an existing file, got {value!r}")
    return path


def parse_seconds(variable: str, value: str, default: int = 300) -> int:
    """A whole number of seconds above zero, or `default` when unset."""
    if not value.strip():
        return default
    try:
        seconds = int(value)
    except ValueError:
        raise SettingsError(
            f"{variable} must be a whole number of seconds, got {value!r}"
        ) from None
    if seconds <= 0:
        raise SettingsError(f"{variable} must be above 0, got {seconds}")
    return seconds


def parse_whole(
    variable: str, environ: Mapping[str, str], *, default: int, low: int, high: int
) -> int:
    """A whole number from `low` to `high`, or `default` when unset."""
    value = environ.get(variable, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingsError(f"{variable} must be a whole number, got {value!r}") from None
    if not low <= number <= high:
        raise SettingsError(f"{variable} must be from {low} to {high}, got {number}")
    return number


def parse_public_url(value: str) -> str | None:
    """The service's public address (https, or http on this machine), or None."""
    url = value.strip().rstrip("/")
    if not url:
        return None
    local = url.startswith(("http://localhost", "http://127.0.0.1"))
    if not (url.startswith("https://") or local) or " " in url:
        raise SettingsError(
            "INSPECTION_READY_PUBLIC_URL must be the service's https:// address "
            f"(http only for localhost), got {url!r}"
        )
    return url
