"""This module imports the staff file: the roster, teams and line managers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.importers.merge import Keyed, Merge
from store.importers.problems import Problem
from store.importers.sources import Row, Table
from store.importers.upsert import ChangeLog, Outcome, Progress, merged_rows, upsert_rows
from store.importers.validation import Column, RowReader, duplicate_key_problems
from store.models import (
    Action,
    ActionStatus,
    AuditAssignment,
    AuditStatus,
    PriorityArea,
    Recommendation,
    Staff,
    StaffRole,
    Team,
)

ENTITY = "staff"
COLUMNS = (
    Column("email"),
    Column("name"),
    Column("role"),
    Column("team", required=False),
    Column("manager_email", required=False),
    Column("inspection_role", required=False),
    # From an Entra ID export; links the person to their Teams account before they first
    # talk to the bot, or corrects a link.
    Column("aad_object_id", required=False),
    # Where the inspection call's SMS goes when Teams cannot reach the person.
    Column("mobile", required=False),
)
# Each field merged with Teams and the column it comes from. The AAD object id is not
# among them: the file's id, from Entra ID, corrects whatever link was made before.
FIELDS = {
    "email": "email",
    "name": "name",
    "role": "role",
    "team_id": "team",
    "manager_id": "manager_email",
    "inspection_role": "inspection_role",
    "mobile": "mobile",
}


@dataclass(frozen=True, slots=True)
class StaffRecord:
    """One validated row of the staff file."""

    row: int
    email: str
    name: str
    role: StaffRole
    team: str | None
    manager_email: str | None
    inspection_role: str | None
    # None (an empty cell, or no column) leaves a stored id alone: a file never unlinks.
    aad_object_id: str | None = None
    # An empty cell clears a stored mobile (someone asked for theirs to be removed); a file
    # without the column leaves every stored one alone.
    mobile: str | None = None
    mobile_in_file: bool = False


async def validate(session: AsyncSession, table: Table) -> tuple[list[StaffRecord], list[Problem]]:
    """Every row checked, then line managers (on the roster, no cycles) and AAD object ids
    (each person's own)."""
    problems: list[Problem] = []
    records = []
    object_ids: list[tuple[Row, str]] = []
    mobile_in_file = "mobile" in table.header
    for row in table.rows:
        cells = RowReader(table, row, problems)
        email = cells.email("email")
        name = cells.text("name")
        role = cells.choice("role", StaffRole)
        team = cells.text("team", required=False)
        manager_email = cells.email("manager_email", required=False)
        inspection_role = cells.text("inspection_role", required=False)
        aad_object_id = cells.guid("aad_object_id")
        mobile = cells.mobile("mobile")
        if email is not None and manager_email == email:
            cells.problem("manager_email", "a person cannot be their own line manager")
        if aad_object_id is not None:
            object_ids.append((row, aad_object_id))
        if cells.ok and email and name and role:
            records.append(
                StaffRecord(
                    row.number,
                    email,
                    name,
                    role,
                    team,
                    manager_email,
                    inspection_role,
                    aad_object_id,
                    mobile,
                    mobile_in_file,
                )
            )
    problems += duplicate_key_problems(
        table,
        [(r, r.cells["email"].lower()) for r in table.rows if r.cells.get("email")],
        "email",
        "email",
    )
    problems += duplicate_key_problems(table, object_ids, "aad_object_id", "AAD object id")
    problems += await _manager_problems(session, table, records)
    problems += await _object_id_problems(session, table, records)
    problems += await _viewer_problems(session, table, records)
    return records, problems


async def apply(
    session: AsyncSession,
    records: list[StaffRecord],
    log: ChangeLog,
    *,
    merge: Merge | None = None,
    update_existing: bool = True,
    progress: Progress | None = None,
) -> Outcome:
    """Creates missing teams, upserts people by email, then links line managers."""
    teams = await _ensure_teams(session, {r.team for r in records if r.team}, log)
    existing = await _staff_by_email(session)
    if update_existing:
        await _release_object_ids(session, records, existing)
    team_labels = {"team_id": {team.id: team.name for team in teams.values()}}
    rows = await merged_rows(
        session,
        merge,
        [
            Keyed(
                r.row,
                r.email,
                {
                    "email": r.email,
                    "name": r.name,
                    "role": r.role,
                    "team_id": teams[r.team.lower()].id if r.team else None,
                    "inspection_role": r.inspection_role,
                    # An empty cell leaves a stored id alone; a new person gets None.
                    **(
                        {"aad_object_id": r.aad_object_id}
                        if r.aad_object_id is not None or r.email not in existing
                        else {}
                    ),
                    **(
                        {"mobile": r.mobile} if r.mobile_in_file or r.email not in existing else {}
                    ),
                },
            )
            for r in records
        ],
        existing,
        team_labels,
        update_existing=update_existing,
    )
    outcome = await upsert_rows(
        session,
        model=Staff,
        entity=ENTITY,
        rows=rows,
        existing=existing,
        log=log,
        labels=team_labels,
        update_existing=update_existing,
        progress=progress,
    )
    # Managers may be new in this same file, so links are made once everyone has an id.
    staff = await _staff_by_email(session)
    manager_labels = {"manager_id": {s.id: s.email for s in staff.values()}}
    links = [
        Keyed(
            r.row,
            r.email,
            {"manager_id": staff[r.manager_email].id if r.manager_email else None},
        )
        for r in records
        if update_existing or r.email in outcome.created
    ]
    outcome.merge(
        await upsert_rows(
            session,
            model=Staff,
            entity=ENTITY,
            rows=await merged_rows(session, merge, links, staff, manager_labels),
            existing=staff,
            log=log,
            labels=manager_labels,
        )
    )
    # A link made for a person created in this import is part of their creation.
    outcome.changed -= outcome.created
    return outcome


async def _release_object_ids(
    session: AsyncSession, records: list[StaffRecord], existing: dict[str, Staff]
) -> None:
    """Clears, in the database only, the stored ids this file replaces.

    Ids may move between people in one file (two swapped by mistake, say), and the column is
    unique, so no order of single updates could make the move. The loaded objects keep the old
    values, so the upsert still compares against them and logs each change as old -> new.
    """
    replaced = [
        stored.id
        for r in records
        if r.aad_object_id is not None
        and (stored := existing.get(r.email)) is not None
        and stored.aad_object_id is not None
        and stored.aad_object_id != r.aad_object_id
    ]
    if replaced:
        await session.execute(
            update(Staff)
            .where(Staff.id.in_(replaced))
            .values(aad_object_id=None)
            .execution_options(synchronize_session=False)
        )


async def _staff_by_email(session: AsyncSession) -> dict[str, Staff]:
    return {s.email: s for s in (await session.execute(select(Staff))).scalars()}


async def _ensure_teams(session: AsyncSession, names: set[str], log: ChangeLog) -> dict[str, Team]:
    teams = {t.name.lower(): t for t in (await session.execute(select(Team))).scalars()}
    for name in sorted(names):
        if name.lower() not in teams:
            team = Team(name=name)
            session.add(team)
            teams[name.lower()] = team
            log.created("team", name)
    await session.flush()
    return teams


async def _manager_problems(
    session: AsyncSession, table: Table, records: list[StaffRecord]
) -> list[Problem]:
    stored = await _staff_by_email(session)
    email_by_id = {s.id: s.email for s in stored.values()}
    stored_managers = {
        s.email: email_by_id.get(s.manager_id) for s in stored.values() if s.manager_id
    }
    # The roster as it would be after this import: the file wins for the people in it.
    managers: dict[str, str | None] = {
        **stored_managers,
        **{r.email: r.manager_email for r in records},
    }
    known = set(stored) | {r.email for r in records}
    roles = {**{s.email: s.role for s in stored.values()}, **{r.email: r.role for r in records}}
    problems = []
    for record in records:
        if record.manager_email and roles.get(record.manager_email) is StaffRole.VIEWER:
            problems.append(
                Problem(
                    table.name,
                    record.row,
                    "manager_email",
                    f"line manager {record.manager_email} is a viewer (read-only) and cannot "
                    "manage people; name someone else",
                )
            )
            continue
        if record.manager_email and record.manager_email not in known:
            problems.append(
                Problem(
                    table.name,
                    record.row,
                    "manager_email",
                    f"line manager {record.manager_email} is not on the roster; "
                    "add them to this file",
                )
            )
            continue
        cycle = _cycle_from(record.email, managers)
        if cycle:
            problems.append(
                Problem(
                    table.name,
                    record.row,
                    "manager_email",
                    "line managers form a loop: " + " -> ".join(cycle),
                )
            )
    return problems


async def _viewer_problems(
    session: AsyncSession, table: Table, records: list[StaffRecord]
) -> list[Problem]:
    """A person made a viewer (read-only) while they still have work to do.

    Viewers are board and elected members: they cannot own actions, do audits, lead areas
    or recommendations, or manage people, so all of that must be reassigned first.
    """
    stored = await _staff_by_email(session)
    becoming = {
        r.email: stored[r.email].id
        for r in records
        if r.role is StaffRole.VIEWER
        and r.email in stored
        and stored[r.email].role is not StaffRole.VIEWER
    }
    if not becoming:
        return []
    ids = list(becoming.values())
    # The roster's line managers as they would be after this import.
    email_by_id = {s.id: s.email for s in stored.values()}
    managers = {
        **{s.email: email_by_id.get(s.manager_id) for s in stored.values() if s.manager_id},
        **{r.email: r.manager_email for r in records},
    }
    counts: dict[str, dict[int, int]] = {}
    for what, column, condition in (
        ("open action(s)", Action.owner_id, Action.status != ActionStatus.COMPLETE),
        (
            "open audit(s)",
            AuditAssignment.auditor_id,
            AuditAssignment.status != AuditStatus.COMPLETE,
        ),
        ("priority area(s) they lead", PriorityArea.lead_id, None),
        ("recommendation(s) they lead", Recommendation.lead_id, None),
    ):
        query = select(column, func.count()).where(column.in_(ids)).group_by(column)
        if condition is not None:
            query = query.where(condition)
        result = await session.execute(query)
        counts[what] = {int(i): int(n) for i, n in result if i is not None}
    problems = []
    for record in records:
        staff_id = becoming.get(record.email)
        if staff_id is None:
            continue
        owned = [f"{n} {what}" for what in counts if (n := counts[what].get(staff_id, 0))]
        managed = sum(1 for manager in managers.values() if manager == record.email)
        if managed:
            owned.append(f"{managed} people they line-manage")
        if owned:
            problems.append(
                Problem(
                    table.name,
                    record.row,
                    "role",
                    f"{record.email} cannot become a viewer (read-only) while they still have "
                    f"{', '.join(owned)}; reassign them first",
                )
            )
    return problems


async def _object_id_problems(
    session: AsyncSession, table: Table, records: list[StaffRecord]
) -> list[Problem]:
    """An id already linked to someone else, unless this file gives them a different one."""
    stored = await session.execute(
        select(Staff.email, Staff.aad_object_id).where(Staff.aad_object_id.is_not(None))
    )
    # Compared without case: the bot stores an id as Teams sends it.
    linked_to = {str(object_id).lower(): email for email, object_id in stored}
    in_file = {r.email: r.aad_object_id for r in records if r.aad_object_id is not None}
    problems = []
    for record in records:
        holder = linked_to.get(record.aad_object_id or "")
        if holder is None or holder == record.email:
            continue
        holder_gets = in_file.get(holder)
        if holder_gets == record.aad_object_id:
            continue  # the same id twice in this file: reported as a duplicate
        if holder_gets is None:
            problems.append(
                Problem(
                    table.name,
                    record.row,
                    "aad_object_id",
                    f"AAD object id {record.aad_object_id} is already linked to {holder}; "
                    f"to move it, give {holder} their own id in this file",
                )
            )
    return problems


def _cycle_from(email: str, managers: dict[str, str | None]) -> list[str]:
    """The loop `email` is part of, starting and ending at it, or [] if it leads to the top."""
    path = [email]
    current = managers.get(email)
    while current is not None:
        if current == email:
            return [*path, email]
        if current in path:
            return []  # a loop further up that `email` only leads into; reported for its members
        path.append(current)
        current = managers.get(current)
    return []
