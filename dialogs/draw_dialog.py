"""This module is the audit-draw conversation: "draw audits for <month>" shows the draw and
its allocation; Confirm stores exactly that draw. Coordinators only, in the 1:1 chat.

The preview's seed travels in the Confirm button, so Confirm works the same draw out again
and stores it only if it is still the one shown (cases or the roster may have moved in
between: then the new draw is shown instead, and nothing is stored).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cards.rendering import plain_text, render_card
from dialogs.ask_dialog import CardActionError
from dialogs.card_data import parse_whole
from dialogs.draw_request import DrawRequestError, read_draw_request
from dialogs.people import Person
from dialogs.replies import Reply
from notifications.audit_draw import (
    MAX_SEED,
    MAX_SIZE,
    AlreadyDrawnError,
    DrawError,
    DrawPlan,
    DrawRequest,
    DrawRules,
    check_month,
    commit_draw,
    month_name,
    new_seed,
    parse_month,
    plan_draw,
    window_start,
)
from notifications.audit_draw_messages import due_text
from store.models import AuditDraw, StaffRole

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.ext.asyncio import AsyncSession

    from knowledge.working_days import WorkingDays

logger = logging.getLogger(__name__)

CONFIRM = "draw_confirm"
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")
MOVED = (
    "The cases or the roster changed since that preview, so nothing was stored. This is the "
    "draw as it stands now (same seed); confirm it if it is right."
)


class DrawDialog:
    """Preview and confirm a month's audit draw."""

    def __init__(self, calendar: WorkingDays, rules: DrawRules) -> None:
        self._calendar = calendar
        self._rules = rules

    async def start(
        self, session: AsyncSession, person: Person, argument: str | None, today: date
    ) -> Reply:
        """'draw audits for <month>': the preview card; nothing is written."""
        _coordinator(person)
        try:
            typed = read_draw_request(argument, today)
        except DrawRequestError as exc:
            return Reply(text=plain_text(str(exc)))
        try:
            check_month(typed.month, today)
        except DrawError as exc:
            return Reply(text=f"{str(exc)[0].upper()}{str(exc)[1:]}.")
        if not 1 <= typed.size <= MAX_SIZE:
            return Reply(text=f"The number of cases to draw must be from 1 to {MAX_SIZE}.")
        if typed.enhanced_percent > 100:
            return Reply(text="The enhanced share must be a percentage from 0 to 100.")
        request = DrawRequest(typed.month, typed.size, typed.enhanced_percent, new_seed())
        plan = await plan_draw(session, request, self._rules, self._calendar)
        return self._preview(plan)

    async def confirm(
        self, session: AsyncSession, person: Person, data: dict[str, Any], now: datetime
    ) -> Reply:
        """Confirm on the preview: stores the draw if it is still the one previewed."""
        _coordinator(person)
        request, fingerprint = _request_of(data)
        plan = await plan_draw(session, request, self._rules, self._calendar)
        if plan.existing is not None:
            return self._preview(plan, refresh=True)
        if plan.fingerprint != fingerprint:
            return self._preview(plan, refresh=True, notice=MOVED)
        if plan.nothing_to_store is not None:
            return self._preview(plan, refresh=True)
        try:
            draw = await commit_draw(
                session,
                plan,
                drawn_by=person.email or "unknown",
                drawn_by_id=person.staff_id,
                now=now,
                send_from=now,
            )
        except AlreadyDrawnError as exc:
            return self._preview(plan, refresh=True, notice=f"{exc}.")
        logger.info("Audit draw stored for %s by staff %s", request.month, person.staff_id)
        outcome = (
            f"Drawn and stored: {draw.allocated_count} audits for {month_name(draw.month)}. "
            "Each auditor has been sent their assignment"
            + (
                ", and each enhanced case's worker and their manager asked to book the "
                "conversation."
                if any(c.enhanced for c, _ in plan.allocation.assignments)
                else "."
            )
        )
        return self._preview(plan, refresh=True, outcome=outcome)

    def _preview(
        self,
        plan: DrawPlan,
        *,
        refresh: bool = False,
        notice: str | None = None,
        outcome: str | None = None,
    ) -> Reply:
        name = month_name(plan.request.month)
        if plan.existing is not None and outcome is None:
            return Reply(
                text=f"{name} is already drawn; a month is drawn once.",
                card=render_card("audit_draw_done", **_existing_context(plan.existing)),
                refresh=refresh,
            )
        if outcome is None and plan.nothing_to_store is not None:
            notice = f"Nothing can be stored: {plan.nothing_to_store}."
        card = render_card("audit_draw_preview", **preview_context(plan, notice, outcome))
        text = outcome or f"The audit draw for {name}: check it, then confirm."
        return Reply(text=text, card=card, refresh=refresh)


