"""This module decides whether an activity comes from Teams in a tenant this bot serves."""

from __future__ import annotations

from typing import Any

from teams.inbound import field

TEAMS_CHANNEL = "msteams"


def refusal(body: dict[str, Any], accepted_tenants: frozenset[str]) -> str | None:
    """Why an activity must be refused before the bot runs, or None to let it in.

    Every activity must come through the Teams channel. When tenants are configured, the
    activity must name one of them, and wherever it names its tenant (the conversation's
    `tenantId`, `channelData.tenant.id`) it must name the same one: an activity that
    names none, or two different ones, is refused.
    """
    if body.get("channelId") != TEAMS_CHANNEL:
        return f"the channel is not {TEAMS_CHANNEL}"
    if not accepted_tenants:
        return None
    named = tenants_named(body)
    if named is None:
        return "the tenant is named in two ways that disagree, or not as text"
    if not named:
        return "the activity does not name its tenant"
    if not named <= accepted_tenants:
        return "the tenant is not one this bot serves"
    return None


def tenants_named(body: dict[str, Any]) -> frozenset[str] | None:
    """The tenant ids the activity names (lower-cased); None if they are not all text."""
    channel_data = body.get("channelData")
    tenant = channel_data.get("tenant") if isinstance(channel_data, dict) else None
    if tenant is not None and not isinstance(tenant, dict):
        return None
    values = [
        field(body, "conversation", "tenantId"),
        tenant.get("id") if tenant is not None else None,
    ]
    present = [value for value in values if value is not None]
    if not all(isinstance(value, str) and value.strip() for value in present):
        return None
    named = frozenset(value.strip().lower() for value in present)
    return named if len(named) <= 1 else None
