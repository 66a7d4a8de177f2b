"""One sending schedule shared by every replica (PostgreSQL deployments).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "send_budget",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("next_free", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("send_budget")
