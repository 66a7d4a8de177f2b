"""This module contains StoreError and its subclasses, the errors the store raises."""

from __future__ import annotations


class StoreError(Exception):
    """Base class for every error raised by the store package."""


class MigrationError(StoreError):
    """The database schema could not be brought up to date."""


class DatabaseUnavailableError(StoreError):
    """The database could not be reached."""


class UnknownMeetingError(StoreError):
    """A date asked for is not an Improvement Board meeting on the calendar."""

    def __init__(self, asked: str, known: list[str]) -> None:
        listed = ", ".join(known) if known else "none: import events with kind improvement_board"
        super().__init__(f"{asked} is not an Improvement Board meeting; the meetings are {listed}")
        self.known = known
