"""This module is the inspection call's part in installing the app through Microsoft Graph.

When the alert goes, the app is installed for everyone on the roster who has no chat with
the bot, so that the alert reaches them in Teams too (notifications/call_installs.py does
it while the other alerts go); the preview says how many that is, and how many cannot be
installed and why.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from notifications.installation import Installer, Plan, short_reason

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from store.models import Staff


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
    plan: Plan | None = None,
) -> InstallView:
    """Before the call (`held` None): who the app would be installed for. After it: the
    people whose alerts wait for the app to be installed (`held`). Either way, why the
    rest of those with no chat cannot have it installed. `plan` is the installer's plan
    for `people`, when the caller has made it already."""
    without = [p for p in people if p.id not in in_teams]
    if plan is None:
        plan = await installer.plan(session, without)
    note: str | None = None
    if held is not None:
        installing = held
        if held:
            note = f"{len(held)} more will get it as soon as the app is installed for them."
    else:
        installing = frozenset(p.id for p in plan.to_install)
        if installing:
            who = "this person has" if len(installing) == 1 else "they have"
            note = (
                f"{len(installing)} will be installed now: {who} no chat with the app yet. "
                "Confirming sends everyone else's alert at once and installs the app for them "
                "alongside; each of their alerts follows as soon as it is installed for them."
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


def installing_text(count: int) -> str:
    """What the sent card says of the installations running alongside the alerts."""
    if not count:
        return ""
    who = "1 person" if count == 1 else f"{count} people"
    return (
        f" The app is being installed for {who} with no chat with it yet; the status card "
        "shows how that goes."
    )
