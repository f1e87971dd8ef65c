"""Create the backoffice schema: staff, applications, refunds and their ledger, note reviews, audit, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 09:50:04.545831
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "actor",
            sa.String(length=63),
            server_default=sa.text("session_user"),
            nullable=False,
        ),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("subject_type", sa.String(length=50), nullable=False),
        sa.Column("subject_id", sa.String(length=255), nullable=True),
        sa.Column(
            "details",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        schema="backoffice",
    )
    op.create_index(
        op.f("ix_audit_events_occurred_at"),
        "audit_events",
        ["occurred_at"],
        unique=False,
        schema="backoffice",
    )
    op.create_index(
        op.f("ix_audit_events_subject_type_subject_id"),
        "audit_events",
        ["subject_type", "subject_id"],
        unique=False,
        schema="backoffice",
    )
    op.create_table(
        "note_openings",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column(
            "opened_by",
            sa.String(length=63),
            server_default=sa.text("session_user"),
            nullable=False,
        ),
        sa.Column(
            "opened_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_openings")),
        schema="backoffice",
    )
    op.create_index(
        op.f("ix_note_openings_note_id"),
        "note_openings",
        ["note_id"],
        unique=False,
        schema="backoffice",
    )
    op.create_table(
        "note_reviews",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column(
            "reviewer",
            sa.String(length=63),
            server_default=sa.text("session_user"),
            nullable=False,
        ),
        sa.Column(
            "reviewed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('no_action', 'follow_up', 'safety_plan', 'escalated')",
            name=op.f("ck_note_reviews_outcome_allowed"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_reviews")),
        schema="backoffice",
    )
    op.create_index(
        op.f("ix_note_reviews_note_id"),
        "note_reviews",
        ["note_id"],
        unique=False,
        schema="backoffice",
    )
    op.create_table(
        "refunds",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Text(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=10), nullable=False),
        sa.Column("reason_code", sa.String(length=50), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=20), server_default="requested", nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column(
            "requested_by",
            sa.String(length=63),
            server_default=sa.text("session_user"),
            nullable=False,
        ),
        sa.Column(
            "requested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("approved_by", sa.String(length=63), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("gateway_reference", sa.String(length=255), nullable=True),
        sa.Column("failure_message", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "state IN ('requested', 'approved', 'rejected', 'completed', 'failed')",
            name=op.f("ck_refunds_state_allowed"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_refunds_amount_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_refunds_idempotency_key")),
        schema="backoffice",
    )
    op.create_index(
        op.f("ix_refunds_payment_id"),
        "refunds",
        ["payment_id"],
        unique=False,
        schema="backoffice",
    )
    op.create_index(
        op.f("ix_refunds_state"),
        "refunds",
        ["state"],
        unique=False,
        schema="backoffice",
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_by",
            sa.String(length=63),
            server_default=sa.text("session_user"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
        schema="backoffice",
    )
    op.create_table(
        "shared_note_access",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("therapist_id", sa.String(length=255), nullable=False),
        sa.Column(
            "granted_by",
            sa.String(length=63),
            server_default=sa.text("session_user"),
            nullable=False,
        ),
        sa.Column(
            "granted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_note_access")),
        sa.UniqueConstraint(
            "client_id",
            "therapist_id",
            name=op.f("uq_shared_note_access_client_id_therapist_id"),
        ),
        schema="backoffice",
    )
    op.create_index(
        op.f("ix_shared_note_access_therapist_id"),
        "shared_note_access",
        ["therapist_id"],
        unique=False,
        schema="backoffice",
    )
    op.create_table(
        "staff_accounts",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("login_role", sa.String(length=63), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("therapist_id", sa.String(length=255), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "created_by",
            sa.String(length=63),
            server_default=sa.text("session_user"),
            nullable=False,
        ),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "role IN ('admin', 'finance', 'therapist')",
            name=op.f("ck_staff_accounts_role_allowed"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_accounts")),
        sa.UniqueConstraint("login_role", name=op.f("uq_staff_accounts_login_role")),
        schema="backoffice",
    )
    op.create_table(
        "therapist_applications",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("full_name", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("registration_number", sa.String(length=100), nullable=True),
        sa.Column("registration_council", sa.String(length=255), nullable=True),
        sa.Column("specialisations", sa.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column("years_of_experience", sa.Integer(), nullable=True),
        sa.Column("languages", sa.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("documents", sa.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("photo", sa.Text(), nullable=True),
        sa.Column("weekly_capacity", sa.Integer(), nullable=True),
        sa.Column(
            "submitted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("state", sa.String(length=20), server_default="pending", nullable=False),
        sa.Column("decided_by", sa.String(length=63), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_message", sa.Text(), nullable=True),
        sa.Column("therapist_id", sa.String(length=255), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'approved', 'rejected', 'needs_information')",
            name=op.f("ck_therapist_applications_state_allowed"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_therapist_applications")),
        schema="backoffice",
    )
    op.create_index(
        op.f("ix_therapist_applications_state_submitted_at"),
        "therapist_applications",
        ["state", "submitted_at"],
        unique=False,
        schema="backoffice",
    )
    op.create_table(
        "refund_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("refund_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("balance_before", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("balance_after", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column(
            "actor",
            sa.String(length=63),
            server_default=sa.text("session_user"),
            nullable=False,
        ),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("gateway_reference", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["refund_id"],
            ["backoffice.refunds.id"],
            name=op.f("fk_refund_events_refund_id_refunds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_events")),
        schema="backoffice",
    )
    op.create_index(
        op.f("ix_refund_events_refund_id"),
        "refund_events",
        ["refund_id"],
        unique=False,
        schema="backoffice",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_refund_events_refund_id"),
        table_name="refund_events",
        schema="backoffice",
    )
    op.drop_table("refund_events", schema="backoffice")
    op.drop_index(
        op.f("ix_therapist_applications_state_submitted_at"),
        table_name="therapist_applications",
        schema="backoffice",
    )
    op.drop_table("therapist_applications", schema="backoffice")
    op.drop_table("staff_accounts", schema="backoffice")
    op.drop_index(
        op.f("ix_shared_note_access_therapist_id"),
        table_name="shared_note_access",
        schema="backoffice",
    )
    op.drop_table("shared_note_access", schema="backoffice")
    op.drop_table("settings", schema="backoffice")
    op.drop_index(op.f("ix_refunds_state"), table_name="refunds", schema="backoffice")
    op.drop_index(op.f("ix_refunds_payment_id"), table_name="refunds", schema="backoffice")
    op.drop_table("refunds", schema="backoffice")
    op.drop_index(op.f("ix_note_reviews_note_id"), table_name="note_reviews", schema="backoffice")
    op.drop_table("note_reviews", schema="backoffice")
    op.drop_index(
        op.f("ix_note_openings_note_id"),
        table_name="note_openings",
        schema="backoffice",
    )
    op.drop_table("note_openings", schema="backoffice")
    op.drop_index(
        op.f("ix_audit_events_subject_type_subject_id"),
        table_name="audit_events",
        schema="backoffice",
    )
    op.drop_index(
        op.f("ix_audit_events_occurred_at"),
        table_name="audit_events",
        schema="backoffice",
    )
    op.drop_table("audit_events", schema="backoffice")
