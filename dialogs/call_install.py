"""This module is the inspection call's part in installing the app through Microsoft Graph.

Before the alert goes, the app is installed for everyone on the roster who has no chat with
the bot, so that the alert reaches them in Teams too; the preview says how many that is,
and how many cannot be installed and why.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cards.rendering import plain_text
from notifications.installation import Installer, Outcome, Result, short_reason
from store.repositories import calls
from store.repositories.staff import list_all

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from store.models import Staff

# How long confirming the call may spend installing the app before the alerts are queued:
# the press must be answered while Teams still waits for it, and the alert must not wait.
INSTALL_TIME_LIMIT = 10.0
LISTED_FAILURES = 20


@dataclass(frozen=True, slots=True)
class InstallView:
    """What the preview (or the sent card) says about installing the app."""

    # Who will get the alert in Teams once the app is installed for them.
    installing: frozenset[int]
    note: str | None
    # Why the others who will not get it in Teams cannot have the app installed.
    not_installed: str | None

    @property
    def title_suffix(self) -> str:
        """What the send button adds: how many it reaches only once the app is installed."""
        return f" ({len(self.installing)} once the app is installed)" if self.installing else ""


async def install_view(
    installer: Installer,
    session: AsyncSession,
    people: list[Staff],
    in_teams: set[int],
    *,
    held: frozenset[int] | None = None,
) -> InstallView:
    """Before the call (`held` None): who the app would be installed for. After it: the
    people whose alerts wait for Teams to confirm the installation (`held`). Either way,
    why the rest of those with no chat cannot have it installed."""
    without = [p for p in people if p.id not in in_teams]
    plan = await installer.plan(session, without)
    note: str | None = None
    if held is not None:
        installing = held
        if held:
            note = f"{len(held)} more will get it as soon as Teams confirms the installation."
    else:
        installing = frozenset(p.id for p in plan.to_install)
        if installing:
            who = "this person has" if len(installing) == 1 else "they have"
            note = (
                f"{len(installing)} will be installed now: {who} no chat with the app yet. "
                "Confirming installs it for them first; their alert follows."
            )
    missed = len(without) - len(installing)
    why: str | None = None
    if missed and plan.off is not None:
        why = f"{plan.off[0].upper()}{plan.off[1:]}."
    elif missed and plan.cannot:
        reasons = Counter(short_reason(reason) for _, reason in plan.cannot)
        listed = ", ".join(
            f"{n} {reason}" for reason, n in sorted(reasons.items(), key=lambda r: (-r[1], r[0]))
        )
        why = (
            f"{len(plan.cannot)} cannot be installed ({listed}); "
            "`inspection-ready install-for-roster` tries them again."
        )
    return InstallView(installing, note, why)


async def install_first(
    installer: Installer, session: AsyncSession, caller: Staff
) -> list[Outcome]:
    """Installs the app for everyone the preview said it would be installed for."""
    if not installer.enabled:
        return []
    people = [p for p in await list_all(session) if p.id != caller.id]
    plan = await installer.plan(session, people)
    if not plan.to_install:
        return []
    return await installer.install(
        session, plan.to_install, actor=caller.email, time_limit=INSTALL_TIME_LIMIT
    )


async def waiting_for_chat(session: AsyncSession, installed: list[Outcome]) -> frozenset[int]:
    """Who the app was installed for without their chat being known yet.

    Asked just before the alerts are queued: an installation activity that came in while
    others were being installed has stored that person's chat by now, and their alert need
    not wait at all.
    """
    waiting = [o.staff_id for o in installed if o.installed and not o.conversation_known]
    if not waiting:
        return frozenset()
    return frozenset(waiting) - await calls.reachable(session, waiting)


def installed_text(installed: list[Outcome], held: frozenset[int]) -> str:
    """What installing the app before the alert achieved, for the sent card."""
    if not installed:
        return ""
    done = [o for o in installed if o.installed]
    already = sum(o.result is Result.ALREADY_INSTALLED for o in done)
    failed = [o for o in installed if not o.installed]
    text = ""
    if done:
        text += f" The app was installed for {len(done)} first"
        text += f" ({already} of them had it already)." if already else "."
    if held:
        waits = "waits" if len(held) == 1 else "wait"
        text += f" {len(held)} of their alerts {waits} for Teams to confirm the installation."
    if failed:
        by_reason: dict[str, list[str]] = {}
        for outcome in failed:
            why = short_reason(outcome.reason or outcome.result.value)
            by_reason.setdefault(why, []).append(plain_text(outcome.name))
        groups = []
        room = LISTED_FAILURES
        # The rarer reasons first: they are the ones someone can do something about.
        for why, names in sorted(by_reason.items(), key=lambda group: (len(group[1]), group[0])):
            shown = ", ".join(names[: max(room, 1)])
            more = len(names) - max(room, 1)
            room -= len(names)
            groups.append(
                f"{why} ({len(names)}): {shown}{f' and {more} more' if more > 0 else ''}"
            )
        text += f" It could not be installed for {len(failed)} ({'; '.join(groups)}). Phone them."
    return text
