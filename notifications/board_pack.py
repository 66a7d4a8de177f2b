"""This module turns a board pack's plain data into what it reports: pure, no database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from knowledge.working_days import WorkingDays
from notifications.audit_form import AuditForm
from notifications.audit_report import MonthRows
from notifications.board_pack_audits import AuditSection, audit_section
from store.repositories.board_pack_data import PackAction, PackData, PackExtension, PackUpdate

# The order the pack shows an action's standing in; "no update" is an open action whose
# owner gave none for the meeting.
RAGS = ("on track", "at risk", "off track")
NO_UPDATE = "no update"
COMPLETE = "complete"
STANDINGS = (*RAGS, NO_UPDATE, COMPLETE)
NO_RECOMMENDATION = "(no recommendation)"


@dataclass(frozen=True, slots=True)
class Overdue:
    """An open action past its due date, by how many working days."""

    action: PackAction
    working_days: int


@dataclass(frozen=True, slots=True)
class ActionLine:
    """An action with its latest update (at or before the meeting), reviewed or not."""

    action: PackAction
    update: PackUpdate | None

    @property
    def reviewed(self) -> bool:
        """Whether the area lead has accepted the update."""
        return self.update is not None and self.update.review_status == "accepted"


@dataclass(frozen=True, slots=True)
class Section:
    """One recommendation or priority area, or the whole plan."""

    name: str
    title: str
    lead: str | None
    now: dict[str, int]
    before: dict[str, int] | None
    completed: tuple[PackAction, ...]
    overdue: tuple[Overdue, ...]
    moved: tuple[PackExtension, ...]
    lines: tuple[ActionLine, ...]

    def change(self, standing: str) -> int | None:
        """How the count for `standing` moved since the last meeting (None: no last one)."""
        if self.before is None:
            return None
        return self.now[standing] - self.before[standing]


@dataclass(frozen=True, slots=True)
class Pack:
    """The whole pack: the plan overall, each area and recommendation, and the history."""

    meeting: date
    meeting_title: str
    previous_meeting: date | None
    as_of: date
    overall: Section
    areas: tuple[Section, ...]
    recommendations: tuple[Section, ...]
    # (meeting date, actions complete by then, actions in the plan then)
    completion: tuple[tuple[date, int, int], ...]
    audits: AuditSection


def build_pack(
    data: PackData, audits: MonthRows, form: AuditForm, today: date, calendar: WorkingDays
) -> Pack:
    """Counts, trends and lists for the meeting, as at the meeting or today if earlier;
    `audits` are the audit programme's month (see `board_pack_audits.report_month`)."""
    as_of = min(today, data.meeting)
    previous = data.previous_meeting
    by_meeting: dict[date, dict[str, PackUpdate]] = {}
    for update in data.updates:
        by_meeting.setdefault(update.meeting, {})[update.action_ref] = update
    latest: dict[str, PackUpdate] = {}
    for update in sorted(data.updates, key=lambda u: (u.meeting, u.submitted_at)):
        if update.meeting <= data.meeting:
            latest[update.action_ref] = update

    def section(name: str, title: str, lead: str | None, actions: list[PackAction]) -> Section:
        refs = {a.ref for a in actions}
        return Section(
            name=name,
            title=title,
            lead=lead,
            now=_standings(actions, by_meeting.get(data.meeting, {}), data.meeting),
            before=(
                _standings(actions, by_meeting.get(previous, {}), previous)
                if previous is not None
                else None
            ),
            completed=tuple(
                a
                for a in actions
                if a.completed_on is not None
                and (previous is None or a.completed_on > previous)
                and a.completed_on <= as_of
            ),
            overdue=tuple(
                sorted(
                    (
                        Overdue(a, calendar.between(a.due_date, as_of))
                        for a in actions
                        if a.status != COMPLETE and a.due_date < as_of
                    ),
                    key=lambda o: (-o.working_days, o.action.ref),
                )
            ),
            moved=tuple(
                e
                for e in data.extensions
                if e.action_ref in refs
                and (previous is None or e.approved_on > previous)
                and e.approved_on <= as_of
            ),
            lines=tuple(ActionLine(a, latest.get(a.ref)) for a in actions),
        )

    actions = sorted(data.actions, key=lambda a: a.ref)
    areas = [
        section(
            g.name,
            g.title,
            g.lead,
            [a for a in actions if a.priority_area.casefold() == g.name.casefold()],
        )
        for g in data.areas
    ]
    known_areas = {g.name.casefold() for g in data.areas}
    for name in sorted(
        {a.priority_area for a in actions if a.priority_area.casefold() not in known_areas}
    ):
        areas.append(section(name, name, None, [a for a in actions if a.priority_area == name]))
    recommendations = [
        section(g.name, g.title, g.lead, [a for a in actions if a.recommendation == g.name])
        for g in data.recommendations
    ]
    unlinked = [a for a in actions if a.recommendation is None]
    if unlinked:
        recommendations.append(
            section(NO_RECOMMENDATION, "Actions answering no recommendation", None, unlinked)
        )
    history = [m for m in data.meetings if m <= data.meeting][-7:]
    return Pack(
        meeting=data.meeting,
        meeting_title=data.meeting_title,
        previous_meeting=previous,
        as_of=as_of,
        overall=section("The whole plan", "The whole plan", None, actions),
        areas=tuple(areas),
        recommendations=tuple(recommendations),
        completion=tuple(
            (
                m,
                sum(1 for a in actions if complete_by(a, m)),
                len(actions),
            )
            for m in history
        ),
        audits=audit_section(audits, form, as_of),
    )


def _standings(
    actions: list[PackAction], updates: dict[str, PackUpdate], meeting: date
) -> dict[str, int]:
    """How many actions stood where at `meeting`: complete by then, else their RAG then."""
    counts: Counter[str] = Counter({standing: 0 for standing in STANDINGS})
    for action in actions:
        if complete_by(action, meeting):
            counts[COMPLETE] += 1
        elif action.ref in updates:
            counts[updates[action.ref].rag] += 1
        else:
            counts[NO_UPDATE] += 1
    return {standing: counts[standing] for standing in STANDINGS}


def complete_by(action: PackAction, day: date) -> bool:
    """Whether the action was complete on `day`; one imported as complete, with no date of
    completion, always was."""
    if action.status != COMPLETE:
        return False
    return action.completed_on is None or action.completed_on <= day
