"""Outbox for proactive messages, reminder preferences and snoozes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "unreachable")


def staff_fk(table: str, column: str) -> sa.ForeignKey:
    return sa.ForeignKey("staff.id", name=f"fk_{table}_{column}_staff", ondelete="CASCADE")


def upgrade() -> None:
    allowed = ", ".join(f"'{s}'" for s in OUTBOX_STATUSES)
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dedupe_key", sa.String(300), nullable=False),
        sa.Column(
            "recipient_id",
            sa.Integer(),
            staff_fk("outbox_message", "recipient_id"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("attempt_log", sa.JSON(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("dedupe_key", name="uq_outbox_message_dedupe_key"),
        sa.CheckConstraint(f"status IN ({allowed})", name="ck_outbox_message_outbox_status"),
    )
    op.create_index("ix_outbox_message_recipient_id", "outbox_message", ["recipient_id"])
    op.create_index(
        "ix_outbox_message_status_next", "outbox_message", ["status", "next_attempt_at"]
    )
    op.create_table(
        "reminder_preference",
        sa.Column(
            "staff_id", sa.Integer(), staff_fk("reminder_preference", "staff_id"), primary_key=True
        ),
        sa.Column("digest_only", sa.Boolean(), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "snooze",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("staff_id", sa.Integer(), staff_fk("snooze", "staff_id"), nullable=False),
        sa.Column("item_kind", sa.String(16), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.UniqueConstraint("staff_id", "item_kind", "item_id", name="uq_snooze_staff_id"),
    )


def downgrade() -> None:
    op.drop_table("snooze")
    op.drop_table("reminder_preference")
    op.drop_table("outbox_message")
