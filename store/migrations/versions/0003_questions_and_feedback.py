"""Unanswered framework questions and helpful / not helpful votes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "unanswered_question",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column(
            "staff_id",
            sa.Integer(),
            sa.ForeignKey(
                "staff.id", name="fk_unanswered_question_staff_id_staff", ondelete="SET NULL"
            ),
            nullable=True,
        ),
        sa.Column("suggested", sa.String(400), nullable=False),
    )
    op.create_index("ix_unanswered_question_asked_at", "unanswered_question", ["asked_at"])
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("answer_ref", sa.String(64), nullable=False),
        sa.Column("entry_id", sa.String(100), nullable=False),
        sa.Column("voter", sa.String(320), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("answer_ref", "voter", name="uq_answer_feedback_answer_ref_voter"),
    )
    op.create_index("ix_answer_feedback_entry_id", "answer_feedback", ["entry_id"])


def downgrade() -> None:
    op.drop_table("answer_feedback")
    op.drop_table("unanswered_question")
