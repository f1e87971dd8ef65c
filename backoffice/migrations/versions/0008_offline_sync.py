"""Drafts written offline land once: `offline_drafts` holds the id each draft was given on the
therapist's laptop, with the additional note it became.

`backoffice.upload_offline_draft(draft_id, booking_id, text)` (created by `db provision`) claims
the draft's id and writes its additional note in one transaction: a retried or interrupted upload
finds the claim and lands nothing twice. Nobody but that function writes here; no staff group
holds a privilege on the table.

Tables in the `backoffice` schema only: nothing here touches the structure of a `public` table.

Revision ID: 0008_offline_sync
Revises: 0007_risk_scan_and_registrations
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008_offline_sync"
down_revision = "0007_risk_scan_and_registrations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offline_drafts",
        sa.Column("draft_id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "login_role",
            sa.String(length=63),
            server_default=sa.text("session_user"),
            nullable=False,
        ),
        sa.Column("therapist_id", sa.String(length=255), nullable=False),
        sa.Column("booking_id", sa.String(length=255), nullable=False),
        # public.client_additional_notes.note_id, set in the transaction that claimed the draft
        sa.Column("note_id", sa.Integer()),
        sa.Column(
            "uploaded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("clock_timestamp()"),
            nullable=False,
        ),
        schema="backoffice",
    )
    op.create_index(
        op.f("ix_offline_drafts_note_id"), "offline_drafts", ["note_id"], schema="backoffice"
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_offline_drafts_note_id"), table_name="offline_drafts", schema="backoffice"
    )
    op.drop_table("offline_drafts", schema="backoffice")
