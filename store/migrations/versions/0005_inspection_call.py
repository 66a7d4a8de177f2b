"""The inspection call: the call, its recipients, export links; outbox rows name their call.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "inspection_call",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("inspection_type", sa.String(32), nullable=False),
        sa.Column("on_site", sa.Date(), nullable=False),
        sa.Column("drill", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("active_slot", sa.Integer(), nullable=True),
        sa.Column(
            "called_by_id",
            sa.Integer(),
            fk("inspection_call", "called_by_id", "staff", "SET NULL"),
            nullable=True,
        ),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "stood_down_by_id",
            sa.Integer(),
            fk("inspection_call", "stood_down_by_id", "staff", "SET NULL"),
            nullable=True,
        ),
        sa.Column("stood_down_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updates_sent", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status_card", sa.JSON(), nullable=True),
        sa.Column("status_shown", sa.String(64), nullable=True),
        sa.UniqueConstraint("active_slot", name="uq_inspection_call_active_slot"),
        sa.CheckConstraint(
            "status IN ('active', 'stood_down')", name="ck_inspection_call_call_status"
        ),
    )
    op.create_table(
        "call_recipient",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "call_id",
            sa.Integer(),
            fk("call_recipient", "call_id", "inspection_call", "CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "staff_id",
            sa.Integer(),
            fk("call_recipient", "staff_id", "staff", "CASCADE"),
            nullable=False,
        ),
        sa.Column("inspection_role", sa.String(200), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("call_id", "staff_id", name="uq_call_recipient_call_id"),
    )
    op.create_index("ix_call_recipient_staff_id", "call_recipient", ["staff_id"])
    op.create_table(
        "call_export",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "call_id",
            sa.Integer(),
            fk("call_export", "call_id", "inspection_call", "CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "staff_id",
            sa.Integer(),
            fk("call_export", "staff_id", "staff", "CASCADE"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.add_column("outbox_message", sa.Column("call_id", sa.Integer(), nullable=True))
    op.create_index(
        "ix_outbox_message_call_recipient", "outbox_message", ["call_id", "recipient_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_message_call_recipient", table_name="outbox_message")
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("call_id")
    op.drop_table("call_export")
    op.drop_index("ix_call_recipient_staff_id", table_name="call_recipient")
    op.drop_table("call_recipient")
    op.drop_table("inspection_call")