def _coordinator(person: Person) -> None:
    # The policy refuses others before this is reached; this is the dialog's own check.
    if person.role is not StaffRole.COORDINATOR or person.staff_id is None:
        raise CardActionError("only coordinators can draw the month's audits")


def _request_of(data: dict[str, Any]) -> tuple[DrawRequest, str]:
    """The draw a Confirm button carries, every field checked."""
    try:
        month = parse_month(str(data.get("month", "")))
    except DrawError:
        raise CardActionError("the button does not say which month it is for") from None
    size = parse_whole(data.get("size"), 1, MAX_SIZE)
    percent = parse_whole(data.get("enhanced"), 0, 100)
    seed = parse_whole(data.get("seed"), 0, MAX_SEED)
    fingerprint = data.get("fingerprint")
    if size is None or percent is None or seed is None:
        raise CardActionError("the button's draw details are not valid")
    if not isinstance(fingerprint, str) or not _FINGERPRINT.fullmatch(fingerprint):
        raise CardActionError("the button's draw details are not valid")
    return DrawRequest(month, size, percent, seed), fingerprint


def preview_context(plan: DrawPlan, notice: str | None, outcome: str | None) -> dict[str, Any]:
    """What the preview card shows: the draw's facts, its strata, who audits what."""
    request, sample, allocation = plan.request, plan.sample, plan.allocation
    categories: dict[str, list[int]] = {}
    for stratum in sample.strata:
        counts = categories.setdefault(stratum.category, [0, 0, 0])
        counts[0] += stratum.drawn
        counts[1] += stratum.eligible
        counts[2] += 1 if stratum.drawn else 0
    tiers = Counter(plan.tiers[a.staff_id] for _, a in allocation.assignments)
    return {
        "title": f"Audit draw for {month_name(request.month)}",
        "facts": [
            ("Open cases", str(plan.open_cases)),
            (
                "Left out",
                f"{sample.excluded_recently_audited} audited since "
                f"{window_start(request.month, plan.rules.repeat_months):%d %B %Y}",
            ),
            (
                "Drawn",
                f"{len(sample.cases)} of {request.size} asked, "
                f"{sum(1 for d in sample.cases if d.enhanced)} enhanced "
                f"({request.enhanced_percent}%)",
            ),
            ("Due", due_text(plan.due_date)),
            ("Seed", str(request.seed)),
        ],
        "shortfall": sample.shortfall,
        "categories": [
            (category, f"{d} of {e} open, from {teams} team{'s' if teams != 1 else ''}")
            for category, (d, e, teams) in categories.items()
        ],
        "tiers": ", ".join(f"tier {t}: {n}" for t, n in sorted(tiers.items())) or "none",
        "cap": plan.rules.per_auditor,
        "assignments": [
            (
                case.case_ref,
                f"{plan.people[auditor.staff_id].name} (tier {auditor.tier})"
                + (" · enhanced" if case.enhanced else ""),
            )
            for case, auditor in allocation.assignments
        ],
        "unallocated": [(case.case_ref, reason.value) for case, reason in allocation.unallocated],
        "notice": notice,
        "outcome": outcome,
        "can_confirm": plan.nothing_to_store is None,
        "confirm": {
            "action": CONFIRM,
            "month": request.month,
            "size": request.size,
            "enhanced": request.enhanced_percent,
            "seed": request.seed,
            "fingerprint": plan.fingerprint,
        },
    }


def _existing_context(draw: AuditDraw) -> dict[str, Any]:
    return {
        "title": f"{month_name(draw.month)} is already drawn",
        "facts": [
            ("Drawn by", draw.drawn_by),
            ("Drawn on", f"{draw.drawn_at:%d %B %Y}"),
            ("Cases", f"{draw.drawn_count} drawn of {draw.size} asked"),
            ("Allocated", str(draw.allocated_count)),
            ("Enhanced share", f"{draw.enhanced_pct}%"),
            ("Seed", str(draw.seed)),
            ("Due", due_text(draw.due_date)),
        ],
        "advice": "A month is drawn once. To add a case, add it in the audits file; "
        "'my audits' shows each auditor their own.",
    }
