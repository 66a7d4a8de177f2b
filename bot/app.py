"""This module contains create_app, which builds the aiohttp application from settings."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from aiohttp import web

from bot.flood import TurnLimiter
from bot.keys import (
    BOT,
    BROADCAST,
    CALL_INSTALLS,
    CLOCK,
    CONVERSATION_LIMITS,
    DATABASE,
    EDGE,
    KNOWLEDGE,
    LIMITER,
    NOTIFICATIONS,
    SCHEDULER,
    SETTINGS,
)
from bot.log_safety import protect_logs
from bot.middlewares import error_middleware, security_headers, size_limit_middleware
from bot.routes import setup_routes
from bot.settings import MAX_REQUEST_BYTES, Settings
from bot.teams_bot import TeamsBot
from dialogs.board_dialog import BoardDialog
from dialogs.call_dialog import CallDialog
from dialogs.turns import Clock, Dialogs
from knowledge.library import KnowledgeBase
from knowledge.working_days import WorkingDays
from notifications.audit_draw import DrawRules
from notifications.audit_form import AuditForm
from notifications.broadcast import Broadcast
from notifications.call_chasing import ChasePolicy
from notifications.call_fallback import CallFallback
from notifications.call_fallback_sender import CallFallbackSender
from notifications.call_installs import CallInstalls
from notifications.call_watch import CallWatch
from notifications.conversation_limits import ConversationLimits
from notifications.gov_notify import RATE_PER_SECOND as NOTIFY_RATE_PER_SECOND
from notifications.gov_notify import GovNotify
from notifications.installation import Installer
from notifications.knowledge_digest import Titles
from notifications.playbook import Playbook
from notifications.quiet_hours import QuietHours
from notifications.reminder_pass import ReminderPass
from notifications.rules import ReminderRules
from notifications.scheduler import Scheduler
from notifications.sender import OutboxSender
from notifications.service import DRAIN_EVERY_SECONDS, Notifications, worker_name
from notifications.shared_budget import NOTIFY_BUDGET, SharedSendBudget
from store.db import Database
from store.models import utc_now
from teams.factory import create_edge
from teams.members import CachedDirectory
from teams.types import Delivery

logger = logging.getLogger(__name__)


def create_app(settings: Settings, *, clock: Clock = utc_now) -> web.Application:
    """The whole service; resources open on startup and close on cleanup, in order.

    `clock` is for tests that need a fixed "today".

    Raises:
        SettingsError: the settings would serve /api/messages open by accident (see
            Settings.check_can_serve).
    """
    settings.check_can_serve()
    protect_logs()
    app = web.Application(
        middlewares=[error_middleware, size_limit_middleware],
        client_max_size=MAX_REQUEST_BYTES,
    )
    app[SETTINGS] = settings
    app[CLOCK] = clock
    app[LIMITER] = TurnLimiter(settings.turns_per_minute)
    app[CONVERSATION_LIMITS] = ConversationLimits()
    app.on_response_prepare.append(security_headers)
    app.cleanup_ctx.extend(
        [
            database_context,
            scheduler_context,
            knowledge_context,
            edge_context,
            bot_context,
            reminders_context,
            long_lived_context,
        ]
    )
    setup_routes(app)
    return app


async def long_lived_context(app: web.Application) -> AsyncIterator[None]:
    """Keeps what start-up built out of the garbage collector's way while the app runs."""
    # The knowledge index, the templates, the SDK's and SQLAlchemy's structures: built once,
    # kept for the life of the process. Every full collection walked all of them, a stall
    # of about a tenth of a second that came back every second or so under load. Frozen,
    # they are left alone, and a collection looks only at what turns allocate.
    gc.freeze()
    yield
    gc.unfreeze()


async def database_context(app: web.Application) -> AsyncIterator[None]:
    """Opens the database engine for the app's lifetime."""
    database = Database(app[SETTINGS].database_url)
    app[DATABASE] = database
    yield
    await database.dispose()


async def scheduler_context(app: web.Application) -> AsyncIterator[None]:
    """Runs the scheduler for the app's lifetime."""
    scheduler = Scheduler(app[SETTINGS].timezone)
    scheduler.start()
    app[SCHEDULER] = scheduler
    yield
    scheduler.stop()


async def knowledge_context(app: web.Application) -> AsyncIterator[None]:
    """Loads and indexes the knowledge files once; a bad file stops the start."""
    app[KNOWLEDGE] = KnowledgeBase.load(app[SETTINGS].local_knowledge)
    logger.info("Knowledge base ready: %d entries", len(app[KNOWLEDGE].entries))
    yield


async def edge_context(app: web.Application) -> AsyncIterator[None]:
    """Builds the edge on the SDK the settings name, and closes its connections after."""
    settings = app[SETTINGS]
    if not settings.authentication_enabled:
        logger.warning(
            "Authentication is OFF (INSPECTION_READY_DEV_NO_AUTH=1): requests to /api/messages "
            "are not checked. This is for a developer's machine only."
        )
    app[EDGE] = create_edge(settings.sdk, settings.credentials)
    logger.info("Teams edge: %s", app[EDGE].name)
    yield
    await app[EDGE].close()


