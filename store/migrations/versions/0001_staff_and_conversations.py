"""Staff roster, teams and Teams conversation references.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

STAFF_ROLES = ("practitioner", "manager", "coordinator", "admin")


def one_of(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    """The CHECK constraint an enum column carries (VARCHAR, not a native ENUM type)."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=name)


def upgrade() -> None:
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", name="uq_team_name"),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column(
            "team_id",
            sa.Integer(),
            sa.ForeignKey("team.id", name="fk_staff_team_id_team", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "manager_id",
            sa.Integer(),
            sa.ForeignKey("staff.id", name="fk_staff_manager_id_staff", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("aad_object_id", sa.String(64), nullable=True),
        sa.Column("inspection_role", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("email", name="uq_staff_email"),
        sa.UniqueConstraint("aad_object_id", name="uq_staff_aad_object_id"),
        one_of("role", STAFF_ROLES, "ck_staff_staff_role"),
    )
    op.create_index("ix_staff_team_id", "staff", ["team_id"])
    op.create_index("ix_staff_manager_id", "staff", ["manager_id"])
    op.create_table(
        "conversation_reference",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation_id", sa.String(512), nullable=False),
        sa.Column("conversation_type", sa.String(32), nullable=False),
        sa.Column(
            "staff_id",
            sa.Integer(),
            sa.ForeignKey(
                "staff.id", name="fk_conversation_reference_staff_id_staff", ondelete="SET NULL"
            ),
            nullable=True,
        ),
        sa.Column("user_id", sa.String(256), nullable=True),
        sa.Column("user_aad_object_id", sa.String(64), nullable=True),
        sa.Column("tenant_id", sa.String(64), nullable=True),
        sa.Column("service_url", sa.String(512), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uninstalled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("conversation_id", name="uq_conversation_reference_conversation_id"),
    )
    op.create_index("ix_conversation_reference_staff_id", "conversation_reference", ["staff_id"])
    op.create_index(
        "ix_conversation_reference_user_aad_object_id",
        "conversation_reference",
        ["user_aad_object_id"],
    )


def downgrade() -> None:
    op.drop_table("conversation_reference")
    op.drop_table("staff")
    op.drop_table("team")
