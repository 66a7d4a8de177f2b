"""This module contains the parsers that turn one environment value into a setting."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dialogs.people import DEFAULT_CALL_STARTERS
from notifications.quiet_hours import WorkingHours

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/inspection-ready.db"
DEFAULT_PORT = 3978
DEFAULT_TIMEZONE = "Europe/London"
DEFAULT_WORKING_HOURS = "08:00-18:00"
# As long as the staff file's inspection_role column allows.
MAX_ROLE_LENGTH = 200

_SUPPORTED_DATABASE_SCHEMES = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
_WORKING_HOURS_PATTERN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class SettingsError(ValueError):
    """A setting in the environment is missing or malformed; the message names it."""


class AppType(StrEnum):
    """The Azure Bot registration types the Bot Framework SDK understands."""

    MULTI_TENANT = "MultiTenant"
    SINGLE_TENANT = "SingleTenant"
    USER_ASSIGNED_MSI = "UserAssignedMSI"


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


def parse_percentage(variable: str, value: str, *, default: int) -> int:
    """A whole percentage from 0 to 100, written `10%` or `10`, or `default` when unset."""
    text = value.strip()
    if not text:
        return default
    number = text[:-1].strip() if text.endswith("%") else text
    if not number.isdigit() or not 0 <= int(number) <= 100:
        raise SettingsError(
            f"{variable} must be a whole percentage from 0 to 100, as 10% or 10, got {text!r}"
        )
    return int(number)


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


def parse_dev_flag(variable: str, value: str) -> bool:
    """`1` turns a developer-only switch on; unset, empty or `0` leaves it off.

    Anything else is refused rather than guessed at: "true" or "yes" might be meant as on
    or off, and this switch turns authentication off.
    """
    text = value.strip()
    if text in ("", "0"):
        return False
    if text == "1":
        return True
    raise SettingsError(f"{variable} must be 1 (on) or unset, got {text!r}")


def parse_call_starters(value: str) -> frozenset[str]:
    """INSPECTION_READY_CALL_STARTERS: inspection roles, comma-separated; blank means the
    default (the DCS), and `none` means coordinators only."""
    if not value.strip():
        return DEFAULT_CALL_STARTERS
    roles = frozenset(r.strip().casefold() for r in value.split(",") if r.strip())
    if roles == {"none"}:
        return frozenset()
    if any(len(r) > MAX_ROLE_LENGTH for r in roles):
        raise SettingsError(
            f"INSPECTION_READY_CALL_STARTERS: each inspection role must be at most "
            f"{MAX_ROLE_LENGTH} characters"
        )
    return roles


def parse_tenants(variable: str, value: str) -> frozenset[str]:
    """A comma-separated list of Microsoft Entra tenant ids, compared without case."""
    tenants = [part.strip().lower() for part in value.split(",")]
    named = [tenant for tenant in tenants if tenant]
    if value.strip() and len(named) != len(tenants):
        raise SettingsError(f"{variable} has an empty entry; list tenant ids separated by commas")
    for tenant in named:
        if not _TENANT_ID.fullmatch(tenant) or tenant in NOT_TENANTS:
            raise SettingsError(
                f"{variable} must list tenant ids (GUIDs or domain names), got {tenant!r}"
            )
    return frozenset(named)


def parse_tenant(variable: str, value: str) -> str:
    """One tenant id, or "" when unset; the sign-in audiences that are not tenants refused."""
    tenant = value.strip()
    if tenant.lower() in NOT_TENANTS:
        raise SettingsError(
            f"{variable} must be your tenant's id, not {tenant!r}, which names no tenant"
        )
    return tenant


# Entra ID's sign-in audiences: they stand for many tenants (or none), never one.
NOT_TENANTS = frozenset({"common", "organizations", "consumers"})


def check_spelling(environ: Mapping[str, str], names: tuple[str, ...]) -> None:
    """Refuses a variable that is one of ours spelt another way (MicrosoftAppID, say).

    A misspelt App ID would otherwise look like no App ID at all, and a secret set under a
    misspelt name would be silently ignored.
    """
    wanted = {_squash(name): name for name in names}
    for key in environ:
        name = wanted.get(_squash(key))
        if name is not None and key != name:
            raise SettingsError(f"{key} is set, but the variable is spelt {name}; rename it")


def blank_is_unset(value: str | None) -> str:
    """The value with a blank one treated as not set at all."""
    return value if value is not None and value.strip() else ""


def _squash(name: str) -> str:
    return name.replace("_", "").lower()


# Tenant ids are GUIDs; Bot Framework also accepts a tenant's domain name in their place.
_TENANT_ID = re.compile(r"[0-9a-z][0-9a-z.-]{0,253}")
