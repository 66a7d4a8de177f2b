"""This module contains StoreError and its subclasses, the errors the store raises."""

from __future__ import annotations


class StoreError(Exception):
    """Base class for every error raised by the store package."""


class MigrationError(StoreError):
    """The database schema could not be brought up to date."""


class DatabaseUnavailableError(StoreError):
    """The database could not be reached."""
