"""Recommendations, priority-area leads, board viewers and the baseline re-imports merge against.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None

STAFF_ROLES_BEFORE = ("practitioner", "manager", "coordinator", "admin")
STAFF_ROLES = (*STAFF_ROLES_BEFORE, "viewer")
RECOMMENDATION_SOURCES = (
    "inspection report",
    "focused visit",
    "monitoring visit",
    "improvement notice",
    "statutory direction",
    "JTAI",
    "area SEND",
    "self-assessment",
    "other",
)


def one_of(column: str, values: tuple[str, ...]) -> str:
    """The condition of the CHECK constraint an enum column carries."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({allowed})"


def replace_role_check(roles: tuple[str, ...]) -> None:
    with op.batch_alter_table("staff") as batch:
        batch.drop_constraint("ck_staff_staff_role", type_="check")
        batch.create_check_constraint("ck_staff_staff_role", one_of("role", roles))


def timestamps() -> list[sa.Column[datetime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    replace_role_check(STAFF_ROLES)
    op.create_table(
        "recommendation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received", sa.Date(), nullable=True),
        sa.Column(
            "lead_id",
            sa.Integer(),
            sa.ForeignKey("staff.id", name="fk_recommendation_lead_id_staff", ondelete="SET NULL"),
            nullable=True,
        ),
        *timestamps(),
        sa.UniqueConstraint("ref", name="uq_recommendation_ref"),
        sa.CheckConstraint(
            one_of("source", RECOMMENDATION_SOURCES),
            name="ck_recommendation_recommendation_source",
        ),
    )
    op.create_index("ix_recommendation_lead_id", "recommendation", ["lead_id"])
    op.create_table(
        "priority_area",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column(
            "lead_id",
            sa.Integer(),
            sa.ForeignKey("staff.id", name="fk_priority_area_lead_id_staff"),
            nullable=False,
        ),
        *timestamps(),
        sa.UniqueConstraint("name", name="uq_priority_area_name"),
    )
    op.create_index("ix_priority_area_lead_id", "priority_area", ["lead_id"])
    with op.batch_alter_table("action") as batch:
        batch.add_column(
            sa.Column(
                "recommendation_id",
                sa.Integer(),
                sa.ForeignKey(
                    "recommendation.id",
                    name="fk_action_recommendation_id_recommendation",
                    ondelete="SET NULL",
                ),
                nullable=True,
            )
        )
        batch.create_index("ix_action_recommendation_id", ["recommendation_id"])
    op.create_table(
        "import_baseline",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("key", sa.String(320), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("kind", "key", name="uq_import_baseline_kind_key"),
    )


def downgrade() -> None:
    op.drop_table("import_baseline")
    with op.batch_alter_table("action") as batch:
        batch.drop_index("ix_action_recommendation_id")
        batch.drop_column("recommendation_id")
    op.drop_index("ix_priority_area_lead_id", "priority_area")
    op.drop_table("priority_area")
    op.drop_index("ix_recommendation_lead_id", "recommendation")
    op.drop_table("recommendation")
    # A viewer has no role before this revision, and making them anything else would give
    # them rights they never had: the roster must be changed by hand first.
    viewers = op.get_bind().execute(sa.text("SELECT count(*) FROM staff WHERE role = 'viewer'"))
    if viewers.scalar_one():
        raise RuntimeError("give every viewer another role before downgrading below 0013")
    replace_role_check(STAFF_ROLES_BEFORE)
