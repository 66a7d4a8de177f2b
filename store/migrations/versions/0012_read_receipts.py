"""Who has read the inspection-call alert: the sent message's id and when its reader read it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        # The id Teams gave the sent message (epoch milliseconds in personal chats), which a
        # read receipt's lastReadMessageId is compared with.
        batch.add_column(sa.Column("sent_activity_id", sa.String(100), nullable=True))
        batch.add_column(sa.Column("read_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("read_at")
        batch.drop_column("sent_activity_id")
