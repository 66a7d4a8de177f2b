"""This module shows each person their work: lists, details, their team and the calendar."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from rapidfuzz import fuzz, process

from cards.rendering import plain_text, render_card
from cards.work_items import (
    DUE_SOON_WORKING_DAYS,
    WorkItem,
    from_action,
    from_audit,
    most_urgent_first,
)
from dialogs.card_data import parse_whole
from dialogs.people import Person
from dialogs.replies import Reply
from dialogs.routing import Command, Intent, normalise
from dialogs.scope import (
    EVERYONE_ROLES,
    READ_ONLY_ROLES,
    may_change,
    reports,
    visible_auditors,
    visible_owners,
)
from knowledge.working_days import WorkingDays
from notifications.audit_form import AuditForm
from store.models import (
    Action,
    ActionStatus,
    AuditAssignment,
    AuditStatus,
    CalendarEvent,
    StaffRole,
)
from store.repositories import areas, findings, work

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

PAGE_SIZE = 10
WORK_INTENTS = frozenset(
    {
        Intent.MY_ACTIONS,
        Intent.OVERDUE,
        Intent.DUE_THIS_WEEK,
        Intent.MY_AUDITS,
        Intent.AUDITS_DUE,
        Intent.MY_TEAM,
        Intent.OVERDUE_IN,
        Intent.CALENDAR,
        Intent.AREA_ACTIONS,
    }
)
# Further down a list than anyone pages; a larger offset in card data is not a real press.
MAX_OFFSET = 100_000
MAX_ARGUMENT = 200
NOT_ON_ROSTER = (
    "You are not on this council's inspection-readiness roster, so I cannot show you any "
    "actions or audits. Ask your inspection-readiness coordinator to add you."
)
MANAGERS_ONLY = "Only managers and coordinators can look across a priority area or team."
NO_AREA = (
    "You do not lead a priority area of the improvement plan. Try 'my actions'; your "
    "coordinator keeps the list of areas and their leads."
)
NO_AUDITS = "Case audits are not shown to board members: they name children's cases."
EVENT_LABELS = {
    "monitoring_visit": "Monitoring visit",
    "action_plan_due": "Action plan due",
    "improvement_board": "Improvement Board",
    "self_evaluation": "Self-evaluation",
    "annual_engagement": "Annual engagement meeting",
    "focused_visit": "Focused visit",
    "other": "Other",
}


@dataclass(frozen=True, slots=True)
class Section:
    """A titled block of lines (and buttons) under a list."""

    heading: str
    lines: list[str] = field(default_factory=list)
    actions: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


class WorkViews:
    """Builds the "my work" cards; `case_url_template` makes the case-record link."""

    def __init__(self, calendar: WorkingDays, case_url_template: str | None) -> None:
        self.calendar = calendar
        self.case_url_template = case_url_template
        # What a completed audit's findings are shown with; Dialogs sets the council's own.
        self.audit_form = AuditForm.load()

    async def show(
        self, session: AsyncSession, person: Person, command: Command, today: date, offset: int = 0
    ) -> Reply:
        """The card for one of the work commands."""
        if command.intent is Intent.CALENDAR:
            # Anyone may see the dates meant for everyone; roles see their own too.
            return await self.calendar_card(session, person, today, command.argument)
        if person.staff_id is None:
            return Reply(text=NOT_ON_ROSTER)
        if command.intent is Intent.MY_TEAM:
            return await self.team_card(session, person, today, offset)
        if command.intent is Intent.OVERDUE_IN:
            return await self.overdue_in(session, person, command.argument or "", today, offset)
        if command.intent is Intent.AREA_ACTIONS:
            return await self.area_card(session, person, today, offset)
        if person.role in READ_ONLY_ROLES and command.intent in (
            Intent.MY_AUDITS,
            Intent.AUDITS_DUE,
        ):
            # Also for a list's "show more", which does not pass through the policy.
            return Reply(text=NO_AUDITS)
        owners: set[int] | None = {person.staff_id}
        # A viewer's lists never hold an audit, even one assigned to them by mistake.
        owners_of_audits = set() if person.role in READ_ONLY_ROLES else owners
        # Nor an audit follow-up action, written about a child's case.
        own_follow_ups = person.role not in READ_ONLY_ROLES
        soon = self.calendar.add(today, DUE_SOON_WORKING_DAYS)
        if command.intent is Intent.MY_ACTIONS:
            items = await self._actions(session, owners, today, follow_ups=own_follow_ups)
            heading, empty = "Your actions", "You have no open improvement-plan actions."
        elif command.intent is Intent.OVERDUE:
            items = await self._actions(
                session, owners, today, due_by=today, follow_ups=own_follow_ups
            )
            items += await self._audits(session, owners_of_audits, today, due_by=today)
            items = [i for i in items if i.working_days_overdue > 0]
            heading = "Your overdue actions and audits"
            empty = "Nothing of yours is overdue."
        elif command.intent is Intent.DUE_THIS_WEEK:
            items = await self._actions(
                session, owners, today, due_by=soon, follow_ups=own_follow_ups
            )
            items += await self._audits(session, owners_of_audits, today, due_by=soon)
            heading, empty = "Due in the next 5 working days", "Nothing of yours is due this week."
        elif command.intent is Intent.MY_AUDITS:
            items = await self._audits(session, owners, today)
            heading, empty = "Your audits", "You have no open audit assignments."
        else:  # AUDITS_DUE
            scope = await visible_auditors(session, person)
            items = await self._audits(session, scope, today, due_by=soon)
            heading = "Audits overdue or due in the next 5 working days"
            empty = "No audits are overdue or due this week."
        return self.list_card(heading, empty, most_urgent_first(items), command, offset)

    def list_card(
        self,
        heading: str,
        empty: str,
        items: list[WorkItem],
        command: Command,
        offset: int,
        *,
        sections: list[Section] | None = None,
        show_owner: bool = False,
    ) -> Reply:
        """A page of items, most urgent first, with "show more" when there are more."""
        page = items[offset : offset + PAGE_SIZE]
        overdue = sum(1 for i in items if i.working_days_overdue > 0)
        if items:
            summary = f"{len(items)} open, {overdue} overdue."
            if len(items) > PAGE_SIZE:
                summary += f" Showing {offset + 1}-{offset + len(page)}."
        else:
            summary = empty
        more = None
        if offset + PAGE_SIZE < len(items):
            more = {
                "action": "show_list",
                "intent": command.intent.value,
                "argument": command.argument,
                "offset": offset + PAGE_SIZE,
            }
        card = render_card(
            "work_list",
            heading=heading,
            summary=summary,
            items=page,
            sections=sections or [],
            more=more,
            show_owner=show_owner,
            back=back_fields(command, offset),
        )
        return Reply(card=card)

    async def team_card(
        self, session: AsyncSession, person: Person, today: date, offset: int
    ) -> Reply:
        """A manager's view of everyone below them: open items, recent completions and
        extension requests waiting for a decision."""
        if person.role is StaffRole.PRACTITIONER:
            return Reply(text="'My team' is for managers and coordinators. Try 'my actions'.")
        if person.role in READ_ONLY_ROLES:
            # A team's list carries its audits, and so case references.
            return Reply(text="'My team' is for managers and coordinators. Try 'the plan'.")
        # Coordinators see everyone; a manager everyone below them (not their own items).
        owners = None if person.role in EVERYONE_ROLES else await reports(session, person)
        items = await self._actions(session, owners, today)
        items += await self._audits(session, owners, today)
        since = datetime.combine(today - timedelta(days=14), time.min, tzinfo=UTC)
        done = await work.recently_completed_actions(
            session, owners, since, follow_ups=person.role not in READ_ONLY_ROLES
        )
        sections = [
            Section(
                "Done in the last two weeks",
                [
                    f"{a.ref}: {a.owner.name}, completed {a.completed_at:%d %b}"
                    for a in done
                    if a.completed_at is not None
                ]
                or ["Nothing completed in the last two weeks."],
            )
        ]
        for request in await work.pending_extensions(session, owners):
            if request.requested_by_id == person.staff_id:
                continue  # their own request, for someone above them to decide
            sections.append(
                Section(
                    f"Extension requested: {request.action.ref} ({request.action.owner.name})",
                    [
                        f"From {_long(request.current_due_date)} to "
                        f"{_long(request.requested_due_date)}: {request.reason}"
                    ],
                    [("Review request", {"action": "open_extension", "request": request.id})],
                )
            )
        heading = "Everyone's work" if owners is None else "Your team's work"
        return self.list_card(
            heading,
            "Nobody in your team has open actions or audits.",
            most_urgent_first(items),
            Command(Intent.MY_TEAM),
            offset,
            sections=sections,
            show_owner=True,
        )

    async def overdue_in(
        self, session: AsyncSession, person: Person, name: str, today: date, offset: int
    ) -> Reply:
        """Overdue items in one priority area or team, for managers and coordinators."""
        if person.role is StaffRole.PRACTITIONER:
            return Reply(text=MANAGERS_ONLY)
        owners = await visible_owners(session, person)
        # A viewer sees no audit follow-up: it is written about a child's case.
        follow_ups = person.role not in READ_ONLY_ROLES
        areas = await work.priority_areas(session)
        area = _closest(name, areas)
        teams = {t.name: t for t in await work.teams(session)}
        team_name = _closest(name, list(teams)) if area is None else None
        if area is None and team_name is None:
            # What they typed is echoed back, and the names come from import files.
            known = ", ".join(plain_text(a) for a in areas)
            known_teams = ", ".join(plain_text(t) for t in teams)
            return Reply(
                text=f"I don't know a priority area or team called '{plain_text(name)}'. "
                f"Priority areas: {known}. Teams: {known_teams}."
            )
        if area is not None:
            actions = await work.open_actions(
                session, owners, due_by=today, priority_area=area, follow_ups=follow_ups
            )
            items = [from_action(a, today, self.calendar) for a in actions]
        else:
            team = teams[str(team_name)]
            actions = await work.open_actions(
                session, owners, due_by=today, team_id=team.id, follow_ups=follow_ups
            )
            auditors = await visible_auditors(session, person)
            audits = (
                await work.open_audits(session, auditors, due_by=today, team_id=team.id)
                if auditors is None or auditors
                else []
            )
            items = [from_action(a, today, self.calendar) for a in actions]
            items += [from_audit(a, today, self.calendar) for a in audits]
        items = [i for i in items if i.working_days_overdue > 0]
        label = area or team_name
        return self.list_card(
            f"Overdue in {label}",
            f"Nothing is overdue in {label}.",
            most_urgent_first(items),
            Command(Intent.OVERDUE_IN, name),
            offset,
            show_owner=True,
        )

    async def area_card(
        self, session: AsyncSession, person: Person, today: date, offset: int
    ) -> Reply:
        """The open actions in the priority areas `person` leads, whoever manages their
        owners; coordinators, admins and viewers see every area's."""
        if person.staff_id is None:
            return Reply(text=NOT_ON_ROSTER)
        everything = person.role in EVERYONE_ROLES or person.role in READ_ONLY_ROLES
        led = await areas.areas_led_by(session, person.staff_id)
        if not led and not everything:
            return Reply(text=NO_AREA)
        actions = await areas.open_actions_in(
            session,
            None if everything else led,
            follow_ups=person.role not in READ_ONLY_ROLES,
        )
        items = [from_action(a, today, self.calendar) for a in actions]
        sections = (
            [Section("The areas you lead", [plain_text(name) for name in led])] if led else []
        )
        return self.list_card(
            "Actions in every priority area" if everything else "Actions in your priority areas",
            "No open actions in these priority areas.",
            most_urgent_first(items),
            Command(Intent.AREA_ACTIONS),
            offset,
            sections=sections,
            show_owner=True,
        )

    async def calendar_card(
        self, session: AsyncSession, person: Person, today: date, kind: str | None
    ) -> Reply:
        """Upcoming dates this person's audience includes; the next of `kind` first."""
        events = [
            e for e in await work.upcoming_events(session, today, limit=50) if _for(e, person)
        ]
        highlight = None
        if kind is not None:
            upcoming = [e for e in events if e.kind.value == kind]
            label = EVENT_LABELS.get(kind, "event").lower()
            if upcoming:
                first = upcoming[0]
                days = self.calendar.between(today, first.date)
                highlight = (
                    f"The next {label} is on {_long(first.date)} "
                    f"({days} working day{'s' if days != 1 else ''} away)."
                )
            else:
                highlight = f"No {label} is on the calendar."
        shown = [
            {"when": _long(e.date), "title": e.title, "detail": _event_detail(e)}
            for e in events[:8]
        ]
        return Reply(
            card=render_card("calendar", heading="Coming up", highlight=highlight, events=shown)
        )

    async def action_detail(
        self,
        session: AsyncSession,
        person: Person,
        action: Action,
        today: date,
        notice: str | None = None,
        back: dict[str, Any] | None = None,
    ) -> Reply:
        """One action with the buttons this person may use, and the way back to its list."""
        pending_for = [
            r
            for r in await work.pending_extensions(session, [action.owner_id])
            if r.action_id == action.id
        ]
        item = from_action(action, today, self.calendar)
        back = back or {}
        card = render_card(
            "action_detail",
            action=action,
            due_text=self._due_text(
                action.due_date, item, action.status is ActionStatus.COMPLETE, action.completed_at
            ),
            blocked_reason=action.blocked_reason
            if action.status is ActionStatus.BLOCKED
            else None,
            back=back,
            back_to_list=list_data(back, Intent.MY_ACTIONS),
            pending=_long(pending_for[0].requested_due_date) if pending_for else None,
            can_change=await may_change(session, person, action.owner_id),
            version_stamp=version_of(action),
            statuses=[s.value for s in ActionStatus if s is not ActionStatus.COMPLETE],
            tomorrow=(today + timedelta(days=1)).isoformat(),
            notice=notice,
        )
        return Reply(card=card)

    async def audit_detail(
        self,
        session: AsyncSession,
        person: Person,
        audit: AuditAssignment,
        today: date,
        notice: str | None = None,
        back: dict[str, Any] | None = None,
    ) -> Reply:
        """One audit assignment with its buttons, the link to the case record and the way
        back to its list."""
        item = from_audit(audit, today, self.calendar)
        back = back or {}
        found = await findings.finding_for(session, audit.id)
        outcome: list[tuple[str, str]] = []
        if found is not None:
            outcome = [("Overall grade", self.audit_form.label(found.overall))]
            moderation = await findings.moderation_for(session, found.id)
            if moderation is not None:
                outcome.append(("Moderation", moderation.status.value))
        card = render_card(
            "audit_detail",
            outcome=outcome,
            is_auditor=person.staff_id == audit.auditor_id,
            audit=audit,
            due_text=self._due_text(
                audit.due_date, item, audit.status is AuditStatus.COMPLETE, audit.completed_at
            ),
            back=back,
            back_to_list=list_data(back, Intent.MY_AUDITS),
            can_change=await may_change(session, person, audit.auditor_id),
            version_stamp=version_of(audit),
            case_url=self.case_url(audit.case_ref),
            notice=notice,
        )
        return Reply(card=card)

    def _due_text(
        self, due: date, item: WorkItem, complete: bool, completed_at: datetime | None
    ) -> str:
        # A finished item is not overdue, however late it was done.
        if complete:
            done = f"; completed {_long(completed_at.date())}" if completed_at else "; completed"
            return _long(due) + done
        if item.working_days_overdue:
            return f"{_long(due)} ({item.due_text.lower()})"
        return _long(due)

    def case_url(self, case_ref: str) -> str | None:
        """The case record's address from the configured template, using the reference only."""
        if not self.case_url_template:
            return None
        return self.case_url_template.replace("{case_ref}", quote(case_ref, safe=""))

    async def _actions(
        self,
        session: AsyncSession,
        owners: set[int] | None,
        today: date,
        due_by: date | None = None,
        follow_ups: bool = True,
    ) -> list[WorkItem]:
        actions = await work.open_actions(session, owners, due_by=due_by, follow_ups=follow_ups)
        return [from_action(a, today, self.calendar) for a in actions]

    async def _audits(
        self,
        session: AsyncSession,
        owners: set[int] | None,
        today: date,
        due_by: date | None = None,
    ) -> list[WorkItem]:
        audits = await work.open_audits(session, owners, due_by=due_by)
        return [from_audit(a, today, self.calendar) for a in audits]


