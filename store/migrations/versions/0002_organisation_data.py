"""Improvement plan, extension requests, audit programme, calendar and the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

ACTION_STATUSES = ("not started", "in progress", "complete", "blocked")
EXTENSION_STATUSES = ("pending", "approved", "declined")
AUDIT_TYPES = ("monthly", "enhanced", "thematic", "multi-agency", "inspection")
AUDIT_STATUSES = ("assigned", "in progress", "complete")
EVENT_KINDS = (
    "monitoring_visit",
    "action_plan_due",
    "improvement_board",
    "self_evaluation",
    "annual_engagement",
    "focused_visit",
    "other",
)
CHANGE_SOURCES = ("import", "bot", "demo")


def one_of(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    """The CHECK constraint an enum column carries (VARCHAR, not a native ENUM type)."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=name)


def staff_fk(table: str, column: str) -> sa.ForeignKey:
    return sa.ForeignKey("staff.id", name=f"fk_{table}_{column}_staff")


def timestamps() -> list[sa.Column[datetime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("priority_area", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), staff_fk("action", "owner_id"), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("evidence_required", sa.Text(), nullable=True),
        sa.Column("completion_note", sa.Text(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        *timestamps(),
        sa.UniqueConstraint("ref", name="uq_action_ref"),
        one_of("status", ACTION_STATUSES, "ck_action_action_status"),
    )
    op.create_index("ix_action_priority_area", "action", ["priority_area"])
    op.create_index("ix_action_owner_id", "action", ["owner_id"])
    op.create_index("ix_action_due_date", "action", ["due_date"])

    op.create_table(
        "extension_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "action_id",
            sa.Integer(),
            sa.ForeignKey(
                "action.id", name="fk_extension_request_action_id_action", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column(
            "requested_by_id",
            sa.Integer(),
            staff_fk("extension_request", "requested_by_id"),
            nullable=False,
        ),
        sa.Column("current_due_date", sa.Date(), nullable=False),
        sa.Column("requested_due_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column(
            "decided_by_id",
            sa.Integer(),
            staff_fk("extension_request", "decided_by_id"),
            nullable=True,
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        one_of("status", EXTENSION_STATUSES, "ck_extension_request_extension_status"),
    )
    op.create_index("ix_extension_request_action_id", "extension_request", ["action_id"])

    op.create_table(
        "audit_assignment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("case_ref", sa.String(64), nullable=False),
        sa.Column("audit_type", sa.String(32), nullable=False),
        sa.Column(
            "auditor_id", sa.Integer(), staff_fk("audit_assignment", "auditor_id"), nullable=False
        ),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        *timestamps(),
        sa.UniqueConstraint("ref", name="uq_audit_assignment_ref"),
        one_of("audit_type", AUDIT_TYPES, "ck_audit_assignment_audit_type"),
        one_of("status", AUDIT_STATUSES, "ck_audit_assignment_audit_status"),
    )
    op.create_index("ix_audit_assignment_case_ref", "audit_assignment", ["case_ref"])
    op.create_index("ix_audit_assignment_auditor_id", "audit_assignment", ["auditor_id"])
    op.create_index("ix_audit_assignment_due_date", "audit_assignment", ["due_date"])

    op.create_table(
        "calendar_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("audience", sa.String(232), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        *timestamps(),
        sa.UniqueConstraint("title", "date", name="uq_calendar_event_title_date"),
        one_of("kind", EVENT_KINDS, "ck_calendar_event_event_kind"),
    )
    op.create_index("ix_calendar_event_date", "calendar_event", ["date"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_key", sa.String(320), nullable=False),
        sa.Column("field", sa.String(64), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        one_of("source", CHANGE_SOURCES, "ck_audit_log_change_source"),
    )
    op.create_index("ix_audit_log_occurred_at", "audit_log", ["occurred_at"])
    op.create_index("ix_audit_log_entity_key", "audit_log", ["entity", "entity_key"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("calendar_event")
    op.drop_table("audit_assignment")
    op.drop_table("extension_request")
    op.drop_table("action")
