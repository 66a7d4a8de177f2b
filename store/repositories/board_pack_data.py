"""This module contains the plain data a board pack is built from, read in one call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class PackAction:
    """One action of the plan, as the pack shows it."""

    ref: str
    description: str
    priority_area: str
    recommendation: str | None
    owner: str
    status: str
    due_date: date
    completed_on: date | None


@dataclass(frozen=True, slots=True)
class PackUpdate:
    """An owner's update for one meeting; `review_status` says whether the lead has seen it."""

    action_ref: str
    meeting: date
    rag: str
    note: str
    evidence_text: str | None
    evidence_link: str | None
    impact: str
    submitted_at: datetime
    review_status: str
    reviewed_by: str | None


@dataclass(frozen=True, slots=True)
class PackExtension:
    """An approved extension: the deadline that moved, by whom and when."""

    action_ref: str
    from_date: date
    to_date: date
    approved_by: str
    approved_on: date
    reason: str


@dataclass(frozen=True, slots=True)
class PackGroup:
    """A recommendation or a priority area, with its lead if it has one."""

    name: str
    title: str
    lead: str | None


@dataclass(frozen=True, slots=True)
class PackData:
    """Everything a pack for one meeting shows; `meetings` are every board date up to it."""

    meeting: date
    meeting_title: str
    meetings: tuple[date, ...]
    actions: tuple[PackAction, ...]
    updates: tuple[PackUpdate, ...]
    extensions: tuple[PackExtension, ...]
    areas: tuple[PackGroup, ...]
    recommendations: tuple[PackGroup, ...]

    @property
    def previous_meeting(self) -> date | None:
        """The board meeting before this one, if there was one."""
        earlier = [m for m in self.meetings if m < self.meeting]
        return max(earlier) if earlier else None
