"""Owners' updates for the Improvement Board, their review, and board-pack download links.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None

RAGS = ("on track", "at risk", "off track")
IMPACTS = ("not yet evident", "emerging", "evident")
REVIEW_STATUSES = ("pending", "accepted", "sent back")


def one_of(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    """The CHECK constraint an enum column carries (VARCHAR, not a native ENUM type)."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=name)


def fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "board_update",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "action_id",
            sa.Integer(),
            fk("board_update", "action_id", "action", "CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "meeting_id",
            sa.Integer(),
            fk("board_update", "meeting_id", "calendar_event", "CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "author_id",
            sa.Integer(),
            fk("board_update", "author_id", "staff", "CASCADE"),
            nullable=False,
        ),
        sa.Column("rag", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("evidence_text", sa.Text(), nullable=True),
        sa.Column("evidence_link", sa.String(2000), nullable=True),
        sa.Column("impact", sa.String(32), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_status", sa.String(32), nullable=False),
        sa.Column(
            "reviewed_by_id",
            sa.Integer(),
            fk("board_update", "reviewed_by_id", "staff", "SET NULL"),
            nullable=True,
        ),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.UniqueConstraint("action_id", "meeting_id", name="uq_board_update_action_meeting"),
        one_of("rag", RAGS, "ck_board_update_board_rag"),
        one_of("impact", IMPACTS, "ck_board_update_board_impact"),
        one_of("review_status", REVIEW_STATUSES, "ck_board_update_board_review_status"),
    )
    op.create_index("ix_board_update_meeting_id", "board_update", ["meeting_id"])
    op.create_table(
        "board_pack_link",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("file_format", sa.String(8), nullable=False),
        sa.Column(
            "staff_id",
            sa.Integer(),
            fk("board_pack_link", "staff_id", "staff", "CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_from", sa.String(200), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("board_pack_link")
    op.drop_index("ix_board_update_meeting_id", table_name="board_update")
    op.drop_table("board_update")