async def bot_context(app: web.Application) -> AsyncIterator[None]:
    """Builds the dialogs and the bot."""
    settings = app[SETTINGS]
    edge = app[EDGE]
    calendar = WorkingDays()
    app[BROADCAST] = build_broadcast(settings, calendar, app[CLOCK])
    installer = Installer(settings.graph)
    # The notifications are built after the bot; look them up when alerts are let go.
    app[CALL_INSTALLS] = CallInstalls(
        app[DATABASE],
        installer,
        app[BROADCAST],
        app[CLOCK],
        on_released=lambda: app[NOTIFICATIONS].drain_soon(),
    )
    dialogs = Dialogs(
        app[KNOWLEDGE],
        settings.timezone,
        case_url_template=settings.case_url_template,
        working_days=calendar,
        calls=CallDialog(app[BROADCAST], settings.service_url, installer),
        clock=app[CLOCK],
        local_knowledge=settings.local_knowledge,
        call_starters=settings.call_starters,
        board=BoardDialog(
            settings.service_url,
            QuietHours(settings.timezone, settings.working_hours, calendar),
        ),
        audit_form=AuditForm.load(settings.audit_form),
        moderation_share=settings.moderation_share,
        export_base_url=settings.service_url,
        draw_rules=DrawRules(settings.audit_repeat_months, settings.audits_per_auditor),
    )
    app[BOT] = TeamsBot(
        app[DATABASE],
        dialogs,
        edge.delivery,
        CachedDirectory(edge.directory),
        # The notifications are built after the bot; look them up when the alert is sent.
        on_urgent=lambda: app[NOTIFICATIONS].drain_soon(),
        on_installs=app[CALL_INSTALLS].start,
        home_tenants=settings.accepted_tenants,
        clock=app[CLOCK],
        # Replies count in the budget the replicas' outboxes share, without waiting on it.
        reply_budget=None if app[DATABASE].is_sqlite else SharedSendBudget(app[DATABASE]),
        conversation_limits=app[CONVERSATION_LIMITS],
    )
    yield


async def reminders_context(app: web.Application) -> AsyncIterator[None]:
    """Schedules the daily reminder pass and the outbox drain on the running scheduler."""
    app[NOTIFICATIONS] = build_notifications(
        app[SETTINGS],
        app[DATABASE],
        app[CLOCK],
        app[EDGE].delivery,
        titles=entry_titles(app[KNOWLEDGE]),
        conversation_limits=app[CONVERSATION_LIMITS],
    )
    app[NOTIFICATIONS].schedule(app[SCHEDULER], app[SETTINGS].working_hours.start)
    yield
    # First, as they wake the sender: a run cut short leaves its held alerts to go when due.
    await app[CALL_INSTALLS].close()
    await app[NOTIFICATIONS].stop(app[SCHEDULER])


def build_notifications(
    settings: Settings,
    database: Database,
    clock: Clock,
    delivery: Delivery,
    *,
    titles: Titles | None = None,
    conversation_limits: ConversationLimits | None = None,
) -> Notifications:
    """The reminder pass and the outbox sender for these settings, sending via `delivery`."""
    calendar = WorkingDays()
    quiet_hours = QuietHours(settings.timezone, settings.working_hours, calendar)
    rules = ReminderRules.load(settings.reminder_rules)
    # One set of per-conversation windows for everything this process sends to Teams.
    limits = conversation_limits if conversation_limits is not None else ConversationLimits()
    sender = OutboxSender(
        database,
        delivery,
        quiet_hours,
        worker=worker_name(),
        # On PostgreSQL several replicas may send: they share one budget in the database.
        limiter=None if database.is_sqlite else SharedSendBudget(database),
        clock=clock,
        stale_claim=timedelta(seconds=settings.claim_timeout_seconds),
        # Urgent retries (the inspection call) go as soon as they are due, not at the next
        # scheduled drain.
        linger=DRAIN_EVERY_SECONDS,
        other_channels=build_fallback_sender(settings, database, clock),
        conversation_limits=limits,
    )
    watch = CallWatch(
        database,
        build_broadcast(settings, calendar, clock),
        delivery,
        clock,
        conversation_limits=limits,
    )
    return Notifications(
        ReminderPass(
            database,
            rules,
            calendar,
            quiet_hours,
            titles,
            board_update_days=settings.board_update_days,
        ),
        sender,
        settings.timezone,
        clock,
        call_watch=watch,
    )


def entry_titles(knowledge: KnowledgeBase) -> Titles:
    """Looks up a knowledge entry's title by id, for the coordinators' weekly digest."""

    def title(entry_id: str) -> str | None:
        entry = knowledge.entry(entry_id)
        return entry.title if entry is not None else None

    return title


def build_broadcast(
    settings: Settings, calendar: WorkingDays, clock: Clock = utc_now
) -> Broadcast:
    """The inspection call's playbook and chase policy from these settings."""
    policy = ChasePolicy(
        renotify_after=timedelta(minutes=settings.call_renotify_minutes),
        escalate_after=timedelta(minutes=settings.call_escalate_minutes),
        rounds=settings.call_rounds,
    )
    return Broadcast(
        Playbook.load(settings.playbook),
        calendar,
        settings.timezone,
        policy,
        fallback=CallFallback(frozenset(settings.notify.templates)) if settings.notify else None,
        clock=clock,
    )


def build_fallback_sender(
    settings: Settings, database: Database, clock: Clock
) -> CallFallbackSender | None:
    """The inspection call's SMS and email through GOV.UK Notify; None when it is not set up."""
    notify = settings.notify
    if notify is None:
        return None
    logger.info(
        "Inspection-call fallback through GOV.UK Notify at %s: %s",
        notify.base_url,
        " and ".join(channel.value for channel in notify.templates),
    )
    # Notify's limit is per service: on PostgreSQL the replicas share one budget for it too.
    shared = (
        None
        if database.is_sqlite
        else SharedSendBudget(database, NOTIFY_RATE_PER_SECOND, row=NOTIFY_BUDGET)
    )
    return CallFallbackSender(
        database,
        GovNotify(notify.api_key, notify.base_url, limiter=shared),
        notify.templates,
        settings.service_url,
        clock,
    )
