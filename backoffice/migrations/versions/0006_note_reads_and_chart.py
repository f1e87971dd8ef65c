"""Openings of session notes in batches: one committed record covers the notes read together.

A note's content reaches staff only through `backoffice.read_opened_notes(batch)` (created by
`db provision`), which returns the notes of one committed opening batch of the same login. A batch
is one note opened from the review queue or the chart, or a whole caseload read at once (an
offline checkout): `purpose` says which. Rows written before this revision become batches of one.

Tables in the `backoffice` schema only: nothing here touches the structure of a `public` table.

Revision ID: 0006_note_reads_and_chart
Revises: 0003_refund_rules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_note_reads_and_chart"
down_revision = "0003_refund_rules"
branch_labels = None
depends_on = None

PURPOSES = "purpose IN ('read', 'checkout')"


def upgrade() -> None:
    op.add_column("note_openings", sa.Column("batch_id", sa.BigInteger()), schema="backoffice")
    op.add_column(
        "note_openings",
        sa.Column("purpose", sa.String(length=20), server_default="read", nullable=False),
        schema="backoffice",
    )
    # Batch ids are drawn from the rows' own id sequence, so an old row's id is its batch.
    op.execute("UPDATE backoffice.note_openings SET batch_id = id")
    op.alter_column("note_openings", "batch_id", nullable=False, schema="backoffice")
    op.create_check_constraint(
        op.f("ck_note_openings_purpose_allowed"), "note_openings", PURPOSES, schema="backoffice"
    )
    op.create_index(
        op.f("ix_note_openings_batch_id"), "note_openings", ["batch_id"], schema="backoffice"
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_note_openings_batch_id"), table_name="note_openings", schema="backoffice"
    )
    op.drop_constraint(
        op.f("ck_note_openings_purpose_allowed"), "note_openings", schema="backoffice"
    )
    op.drop_column("note_openings", "purpose", schema="backoffice")
    op.drop_column("note_openings", "batch_id", schema="backoffice")
