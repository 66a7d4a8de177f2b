"""Conversation references in the service's own format, not botbuilder's serialized object.

The service now runs on botbuilder or the Microsoft 365 Agents SDK, so what it stores to
reach a conversation again must not be either SDK's class: references become
{service_url, conversation_id, conversation_kind, channel_id, tenant_id, user_id,
user_aad_object_id, user_name, bot_id, bot_name}.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

references = sa.table(
    "conversation_reference",
    sa.column("id", sa.Integer),
    sa.column("reference", sa.JSON),
)
inspection_calls = sa.table(
    "inspection_call",
    sa.column("id", sa.Integer),
    sa.column("status_card", sa.JSON),
)


def own_format(old: dict[str, Any]) -> dict[str, Any]:
    """A botbuilder ConversationReference.serialize() as the service's own reference."""
    if "service_url" in old:
        return old
    conversation = old.get("conversation") or {}
    user = old.get("user") or {}
    bot = old.get("bot") or {}
    return {
        "service_url": old.get("serviceUrl"),
        "conversation_id": conversation.get("id"),
        "conversation_kind": conversation.get("conversationType") or "personal",
        "channel_id": old.get("channelId") or "msteams",
        "tenant_id": conversation.get("tenantId"),
        "user_id": user.get("id"),
        "user_aad_object_id": user.get("aadObjectId"),
        "user_name": user.get("name"),
        "bot_id": bot.get("id"),
        "bot_name": bot.get("name"),
    }


def sdk_format(own: dict[str, Any]) -> dict[str, Any]:
    """The reverse, for a downgrade."""
    if "serviceUrl" in own:
        return own
    return {
        "serviceUrl": own.get("service_url"),
        "channelId": own.get("channel_id"),
        "conversation": {
            "id": own.get("conversation_id"),
            "conversationType": own.get("conversation_kind"),
            "tenantId": own.get("tenant_id"),
        },
        "user": {
            "id": own.get("user_id"),
            "aadObjectId": own.get("user_aad_object_id"),
            "name": own.get("user_name"),
        },
        "bot": {"id": own.get("bot_id"), "name": own.get("bot_name")},
    }


def convert(change: Any) -> None:
    connection = op.get_bind()
    for row_id, reference in connection.execute(
        sa.select(references.c.id, references.c.reference)
    ).all():
        if isinstance(reference, dict):
            connection.execute(
                references.update()
                .where(references.c.id == row_id)
                .values(reference=change(reference))
            )
    for call_id, card in connection.execute(
        sa.select(inspection_calls.c.id, inspection_calls.c.status_card)
    ).all():
        if isinstance(card, dict) and isinstance(card.get("reference"), dict):
            connection.execute(
                inspection_calls.update()
                .where(inspection_calls.c.id == call_id)
                .values(status_card={**card, "reference": change(card["reference"])})
            )


def upgrade() -> None:
    convert(own_format)


def downgrade() -> None:
    convert(sdk_format)