def back_fields(command: Command, offset: int) -> dict[str, Any]:
    """What an item's buttons carry to find their way back to the list they were opened
    from: its intent, its argument ("overdue in ...") and the page."""
    fields: dict[str, Any] = {"back_intent": command.intent.value, "back_offset": offset}
    if command.argument:
        fields["back_argument"] = command.argument
    return fields


def back_of(data: dict[str, Any]) -> dict[str, Any]:
    """The list a pressed button came from, if its data says one (and says it well)."""
    try:
        intent = Intent(str(data.get("back_intent")))
    except ValueError:
        return {}
    offset = parse_whole(data.get("back_offset") or 0, 0, MAX_OFFSET)
    argument = data.get("back_argument")
    if intent not in WORK_INTENTS or intent is Intent.CALENDAR or offset is None:
        return {}
    if argument is not None and (not isinstance(argument, str) or len(argument) > MAX_ARGUMENT):
        return {}
    return back_fields(Command(intent, argument or None), offset)


def list_data(back: dict[str, Any], default: Intent) -> dict[str, Any]:
    """The "Back to the list" button's data: the list it came from, else `default`."""
    data: dict[str, Any] = {
        "action": "show_list",
        "intent": back.get("back_intent", default.value),
        "offset": back.get("back_offset", 0),
    }
    if back.get("back_argument"):
        data["argument"] = back["back_argument"]
    return data


def version_of(record: Action | AuditAssignment) -> str:
    """Stamps a card with the record's last change, so a stale or replayed button is caught."""
    return record.updated_at.isoformat()


def _for(event: CalendarEvent, person: Person) -> bool:
    if person.role in (StaffRole.COORDINATOR, StaffRole.ADMIN) or event.audience == "all":
        return True
    if event.audience == "managers":
        return person.role is StaffRole.MANAGER
    if event.audience.startswith("team:"):
        return event.audience[5:] == person.team
    return False


def _event_detail(event: CalendarEvent) -> str:
    """The line under an event's title: its kind in words and its notes. An event of kind
    "other" is not labelled so: the word would tell the reader nothing."""
    parts = [] if event.kind.value == "other" else [EVENT_LABELS[event.kind.value]]
    if event.notes:
        parts.append(event.notes)
    return ". ".join(parts)


def _closest(name: str, options: list[str]) -> str | None:
    wanted = normalise(name)
    for option in options:
        if wanted and (wanted == normalise(option) or wanted in normalise(option)):
            return option
    found = process.extractOne(
        wanted, [normalise(o) for o in options], scorer=fuzz.ratio, score_cutoff=75.0
    )
    return options[found[2]] if found is not None else None


def _long(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"
