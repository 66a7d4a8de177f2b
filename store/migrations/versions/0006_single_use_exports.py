"""Export links are single use and record their download; call updates have a cool-down.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Links made before this revision could be used again and again; withdraw them (they
    # lasted 15 minutes at most) rather than give them a creation time they never had.
    op.execute("DELETE FROM call_export")
    with op.batch_alter_table("call_export") as batch:
        batch.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))
        batch.add_column(sa.Column("used_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("used_from", sa.String(200), nullable=True))
    with op.batch_alter_table("inspection_call") as batch:
        batch.add_column(sa.Column("last_update_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inspection_call") as batch:
        batch.drop_column("last_update_at")
    with op.batch_alter_table("call_export") as batch:
        batch.drop_column("used_from")
        batch.drop_column("used_at")
        batch.drop_column("created_at")
