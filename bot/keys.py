"""This module contains the typed keys for everything kept on the aiohttp application."""

from __future__ import annotations

from aiohttp import web

from bot.flood import TurnLimiter
from bot.settings import Settings
from bot.teams_bot import TeamsBot
from dialogs.turns import Clock
from knowledge.library import KnowledgeBase
from notifications.broadcast import Broadcast
from notifications.call_installs import CallInstalls
from notifications.conversation_limits import ConversationLimits
from notifications.scheduler import Scheduler
from notifications.service import Notifications
from store.db import Database
from teams.types import Edge

SETTINGS = web.AppKey("settings", Settings)
DATABASE = web.AppKey("database", Database)
SCHEDULER = web.AppKey("scheduler", Scheduler)
EDGE: web.AppKey[Edge] = web.AppKey("edge")
BOT = web.AppKey("bot", TeamsBot)
KNOWLEDGE = web.AppKey("knowledge", KnowledgeBase)
NOTIFICATIONS = web.AppKey("notifications", Notifications)
CLOCK: web.AppKey[Clock] = web.AppKey("clock")
LIMITER = web.AppKey("limiter", TurnLimiter)
# The inspection call's playbook and policy, for the acknowledge link's pages.
BROADCAST = web.AppKey("broadcast", Broadcast)
# Teams' per-conversation limits, shared by the bot's replies and the outbox in this process.
CONVERSATION_LIMITS = web.AppKey("conversation_limits", ConversationLimits)
# Installing the app through Graph while an inspection call's alerts go out.
CALL_INSTALLS = web.AppKey("call_installs", CallInstalls)
