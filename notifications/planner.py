"""This module decides which reminders are due today: pure rules over plain data."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from cards.work_items import ItemKind, WorkItem
from knowledge.working_days import WorkingDays
from notifications.rules import ReminderRules
from store.models import StaffRole

DUE_SOON = 5

logger = logging.getLogger(__name__)


class MessageKind(StrEnum):
    """What a queued message is."""

    BEFORE_DUE = "before_due"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    ESCALATION = "escalation"
    EVENT = "event"
    DIGEST = "digest"


# Pausing stops only these; anything overdue keeps coming.
NON_URGENT = frozenset({MessageKind.BEFORE_DUE, MessageKind.EVENT})


@dataclass(frozen=True, slots=True)
class Recipient:
    """A person as the planner needs them."""

    staff_id: int
    name: str
    role: StaffRole
    team: str | None
    manager_id: int | None
    digest_only: bool = False
    paused_until: date | None = None
    # The priority areas this person leads (casefolded): their digest covers those areas'
    # actions, whoever manages the owners.
    leads: frozenset[str] = frozenset()

    def wants(self, kind: MessageKind, today: date) -> bool:
        """Whether this person's preferences let a message of `kind` through today."""
        if self.paused_until is not None and today <= self.paused_until and kind in NON_URGENT:
            return False
        return not (
            self.digest_only
            and kind
            in (
                MessageKind.BEFORE_DUE,
                MessageKind.DUE_TODAY,
                MessageKind.OVERDUE,
                MessageKind.EVENT,
            )
        )


@dataclass(frozen=True, slots=True)
class EventInfo:
    """A calendar event as the planner needs it."""

    id: int
    title: str
    date: date
    kind: str
    audience: str


@dataclass(frozen=True, slots=True)
class Planned:
    """One message to queue; the dedupe key makes queuing it twice impossible."""

    dedupe_key: str
    recipient_id: int
    kind: MessageKind
    item: WorkItem | None = None
    event: EventInfo | None = None
    digest: tuple[WorkItem, ...] = ()
    working_days: int = 0


