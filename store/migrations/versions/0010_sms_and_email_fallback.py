"""The inspection call reaches people Teams cannot by SMS and email: mobiles, channels, links.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("mobile", sa.String(16), nullable=True))
    # Every message queued so far went to Teams.
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(
            sa.Column("channel", sa.String(32), nullable=False, server_default="teams")
        )
        batch.create_check_constraint(
            "ck_outbox_message_outbox_channel", "channel IN ('teams', 'sms', 'email')"
        )
    op.create_table(
        "call_ack_link",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "call_id",
            sa.Integer(),
            fk("call_ack_link", "call_id", "inspection_call", "CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "staff_id",
            sa.Integer(),
            fk("call_ack_link", "staff_id", "staff", "CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_from", sa.String(200), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("call_ack_link")
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_constraint("ck_outbox_message_outbox_channel", type_="check")
        batch.drop_column("channel")
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("mobile")
