"""Unanswered questions record when a coordinator answered them, and who.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("unanswered_question") as batch:
        batch.add_column(sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column(
                "answered_by_id",
                sa.Integer(),
                sa.ForeignKey(
                    "staff.id",
                    ondelete="SET NULL",
                    name="fk_unanswered_question_answered_by_id_staff",
                ),
                nullable=True,
            )
        )
        # The id of the local entry the answer became, awaiting review.
        batch.add_column(sa.Column("answer_entry", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("unanswered_question") as batch:
        batch.drop_column("answer_entry")
        batch.drop_column("answered_by_id")
        batch.drop_column("answered_at")