@dataclass
class Planner:
    """Applies the reminder rules for one day."""

    rules: ReminderRules
    calendar: WorkingDays
    people: dict[int, Recipient]
    snoozed: dict[tuple[str, int], date] = field(default_factory=dict)

    def plan(
        self, today: date, items: Iterable[WorkItem], events: Iterable[EventInfo]
    ) -> list[Planned]:
        """Everything due today. Call it on working days; re-running it plans the same keys."""
        planned: list[Planned] = []
        items = self._without_viewers_audits(items)
        for item in items:
            planned += self._item(today, item)
        for event in events:
            planned += self._event(today, event)
        planned += self._digests(today, items)
        return planned

    def _without_viewers_audits(self, items: Iterable[WorkItem]) -> list[WorkItem]:
        """`items` less any audit held by a viewer (read-only), who is never sent one.

        Imports refuse to give a viewer an audit; one found anyway (a role changed since,
        say) is left out, and counted in the log (no names) so it can be reassigned.
        """
        kept, skipped = [], 0
        for item in items:
            owner = self.people.get(item.owner_id)
            if (
                item.kind is ItemKind.AUDIT
                and owner is not None
                and owner.role is StaffRole.VIEWER
            ):
                skipped += 1
            else:
                kept.append(item)
        if skipped:
            logger.warning("Reminders: %d open audit(s) held by viewers left out", skipped)
        return kept

    def _item(self, today: date, item: WorkItem) -> list[Planned]:
        owner = self.people.get(item.owner_id)
        if owner is None:
            return []
        base = f"{item.kind}:{item.id}:{item.due_date.isoformat()}"
        out: list[Planned] = []
        snoozed = self.snoozed.get((item.kind.value, item.id))
        owner_ok = snoozed is None or today > snoozed
        if item.due_date > today:
            ahead = self.calendar.between(today, item.due_date)
            # The nearest milestone reached: a pass missed on its day catches up the next.
            reached = [n for n in self.rules.before_due if ahead <= n]
            if reached and owner_ok and owner.wants(MessageKind.BEFORE_DUE, today):
                n = min(reached)
                out.append(
                    Planned(
                        f"before{n}:{base}:{owner.staff_id}",
                        owner.staff_id,
                        MessageKind.BEFORE_DUE,
                        item,
                        working_days=ahead,
                    )
                )
            return out
        if item.due_date == today:
            if self.rules.on_due_date and owner_ok and owner.wants(MessageKind.DUE_TODAY, today):
                out.append(
                    Planned(
                        f"due:{base}:{owner.staff_id}", owner.staff_id, MessageKind.DUE_TODAY, item
                    )
                )
            return out
        overdue = self.calendar.between(item.due_date, today)
        if overdue <= 0:
            return out
        every = self.rules.overdue_every
        round_ = (overdue - 1) // every
        if owner_ok and owner.wants(MessageKind.OVERDUE, today):
            out.append(
                Planned(
                    f"overdue{round_}:{base}:{owner.staff_id}",
                    owner.staff_id,
                    MessageKind.OVERDUE,
                    item,
                    working_days=overdue,
                )
            )
        manager = self.people.get(owner.manager_id) if owner.manager_id is not None else None
        if overdue >= self.rules.escalate_after and manager is not None:
            escalation = (overdue - self.rules.escalate_after) // every
            out.append(
                Planned(
                    f"escalate{escalation}:{base}:{manager.staff_id}",
                    manager.staff_id,
                    MessageKind.ESCALATION,
                    item,
                    working_days=overdue,
                )
            )
        return out

    def _event(self, today: date, event: EventInfo) -> list[Planned]:
        if event.date <= today:
            return []
        ahead = self.calendar.between(today, event.date)
        reached = [n for n in self.rules.event_before if ahead <= n]
        if not reached:
            return []
        n = min(reached)
        return [
            Planned(
                f"event{n}:{event.id}:{event.date.isoformat()}:{person.staff_id}",
                person.staff_id,
                MessageKind.EVENT,
                event=event,
                working_days=ahead,
            )
            for person in self.people.values()
            if _in_audience(person, event.audience) and person.wants(MessageKind.EVENT, today)
        ]

    def _digests(self, today: date, items: list[WorkItem]) -> list[Planned]:
        if not self._digest_day(today):
            return []
        year, week, _ = today.isocalendar()
        reports = self._reports()
        relevant = [i for i in items if i.due_date <= self.calendar.add(today, DUE_SOON)]
        out = []
        for person in self.people.values():
            if person.role in (StaffRole.COORDINATOR, StaffRole.ADMIN):
                mine = relevant
            elif person.role is StaffRole.MANAGER or person.digest_only or person.leads:
                # A lead who is neither a manager nor digest-only: their areas only.
                in_line = person.role is StaffRole.MANAGER or person.digest_only
                owners = reports[person.staff_id] | {person.staff_id} if in_line else set()
                mine = [
                    i
                    for i in relevant
                    if i.owner_id in owners
                    or (i.area is not None and i.area.casefold() in person.leads)
                ]
            else:
                continue
            if mine:  # no digest when there is nothing to say
                out.append(
                    Planned(
                        f"digest:{year}-W{week:02d}:{person.staff_id}",
                        person.staff_id,
                        MessageKind.DIGEST,
                        digest=tuple(mine),
                    )
                )
        return out

    def _digest_day(self, today: date) -> bool:
        # The digest weekday, or the first working day after it if that was a bank holiday.
        monday = today.toordinal() - today.weekday()
        wanted = date.fromordinal(monday + self.rules.digest_weekday)
        return today == self.calendar.next_working_day(wanted)

    def _reports(self) -> dict[int, set[int]]:
        children: dict[int, list[int]] = defaultdict(list)
        for person in self.people.values():
            if person.manager_id is not None:
                children[person.manager_id].append(person.staff_id)
        result: dict[int, set[int]] = defaultdict(set)
        for person in self.people.values():
            frontier = list(children[person.staff_id])
            while frontier:
                child = frontier.pop()
                if child not in result[person.staff_id] and child != person.staff_id:
                    result[person.staff_id].add(child)
                    frontier.extend(children[child])
        return result


def _in_audience(person: Recipient, audience: str) -> bool:
    if audience == "all":
        return True
    if audience == "managers":
        return person.role in (StaffRole.MANAGER, StaffRole.COORDINATOR, StaffRole.ADMIN)
    if audience == "coordinators":
        return person.role in (StaffRole.COORDINATOR, StaffRole.ADMIN)
    return audience.startswith("team:") and audience[5:] == person.team
