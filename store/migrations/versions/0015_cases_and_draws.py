"""The audit programme's cases, each month's draw and the assignments it created.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | None = None
depends_on: str | None = None

CASE_CATEGORIES = (
    "early help",
    "child in need",
    "child protection",
    "child in care",
    "care leaver",
    "other",
)


def upgrade() -> None:
    allowed = ", ".join(f"'{value}'" for value in CASE_CATEGORIES)
    op.create_table(
        "case_record",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_ref", sa.String(64), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column(
            "team_id",
            sa.Integer(),
            sa.ForeignKey("team.id", name="fk_case_record_team_id_team", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "worker_id",
            sa.Integer(),
            sa.ForeignKey("staff.id", name="fk_case_record_worker_id_staff", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("opened", sa.Date(), nullable=True),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("case_ref", name="uq_case_record_case_ref"),
        sa.CheckConstraint(f"category IN ({allowed})", name="ck_case_record_case_category"),
    )
    op.create_index("ix_case_record_team_id", "case_record", ["team_id"])
    op.create_index("ix_case_record_worker_id", "case_record", ["worker_id"])
    op.create_index("ix_case_record_is_open", "case_record", ["is_open"])

    op.create_table(
        "audit_draw",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("enhanced_pct", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("drawn_by", sa.String(320), nullable=False),
        sa.Column(
            "drawn_by_id",
            sa.Integer(),
            sa.ForeignKey("staff.id", name="fk_audit_draw_drawn_by_id_staff", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("drawn_count", sa.Integer(), nullable=False),
        sa.Column("allocated_count", sa.Integer(), nullable=False),
        sa.UniqueConstraint("month", name="uq_audit_draw_month"),
    )

    with op.batch_alter_table("audit_assignment") as batch:
        batch.add_column(sa.Column("draw_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_audit_assignment_draw_id_audit_draw",
            "audit_draw",
            ["draw_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_audit_assignment_draw_id", ["draw_id"])


def downgrade() -> None:
    with op.batch_alter_table("audit_assignment") as batch:
        batch.drop_index("ix_audit_assignment_draw_id")
        batch.drop_constraint("fk_audit_assignment_draw_id_audit_draw", type_="foreignkey")
        batch.drop_column("draw_id")
    op.drop_table("audit_draw")
    op.drop_index("ix_case_record_is_open", table_name="case_record")
    op.drop_index("ix_case_record_worker_id", table_name="case_record")
    op.drop_index("ix_case_record_team_id", table_name="case_record")
    op.drop_table("case_record")
