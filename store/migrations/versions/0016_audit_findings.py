"""What completed audits found, their moderation and follow-ups, audits the inspectors asked
for during a call (and where their status card is), and download links for audit reports.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | None = None
depends_on: str | None = None

MODERATION_STATUSES = ("pending", "agreed", "changed")


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "audit_finding",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "audit_id",
            sa.Integer(),
            _fk("audit_finding", "audit_id", "audit_assignment", "CASCADE"),
            nullable=False,
        ),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("month_sequence", sa.Integer(), nullable=False),
        sa.Column("grades", sa.JSON(), nullable=False),
        sa.Column("overall", sa.String(40), nullable=False),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("development", sa.Text(), nullable=False),
        sa.Column("child_voice", sa.Boolean(), nullable=False),
        sa.Column("equality_diversity", sa.Boolean(), nullable=False),
        sa.Column(
            "completed_by_id",
            sa.Integer(),
            _fk("audit_finding", "completed_by_id", "staff", "SET NULL"),
            nullable=True,
        ),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moderation_reason", sa.String(32), nullable=True),
        sa.UniqueConstraint("audit_id", name="uq_audit_finding_audit_id"),
        sa.UniqueConstraint("month", "month_sequence", name="uq_audit_finding_month"),
    )
    op.create_index("ix_audit_finding_month", "audit_finding", ["month"])

    allowed = ", ".join(f"'{value}'" for value in MODERATION_STATUSES)
    op.create_table(
        "audit_moderation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "finding_id",
            sa.Integer(),
            _fk("audit_moderation", "finding_id", "audit_finding", "CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "moderator_id",
            sa.Integer(),
            _fk("audit_moderation", "moderator_id", "staff"),
            nullable=False,
        ),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("grades", sa.JSON(), nullable=True),
        sa.Column("overall", sa.String(40), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("finding_id", name="uq_audit_moderation_finding_id"),
        sa.CheckConstraint(f"status IN ({allowed})", name="ck_audit_moderation_moderation_status"),
    )
    op.create_index("ix_audit_moderation_moderator_id", "audit_moderation", ["moderator_id"])

    op.create_table(
        "audit_follow_up",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "finding_id",
            sa.Integer(),
            _fk("audit_follow_up", "finding_id", "audit_finding", "CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "action_id",
            sa.Integer(),
            _fk("audit_follow_up", "action_id", "action", "CASCADE"),
            nullable=False,
        ),
        sa.UniqueConstraint("action_id", name="uq_audit_follow_up_action_id"),
    )
    op.create_index("ix_audit_follow_up_finding_id", "audit_follow_up", ["finding_id"])

    op.create_table(
        "call_audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "call_id",
            sa.Integer(),
            _fk("call_audit", "call_id", "inspection_call", "CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "audit_id",
            sa.Integer(),
            _fk("call_audit", "audit_id", "audit_assignment", "CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "requested_by_id",
            sa.Integer(),
            _fk("call_audit", "requested_by_id", "staff", "SET NULL"),
            nullable=True,
        ),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("audit_id", name="uq_call_audit_audit_id"),
    )
    op.create_index("ix_call_audit_call_id", "call_audit", ["call_id"])

    op.create_table(
        "call_audit_card",
        sa.Column(
            "call_id",
            sa.Integer(),
            _fk("call_audit_card", "call_id", "inspection_call", "CASCADE"),
            primary_key=True,
        ),
        sa.Column("location", sa.JSON(), nullable=False),
        sa.Column("shown", sa.String(64), nullable=True),
    )

    op.create_table(
        "report_export",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("month", sa.String(7), nullable=True),
        sa.Column(
            "call_id",
            sa.Integer(),
            _fk("report_export", "call_id", "inspection_call", "CASCADE"),
            nullable=True,
        ),
        sa.Column("file_format", sa.String(8), nullable=False),
        sa.Column(
            "staff_id",
            sa.Integer(),
            _fk("report_export", "staff_id", "staff", "CASCADE"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_from", sa.String(200), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("report_export")
    op.drop_table("call_audit_card")
    op.drop_index("ix_call_audit_call_id", table_name="call_audit")
    op.drop_table("call_audit")
    op.drop_index("ix_audit_follow_up_finding_id", table_name="audit_follow_up")
    op.drop_table("audit_follow_up")
    op.drop_index("ix_audit_moderation_moderator_id", table_name="audit_moderation")
    op.drop_table("audit_moderation")
    op.drop_index("ix_audit_finding_month", table_name="audit_finding")
    op.drop_table("audit_finding")
