"""This module contains NotificationError and its subclasses."""

from __future__ import annotations


class NotificationError(Exception):
    """Base class for every error raised by the notifications package."""


class RulesError(NotificationError):
    """The reminder rules file is missing or invalid; the message names the value."""
