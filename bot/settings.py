"""This module contains Settings, the service's configuration read from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.graph_settings import VARIABLES as GRAPH_VARIABLES
from bot.graph_settings import parse_graph
from bot.notify_settings import VARIABLES as NOTIFY_VARIABLES
from bot.notify_settings import parse_notify
from bot.setting_values import (
    DEFAULT_DATABASE_URL,
    DEFAULT_PORT,
    DEFAULT_TIMEZONE,
    AppType,
    SettingsError,
    blank_is_unset,
    check_spelling,
    parse_app_type,
    parse_call_starters,
    parse_case_url_template,
    parse_database_url,
    parse_dev_flag,
    parse_file,
    parse_folder,
    parse_percentage,
    parse_port,
    parse_public_url,
    parse_seconds,
    parse_tenant,
    parse_tenants,
    parse_timezone,
    parse_whole,
    parse_working_hours,
)
from dialogs.people import DEFAULT_CALL_STARTERS
from notifications.gov_notify import NotifyConfig
from notifications.quiet_hours import WorkingHours
from teams.factory import Sdk
from teams.types import Credentials, GraphConfig

__all__ = ["MAX_REQUEST_BYTES", "AppType", "Settings", "SettingsError"]

# Teams activities are a few kilobytes; anything this large is not one of them.
MAX_REQUEST_BYTES = 256 * 1024
DEV_NO_AUTH = "INSPECTION_READY_DEV_NO_AUTH"
ALLOWED_TENANTS = "INSPECTION_READY_ALLOWED_TENANTS"
SDK_SETTING = "INSPECTION_READY_SDK"
# Every variable the service reads; one spelt another way is refused (see check_spelling).
VARIABLES = (
    "DATABASE_URL",
    "MicrosoftAppId",
    "MicrosoftAppPassword",
    "MicrosoftAppType",
    "MicrosoftAppTenantId",
    "PORT",
    DEV_NO_AUTH,
    ALLOWED_TENANTS,
    SDK_SETTING,
    "INSPECTION_READY_TURNS_PER_MINUTE",
    "INSPECTION_READY_TIMEZONE",
    "INSPECTION_READY_WORKING_HOURS",
    "INSPECTION_READY_LOCAL_KNOWLEDGE",
    "INSPECTION_READY_CASE_URL_TEMPLATE",
    "INSPECTION_READY_REMINDER_RULES",
    "INSPECTION_READY_CLAIM_TIMEOUT",
    "INSPECTION_READY_PLAYBOOK",
    "INSPECTION_READY_CALL_RENOTIFY_MINUTES",
    "INSPECTION_READY_CALL_ESCALATE_MINUTES",
    "INSPECTION_READY_CALL_ROUNDS",
    "INSPECTION_READY_CALL_STARTERS",
    "INSPECTION_READY_PUBLIC_URL",
    "INSPECTION_READY_IMMEDIATELY_DAYS",
    "INSPECTION_READY_IMPORT_MAX_MB",
    "INSPECTION_READY_IMPORT_MAX_ROWS",
    "INSPECTION_READY_BOARD_UPDATE_DAYS",
    "INSPECTION_READY_AUDIT_FORM",
    "INSPECTION_READY_MODERATION_SHARE",
    "INSPECTION_READY_AUDIT_REPEAT_MONTHS",
    "INSPECTION_READY_AUDITS_PER_AUDITOR",
    *GRAPH_VARIABLES,
    *NOTIFY_VARIABLES,
)
# Fields whose values are secrets: never shown by repr, so never in a log or a traceback.
_SECRET_FIELDS = frozenset({"app_password"})


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the service is configured with; build it with `Settings.from_env`."""

    database_url: str = DEFAULT_DATABASE_URL
    app_id: str = ""
    app_password: str = field(default="", repr=False)
    app_type: AppType = AppType.MULTI_TENANT
    app_tenant_id: str = ""
    # Authentication off, on a developer's machine only (INSPECTION_READY_DEV_NO_AUTH=1).
    dev_no_auth: bool = False
    allowed_tenants: frozenset[str] = frozenset()
    sdk: Sdk = Sdk.BOTBUILDER
    turns_per_minute: int = 30
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
    # Inspection roles (casefolded) that may start the call besides coordinators.
    call_starters: frozenset[str] = DEFAULT_CALL_STARTERS
    public_url: str | None = None
    # The working days an "immediately" deadline in the actions file gives, counted from
    # the day its recommendation was received.
    immediately_days: int = 5
    import_max_mb: int = 50
    import_max_rows: int = 100_000
    # Working days before each Improvement Board meeting that action owners are asked for
    # their update.
    board_update_days: int = 5
    # A council's own audit form (grades, domains, follow-ups); None: the shipped one.
    audit_form: Path | None = None
    # The percentage of each month's completed audits sent for moderation.
    moderation_share: int = 10
    # A case audited within this many months is not drawn again.
    audit_repeat_months: int = 6
    # The most audits one auditor is given in a month, counting those already due then.
    audits_per_auditor: int = 3
    # Installing the app for people through Microsoft Graph; None: off. Its repr leaves
    # the client secret out.
    graph: GraphConfig | None = None
    # The inspection call's SMS and email through GOV.UK Notify; None: no fallback. Its repr
    # leaves the API key out.
    notify: NotifyConfig | None = None

    def __repr__(self) -> str:
        # The database URL may carry a password; the app password is left out entirely.
        shown = []
        for setting in fields(self):
            if setting.name in _SECRET_FIELDS:
                continue
            value = getattr(self, setting.name)
            if setting.name == "database_url":
                value = _without_password(value)
            shown.append(f"{setting.name}={value!r}")
        return f"Settings({', '.join(shown)})"

    @property
    def authentication_enabled(self) -> bool:
        """Whether inbound requests must carry a valid Bot Framework token."""
        return bool(self.app_id)

    @property
    def accepted_tenants(self) -> frozenset[str]:
        """The tenants whose activities are accepted; empty means no tenant check.

        The list wins where one is given; otherwise the app's own tenant. Only a developer
        machine (INSPECTION_READY_DEV_NO_AUTH=1) may run with neither.
        """
        if self.allowed_tenants:
            return self.allowed_tenants
        return frozenset({self.app_tenant_id.lower()}) if self.app_tenant_id else frozenset()

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Reads and validates the settings, failing loudly on the first bad value.

        Raises:
            SettingsError: a value is malformed, misspelt, or contradicts another.
        """
        check_spelling(environ, VARIABLES)
        app_id = blank_is_unset(environ.get("MicrosoftAppId")).strip()
        app_password = blank_is_unset(environ.get("MicrosoftAppPassword"))
        app_type_text = blank_is_unset(environ.get("MicrosoftAppType"))
        app_type = parse_app_type(app_type_text)
        app_tenant_id = parse_tenant(
            "MicrosoftAppTenantId", blank_is_unset(environ.get("MicrosoftAppTenantId"))
        )
        dev_no_auth = parse_dev_flag(DEV_NO_AUTH, environ.get(DEV_NO_AUTH, ""))
        if app_id:
            if dev_no_auth:
                raise SettingsError(
                    f"{DEV_NO_AUTH}=1 turns authentication off, but MicrosoftAppId is set; "
                    f"unset one of them ({DEV_NO_AUTH} is for a developer's machine only)"
                )
            if app_type is not AppType.USER_ASSIGNED_MSI and not app_password:
                raise SettingsError(
                    "MicrosoftAppPassword is required when MicrosoftAppId is set "
                    f"(MicrosoftAppType={app_type})"
                )
            if app_type is not AppType.MULTI_TENANT and not app_tenant_id:
                raise SettingsError(
                    f"MicrosoftAppTenantId is required when MicrosoftAppType is {app_type}"
                )
        else:
            for name, value in (
                ("MicrosoftAppPassword", app_password),
                ("MicrosoftAppType", app_type_text),
            ):
                if value:
                    raise SettingsError(
                        f"{name} is set but MicrosoftAppId is not; set MicrosoftAppId too "
                        "(a secret without its App ID would be ignored)"
                    )
        return cls(
            database_url=parse_database_url(environ.get("DATABASE_URL", "")),
            app_id=app_id,
            app_password=app_password,
            app_type=app_type,
            app_tenant_id=app_tenant_id,
            dev_no_auth=dev_no_auth,
            allowed_tenants=parse_tenants(ALLOWED_TENANTS, environ.get(ALLOWED_TENANTS, "")),
            sdk=parse_sdk(environ.get(SDK_SETTING, "")),
            turns_per_minute=parse_whole(
                "INSPECTION_READY_TURNS_PER_MINUTE", environ, default=30, low=1, high=10_000
            ),
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
            call_starters=parse_call_starters(environ.get("INSPECTION_READY_CALL_STARTERS", "")),
            public_url=parse_public_url(environ.get("INSPECTION_READY_PUBLIC_URL", "")),
            immediately_days=parse_whole(
                "INSPECTION_READY_IMMEDIATELY_DAYS", environ, default=5, low=1, high=60
            ),
            import_max_mb=parse_whole(
                "INSPECTION_READY_IMPORT_MAX_MB", environ, default=50, low=1, high=2048
            ),
            import_max_rows=parse_whole(
                "INSPECTION_READY_IMPORT_MAX_ROWS",
                environ,
                default=100_000,
                low=1,
                high=10_000_000,
            ),
            board_update_days=parse_whole(
                "INSPECTION_READY_BOARD_UPDATE_DAYS", environ, default=5, low=1, high=30
            ),
            audit_form=parse_file(
                "INSPECTION_READY_AUDIT_FORM", environ.get("INSPECTION_READY_AUDIT_FORM", "")
            ),
            moderation_share=parse_percentage(
                "INSPECTION_READY_MODERATION_SHARE",
                environ.get("INSPECTION_READY_MODERATION_SHARE", ""),
                default=10,
            ),
            audit_repeat_months=parse_whole(
                "INSPECTION_READY_AUDIT_REPEAT_MONTHS", environ, default=6, low=0, high=60
            ),
            audits_per_auditor=parse_whole(
                "INSPECTION_READY_AUDITS_PER_AUDITOR", environ, default=3, low=1, high=100
            ),
            graph=parse_graph(
                environ, app_id=app_id, app_password=app_password, app_tenant_id=app_tenant_id
            ),
            notify=parse_notify(environ),
        )

    def check_can_serve(self) -> None:
        """Refuses to serve a configuration that would leave /api/messages open by accident.

        Raises:
            SettingsError: no App ID without the developer flag, or a multi-tenant bot with
                no list of the tenants it serves.
        """
        if not self.app_id and not self.dev_no_auth:
            raise SettingsError(
                "MicrosoftAppId is not set, so anyone could post activities to this service. "
                "Set MicrosoftAppId and MicrosoftAppPassword (see docs/deploy.md), or, on a "
                f"developer's machine only, {DEV_NO_AUTH}=1"
            )
        if self.app_id and self.app_type is AppType.MULTI_TENANT and not self.allowed_tenants:
            raise SettingsError(
                f"{ALLOWED_TENANTS} is required when MicrosoftAppType is MultiTenant: list "
                "the tenant ids whose Teams may talk to this bot (or register it SingleTenant "
                "and set MicrosoftAppTenantId)"
            )

    @property
    def credentials(self) -> Credentials:
        """The bot's registration, for whichever SDK runs it."""
        return Credentials(
            app_id=self.app_id,
            password=self.app_password,
            app_type=self.app_type.value,
            tenant_id=self.app_tenant_id,
        )

    @property
    def service_url(self) -> str:
        """Where people reach this service's own pages (export downloads)."""
        return self.public_url or f"http://localhost:{self.port}"


def parse_sdk(value: str) -> Sdk:
    """botbuilder (the default) or agents (the Microsoft 365 Agents SDK)."""
    text = value.strip().lower() or Sdk.BOTBUILDER.value
    try:
        return Sdk(text)
    except ValueError:
        allowed = " or ".join(sdk.value for sdk in Sdk)
        raise SettingsError(f"{SDK_SETTING} must be {allowed}, got {value.strip()!r}") from None


def _without_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"
