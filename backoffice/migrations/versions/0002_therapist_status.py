"""Therapist deactivation: an append-only history of therapist status changes.

Revision ID: 0002_therapist_status
Revises: 0001
Create Date: 2026-11-22 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_therapist_status"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "therapist_status_changes",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("therapist_id", sa.String(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "changed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "changed_by",
            sa.String(length=63),
            server_default=sa.text("session_user"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_therapist_status_changes")),
        schema="backoffice",
    )
    op.create_index(
        op.f("ix_therapist_status_changes_therapist_id_id"),
        "therapist_status_changes",
        ["therapist_id", "id"],
        unique=False,
        schema="backoffice",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_therapist_status_changes_therapist_id_id"),
        table_name="therapist_status_changes",
        schema="backoffice",
    )
    op.drop_table("therapist_status_changes", schema="backoffice")
