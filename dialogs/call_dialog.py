"""This module is the inspection-call conversation: trigger, preview, confirm, status, acks."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections import Counter
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from cards import call_messages
from cards.rendering import materialise, plain_text, render_card
from dialogs.ask_dialog import CardActionError
from dialogs.call_install import install_view, installing_text
from dialogs.call_reach import reach_of
from dialogs.card_data import parse_id
from dialogs.people import Person
from dialogs.policy import NO_CALL
from dialogs.replies import Reply
from knowledge.working_days import WorkingDays
from notifications.broadcast import HELD_FOR_INSTALLATION, Broadcast, CallRequest, bump_version
from notifications.call_chasing import ChasePolicy
from notifications.call_installs import InstallRequest
from notifications.installation import Installer, Plan
from notifications.playbook import Playbook
from store.models import CallStatus, InspectionCall, Staff, StaffRole
from store.repositories import audit_log, calls
from store.repositories.staff import list_all, list_by_role

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger(__name__)

# How far ahead the first on-site date may be: JTAI gives 10 working days' notice, the
# others less; anything further is almost certainly a typing mistake.
MAX_NOTICE_DAYS = 60
# Export links are bearer links: short-lived and single use (see bot/exports.py).
EXPORT_LINK_LIFETIME = timedelta(minutes=5)
# The least time between two updates to everyone: a second press, or a coordinator
# sending in a hurry, must not flood hundreds of chats.
UPDATE_COOL_DOWN = timedelta(seconds=60)
MAX_UPDATE = 1000
LISTED_UNREACHABLE = 20
DEFAULT_PUBLIC_URL = "http://localhost:3978"


STALE_STATUS_CARD = (
    "the status card was out of date (someone else acted on it); press Refresh and try again"
)


class CallRefusedError(CardActionError):
    """Someone who may not do this tried to; logged, and kept in the audit log.

    The audit entry is written by whoever catches it (`record_refusal`), after the turn's
    other changes have been rolled back, so that a refusal keeps its entry and nothing else.
    """

    def __init__(self, message: str, *, what: str, call_id: int | None = None) -> None:
        super().__init__(message)
        self.what = what
        self.call_id = call_id


class CallDialog:
    """Everything a coordinator and the people alerted do about the inspection call."""

    def __init__(
        self, broadcast: Broadcast, export_base_url: str, installer: Installer | None = None
    ) -> None:
        self.broadcast = broadcast
        self._export_base_url = export_base_url.rstrip("/")
        # Says who the app will be installed for (those with no chat with the bot); the
        # installing itself runs after the confirm (notifications/call_installs.py).
        self.installer = installer or Installer(None)

    @classmethod
    def default(cls, calendar: WorkingDays, timezone: ZoneInfo) -> CallDialog:
        """The shipped playbook and chase policy, with links to a service on this machine."""
        broadcast = Broadcast(Playbook.load(), calendar, timezone, ChasePolicy())
        return cls(broadcast, DEFAULT_PUBLIC_URL)

    async def start(self, session: AsyncSession, person: Person, today: date) -> Reply:
        """'inspection call': the trigger form, or the status of the call in progress."""
        await self._coordinator(session, person, "open the inspection-call alert")
        active = await calls.active_call(session)
        if active is not None:
            reply = await self.status_reply(session, active)
            return Reply(
                text="An inspection call is already in progress; its live status follows.",
                follow_up=reply,
            )
        return Reply(card=self._form(today))

    async def form(
        self, session: AsyncSession, person: Person, data: dict[str, Any], today: date
    ) -> Reply:
        """'Change' on the preview: the form again, as it was filled in."""
        await self._coordinator(session, person, "open the inspection-call alert")
        return Reply(card=self._form(today, data), refresh=True)

    async def preview(
        self, session: AsyncSession, person: Person, data: dict[str, Any], today: date
    ) -> Reply:
        """Who will receive the alert, by role, and who cannot be reached; nothing is sent."""
        await self._coordinator(session, person, "preview the inspection-call alert")
        request, problem = self._request(data, today)
        if request is None:
            return Reply(card=self._form(today, data, problem), refresh=True)
        return Reply(card=await self._preview_card(session, person, request), refresh=True)

    async def confirm(
        self,
        session: AsyncSession,
        person: Person,
        data: dict[str, Any],
        today: date,
        now: datetime,
    ) -> Reply:
        """Starts the call: one urgent alert per person; refused while another is active."""
        caller = await self._coordinator(session, person, "start the inspection-call alert")
        request, problem = self._request(data, today)
        if request is None:
            raise CardActionError(problem or "the alert's details are not valid")
        # The roster is read, and the installations planned, once: for 5,000 people each
        # read is a tenth of a second that the first alert would wait for.
        people = [p for p in await list_all(session) if p.id != caller.id]
        plan = await self.installer.plan(session, people)
        # Their alerts wait for the app to be installed for them, which starts once this
        # is committed; everyone else's go at once.
        held = frozenset(p.id for p in plan.to_install)
        call = await self.broadcast.start(session, request, caller, now, held=held, people=people)
        if call is None:
            active = await calls.active_call(session)
            audit_log.record_change(
                session,
                actor=caller.email,
                entity="inspection_call",
                key=str(active.id if active else ""),
                field="refused",
                old=None,
                new="second trigger while a call is active",
            )
            logger.warning("Refused a second inspection call from staff %s", caller.id)
            status = await self.status_reply(session, active) if active else None
            return Reply(
                text="An inspection call is already in progress, so nothing new was sent. "
                "Its live status follows; stand it down there before starting another.",
                follow_up=status,
            )
        preview = await self._preview_card(
            session,
            person,
            request,
            outcome=f"Sent at {now.astimezone(self.broadcast.timezone):%H:%M}. "
            "The live status card follows." + installing_text(len(held)),
            held=held,
            people=people,
            plan=plan,
        )
        status = await self.status_reply(session, call)
        installs = (
            InstallRequest(call.id, held, caller.email, now + HELD_FOR_INSTALLATION)
            if held
            else None
        )
        return Reply(
            card=preview, refresh=True, follow_up=status, urgent_queued=True, installs=installs
        )

    async def status(self, session: AsyncSession, person: Person, data: dict[str, Any]) -> Reply:
        """Refresh on the status card."""
        await self._coordinator(session, person, "see the inspection-call status")
        call = await self._call(session, data)
        reply = await self.status_reply(session, call)
        return Reply(card=reply.card, text=reply.text, refresh=True)

    async def status_reply(
        self, session: AsyncSession, call: InspectionCall, notice: str | None = None
    ) -> Reply:
        """The coordinator's status card, tracked so that it is kept up to date."""
        message = materialise(await self.broadcast.status(session, call, notice))
        return Reply(text=message["text"], card=message["card"], status_of_call=call.id)

    async def acknowledge(
        self, session: AsyncSession, person: Person, data: dict[str, Any], now: datetime
    ) -> Reply:
        """Acknowledge on an alert: recorded once, for the person who pressed it only."""
        call = await self._call(session, data)
        entry = None
        if person.staff_id is not None and str(data.get("for")) == str(person.staff_id):
            entry = await calls.recipient(session, call.id, person.staff_id)
        if entry is None:
            # Someone pressing another person's card (forwarded, or forged) gets nothing.
            raise CallRefusedError(
                "that alert was not sent to you, so you cannot acknowledge it",
                what="acknowledge an alert not sent to them",
                call_id=call.id,
            )
        facts = await self.broadcast.facts(session, call)
        tasks = self.broadcast.tasks(call, entry.inspection_role)
        if call.status is CallStatus.STOOD_DOWN:
            stood = "This alert has been stood down; there is nothing to acknowledge."
            payload = call_messages.alert(
                facts, entry.staff_id, entry.inspection_role, tasks, stood_down=stood
            )
            return Reply(text=stood, card=materialise(payload)["card"], refresh=True)
        newly = await record_acknowledgement(
            session, call.id, entry.staff_id, person.email or "unknown", now
        )
        if newly:
            await session.flush()
            await session.refresh(entry)
        when = entry.acknowledged_at or now
        local = when.astimezone(self.broadcast.timezone)
        text = f"Acknowledged at {local:%H:%M}. Thank you."
        if not newly:
            text = f"You acknowledged this at {local:%H:%M}; that time stands."
        payload = call_messages.alert(
            facts, entry.staff_id, entry.inspection_role, tasks, acknowledged=text
        )
        return Reply(text=text, card=materialise(payload)["card"], refresh=True)

    async def send_update(
        self, session: AsyncSession, person: Person, data: dict[str, Any], now: datetime
    ) -> Reply:
        """Send update on the status card: queued to everyone the alert went to."""
        sender = await self._coordinator(session, person, "send an inspection-call update")
        message = _text(data.get("update_message"))
        if not message:
            raise CardActionError("write the update in the box first")
        if len(message) > MAX_UPDATE:
            raise CardActionError(f"keep the update under {MAX_UPDATE} characters")
        # Checked before the card's version is used up, so a refused press leaves it valid.
        last = _current(await self._call(session, data), data).last_update_at
        if last is not None and now - last < UPDATE_COOL_DOWN:
            wait = int((UPDATE_COOL_DOWN - (now - last)).total_seconds()) + 1
            raise CardActionError(
                f"an update went out {int((now - last).total_seconds())} seconds ago; wait "
                f"{wait} seconds before sending another, so people are not flooded"
            )
        call = await self._live_call(session, data)
        call.last_update_at = now
        reaching, alerted = await self.broadcast.send_update(session, call, message, sender, now)
        number = call.updates_sent
        if reaching == 0:
            notice = (
                f"Update {number} reaches nobody: none of the {alerted} people alerted can be "
                "reached in Teams. Phone them."
            )
        elif reaching < alerted:
            notice = (
                f"Update {number} is going to the {reaching} of {alerted} people who can be "
                f"reached in Teams; {alerted - reaching} cannot be."
            )
        else:
            notice = f"Update {number} is going to all {alerted} people alerted."
        reply = await self.status_reply(session, call, notice=notice)
        return Reply(text=reply.text, card=reply.card, refresh=True, urgent_queued=True)

    async def stand_down(
        self, session: AsyncSession, person: Person, data: dict[str, Any], now: datetime
    ) -> Reply:
        """Stand down on the status card: ends the alert and tells those alerted."""
        by = await self._coordinator(session, person, "stand the inspection call down")
        call = await self._live_call(session, data)
        withdrawn, told = await self.broadcast.stand_down(session, call, by, now)
        if told:
            notice = f"Stood down. The {told} people who received the alert are being told."
        else:
            notice = "Stood down. Nobody had received the alert, so nobody needs telling."
        if withdrawn:
            notice += f" {withdrawn} messages not yet sent were withdrawn."
        reply = await self.status_reply(session, call, notice=notice)
        return Reply(text=reply.text, card=reply.card, refresh=True, urgent_queued=True)

    async def export(
        self, session: AsyncSession, person: Person, data: dict[str, Any], now: datetime
    ) -> Reply:
        """A download link (valid briefly) for the acknowledgement list as CSV."""
        coordinator = await self._coordinator(session, person, "export the acknowledgements")
        call = await self._call(session, data)
        token = secrets.token_urlsafe(32)
        expires = now + EXPORT_LINK_LIFETIME
        await calls.forget_expired_exports(session, now)
        await calls.save_export(session, hash_token(token), call.id, coordinator.id, now, expires)
        audit_log.record_change(
            session,
            actor=coordinator.email,
            entity="inspection_call",
            key=str(call.id),
            field="exported",
            old=None,
            new=f"download link until {expires.isoformat()}",
        )
        minutes = int(EXPORT_LINK_LIFETIME.total_seconds() // 60)
        card = render_card(
            "call_export", url=f"{self._export_base_url}/exports/{token}", minutes=minutes
        )
        return Reply(
            text="I have sent you a download link for the acknowledgement list.",
            follow_up=Reply(text="Acknowledgement list (CSV)", card=card),
        )

    async def _coordinator(self, session: AsyncSession, person: Person, what: str) -> Staff:
        """The coordinator (or call starter, such as the DCS) running the call."""
        staff = await session.get(Staff, person.staff_id) if person.staff_id else None
        if staff is not None and (staff.role is StaffRole.COORDINATOR or person.call_starter):
            return staff
        # The refusal is sent as message text, with names from the staff import.
        coordinators = [
            plain_text(s.name) for s in await list_by_role(session, StaffRole.COORDINATOR)
        ]
        who = f" ({', '.join(coordinators[:3])})" if coordinators else ""
        raise CallRefusedError(
            f"only inspection coordinators can {what}. If Ofsted has called, tell a "
            f"coordinator now{who}",
            what=what,
        )

    async def _call(self, session: AsyncSession, data: dict[str, Any]) -> InspectionCall:
        call_id = parse_id(data.get("call"))
        call = await session.get(InspectionCall, call_id) if call_id is not None else None
        if call is None:
            raise CardActionError(NO_CALL)
        return call

    async def _live_call(self, session: AsyncSession, data: dict[str, Any]) -> InspectionCall:
        call = _current(await self._call(session, data), data)
        # The check above tells a stale card apart; this one settles a race between two.
        if not await bump_version(session, call, call.version):
            raise CardActionError(STALE_STATUS_CARD)
        return call

    def _request(self, data: dict[str, Any], today: date) -> tuple[CallRequest | None, str]:
        kind = _text(data.get("inspection_type"))
        playbook = self.broadcast.playbook
        if kind not in playbook.types:
            return None, "Choose the type of inspection."
        given = _text(data.get("on_site"))
        usual = playbook.default_on_site(kind, today, self.broadcast.calendar)
        if given:
            try:
                on_site = date.fromisoformat(given)
            except ValueError:
                return None, "Give the first on-site date (the date picker's format, YYYY-MM-DD)."
        elif usual is not None:
            on_site = usual
        else:
            note = playbook.notes.get(kind)
            return None, (
                f"Give the first on-site date: a {playbook.types[kind].lower()} has no usual "
                "date" + (f" ({note})." if note else ".")
            )
        if on_site < today:
            return None, "The first on-site date is in the past; check it."
        if on_site > today + timedelta(days=MAX_NOTICE_DAYS):
            return (
                None,
                f"The first on-site date is more than {MAX_NOTICE_DAYS} days away; check it.",
            )
        drill = data.get("drill")
        if str(drill).lower() not in ("true", "false"):
            return None, "Say whether this is a drill."
        return CallRequest(kind, on_site, str(drill).lower() == "true"), ""

    def _form(
        self, today: date, data: dict[str, Any] | None = None, problem: str | None = None
    ) -> dict[str, Any]:
        """The trigger form, empty or filled in as `data` (a pressed card) had it."""
        data = data or {}
        playbook, calendar = self.broadcast.playbook, self.broadcast.calendar
        # Each type's usual first day on site, counted from today: left blank, the date
        # follows the type chosen (the card cannot change it as the choice changes).
        usual = []
        for kind, name in playbook.types.items():
            day = playbook.default_on_site(kind, today, calendar)
            note = playbook.notes.get(kind, "")
            when = call_messages.long_date(day) if day is not None else "no usual date"
            usual.append((name, when + (f": {note}" if note else "")))
        return render_card(
            "call_form",
            problem=problem,
            types=list(playbook.types.items()),
            chosen_type=_text(data.get("inspection_type")),
            on_site=_text(data.get("on_site")),
            usual=usual,
            drill=str(data.get("drill")).lower() == "true",
        )

    async def _preview_card(
        self,
        session: AsyncSession,
        person: Person,
        request: CallRequest,
        outcome: str | None = None,
        held: frozenset[int] | None = None,
        people: list[Staff] | None = None,
        plan: Plan | None = None,
    ) -> dict[str, Any]:
        if people is None:
            people = [p for p in await list_all(session) if p.id != person.staff_id]
        in_teams = await calls.reachable(session)
        by_role = Counter(p.inspection_role or "No named role" for p in people)
        # Those the app is installed for get the alert in Teams too.
        installs = await install_view(
            self.installer, session, people, in_teams, held=held, plan=plan
        )
        reach = reach_of(people, in_teams | installs.installing, self.broadcast.fallback)
        # Chasing someone the alert cannot reach goes to their line manager, in Teams too:
        # say how many of them that can actually reach.
        managed = [p for p in reach.nowhere if p.manager_id is not None]
        return render_card(
            "call_preview",
            drill=request.drill,
            type_name=self.broadcast.playbook.types[request.inspection_type],
            inspection_type=request.inspection_type,
            on_site=request.on_site.isoformat(),
            on_site_text=call_messages.long_date(request.on_site),
            total=len(people),
            reachable=reach.teams - len(installs.installing),
            installing=len(installs.installing),
            by_role=sorted(
                by_role.items(), key=lambda pair: (pair[0] == "No named role", pair[0])
            ),
            fallback_how=reach.fallback_how,
            not_in_teams=reach.not_in_teams,
            elsewhere=reach.elsewhere,
            fallback_line=reach.fallback_line(),
            unreachable=[p.name for p in reach.nowhere[:LISTED_UNREACHABLE]],
            more_unreachable=max(len(reach.nowhere) - LISTED_UNREACHABLE, 0),
            unreachable_count=len(reach.nowhere),
            managers_told=sum(p.manager_id in in_teams for p in managed),
            send_title=reach.send_title(request.drill) + installs.title_suffix,
            install_note=installs.note,
            not_installed=installs.not_installed,
            outcome=outcome,
        )


def _current(call: InspectionCall, data: dict[str, Any]) -> InspectionCall:
    """The call, if it is live and the card pressed shows its current version."""
    if call.status is not CallStatus.ACTIVE:
        raise CardActionError("that alert has been stood down already")
    if parse_id(data.get("version")) != call.version:
        raise CardActionError(STALE_STATUS_CARD)
    return call


def record_refusal(session: AsyncSession, person: Person, refusal: CallRefusedError) -> None:
    """Keeps a refused attempt in the audit log: a forged or replayed card looks like this."""
    logger.warning("Refused: staff %s tried to %s", person.staff_id, refusal.what)
    audit_log.record_change(
        session,
        actor=person.email or person.display_name,
        entity="inspection_call",
        key=str(refusal.call_id) if refusal.call_id is not None else "",
        field="refused",
        old=None,
        new=refusal.what,
    )


async def record_acknowledgement(
    session: AsyncSession, call_id: int, staff_id: int, actor: str, now: datetime
) -> bool:
    """Records someone's acknowledgement and its audit entry, the same from Teams'
    Acknowledge button as from the SMS and email link; False if it was recorded before
    (the first time stands, and nothing is written)."""
    newly = await calls.acknowledge(session, call_id, staff_id, now)
    if newly:
        audit_log.record_change(
            session,
            actor=actor,
            entity="inspection_call",
            key=str(call_id),
            field="acknowledged",
            old=None,
            new=now.isoformat(),
        )
    return newly


def hash_token(token: str) -> str:
    """Export links are stored hashed: a copy of the database does not hold usable links."""
    return hashlib.sha256(token.encode()).hexdigest()


def _text(value: object) -> str:
    return str(value).strip() if value is not None else ""
