"""This module reads what Teams answers on the wire, the same JSON whichever SDK fetched it."""

from __future__ import annotations

from typing import Any

from teams.types import Member


def member_from_json(found: Any) -> Member | None:
    """A member as Teams' roster API (GET .../members/{id}) answers it."""
    if not isinstance(found, dict):
        return None

    def text(name: str) -> str | None:
        value = found.get(name)
        if not isinstance(value, str):
            return None
        return value.strip() or None

    return Member(
        user_principal_name=text("userPrincipalName"),
        email=text("email"),
        tenant_id=(text("tenantId") or "").lower() or None,
        user_role=(text("userRole") or "").lower() or None,
    )


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header; None when there is none or it is not a number."""
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None
