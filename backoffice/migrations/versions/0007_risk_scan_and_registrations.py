"""Risk language found in session notes, and therapists' registrations with an expiry date.

- `note_risk_scans`: per note, the lexicon version and the note's `updated_at` it was last scanned
  at, how many risk phrases were found and their categories. A note edited since, or a new lexicon
  version, is scanned again (`db provision` creates the functions that scan; see
  `owner.provisioning.risk_scan`).
- `note_risk_matches`: the phrases found, with their field, span, lexicon entry and category. They
  are note content: no staff group is granted them; admins read them through
  `backoffice.read_opened_risk_phrases` after a committed opening (purpose 'phrases').
- `note_openings.purpose` also allows 'scan' (a batch read by the scan) and 'phrases'.
- `therapist_registrations`: a therapist's registration (body, number, expiry date), one current
  per therapist and the history kept: a new row replaces the current one (a trigger marks the old
  one replaced, so that nobody needs to UPDATE a registration). `registration_notices` records each
  reminder sent, once per registration and threshold.
- `therapist_applications.registration_expires_on`: the expiry date the applicant gave.

Tables in the `backoffice` schema only: nothing here touches the structure of a `public` table.

Revision ID: 0007_risk_scan_and_registrations
Revises: 0009_audit_chain
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007_risk_scan_and_registrations"
down_revision = "0009_audit_chain"
branch_labels = None
depends_on = None

S = "backoffice"
OLD_PURPOSES = "purpose IN ('read', 'checkout')"
PURPOSES = "purpose IN ('read', 'checkout', 'scan', 'phrases')"

# A new registration replaces the therapist's current one: the old row stays, marked replaced.
REPLACE_CURRENT = """
CREATE FUNCTION backoffice.registrations_before_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.body := btrim(NEW.body);
    NEW.number := btrim(NEW.number);
    NEW.is_current := true;
    NEW.recorded_at := now();
    NEW.recorded_by := session_user;
    NEW.replaced_at := NULL;
    NEW.replaced_by := NULL;
    UPDATE backoffice.therapist_registrations
    SET is_current = false, replaced_at = now(), replaced_by = session_user
    WHERE therapist_id = NEW.therapist_id AND is_current;
    RETURN NEW;
END
$$;
CREATE TRIGGER registrations_before_insert BEFORE INSERT ON backoffice.therapist_registrations
FOR EACH ROW EXECUTE FUNCTION backoffice.registrations_before_insert();
REVOKE ALL ON FUNCTION backoffice.registrations_before_insert() FROM PUBLIC;
"""


def _stamp(name: str) -> list[sa.Column]:
    """`<name>_at` and `<name>_by`, filled in by the database."""
    return [
        sa.Column(
            f"{name}_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            f"{name}_by", sa.String(63), server_default=sa.text("session_user"), nullable=False
        ),
    ]


def upgrade() -> None:
    _risk_tables()
    op.drop_constraint(op.f("ck_note_openings_purpose_allowed"), "note_openings", schema=S)
    op.create_check_constraint(
        op.f("ck_note_openings_purpose_allowed"), "note_openings", PURPOSES, schema=S
    )
    _registration_tables()
    op.add_column(
        "therapist_applications", sa.Column("registration_expires_on", sa.Date()), schema=S
    )


def _risk_tables() -> None:
    _scans_table()
    _matches_table()


def _scans_table() -> None:
    op.create_table(
        "note_risk_scans",
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("note_updated_at", sa.DateTime()),
        sa.Column("lexicon_version", sa.String(40), nullable=False),
        sa.Column("phrases", sa.Integer(), server_default="0", nullable=False),
        sa.Column("categories", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        *_stamp("scanned"),
        sa.PrimaryKeyConstraint("note_id", name=op.f("pk_note_risk_scans")),
        schema=S,
    )
    op.create_index(
        "ix_note_risk_scans_flagged",
        "note_risk_scans",
        ["note_id"],
        schema=S,
        postgresql_where=sa.text("phrases > 0"),
    )


def _matches_table() -> None:
    op.create_table(
        "note_risk_matches",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(63), nullable=False),
        sa.Column("phrase", sa.Text(), nullable=False),
        sa.Column("start_at", sa.Integer(), nullable=False),
        sa.Column("end_at", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(100), nullable=False),
        sa.Column("category", sa.String(50), nullable=False),
        sa.Column("lexicon_version", sa.String(40), nullable=False),
        sa.CheckConstraint("0 <= start_at AND start_at < end_at", name=op.f("ck_span")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_risk_matches")),
        schema=S,
    )
    op.create_index(
        op.f("ix_note_risk_matches_note_id"), "note_risk_matches", ["note_id"], schema=S
    )


def _registration_tables() -> None:
    _registrations_table()
    op.create_index(
        "ux_therapist_registrations_current",
        "therapist_registrations",
        ["therapist_id"],
        unique=True,
        schema=S,
        postgresql_where=sa.text("is_current"),
    )
    op.create_index(
        op.f("ix_therapist_registrations_therapist_id_id"),
        "therapist_registrations",
        ["therapist_id", "id"],
        schema=S,
    )
    op.execute(REPLACE_CURRENT)
    _notices_table()


def _registrations_table() -> None:
    op.create_table(
        "therapist_registrations",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("therapist_id", sa.String(255), nullable=False),
        sa.Column("body", sa.String(255), nullable=False),
        sa.Column("number", sa.String(100), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("application_id", sa.Integer()),
        sa.Column("is_current", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        *_stamp("recorded"),
        sa.Column("replaced_at", sa.DateTime(timezone=True)),
        sa.Column("replaced_by", sa.String(63)),
        sa.CheckConstraint(
            "btrim(body) <> '' AND btrim(number) <> ''", name=op.f("ck_body_and_number")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_therapist_registrations")),
        schema=S,
    )


def _notices_table() -> None:
    op.create_table(
        "registration_notices",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("threshold_days", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer()),
        *_stamp("notified"),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            [f"{S}.therapist_registrations.id"],
            name=op.f("fk_registration_notices_registration_id_therapist_registrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_notices")),
        sa.UniqueConstraint(
            "registration_id", "threshold_days", name=op.f("uq_registration_notices_once")
        ),
        schema=S,
    )


def downgrade() -> None:
    op.drop_column("therapist_applications", "registration_expires_on", schema=S)
    op.drop_table("registration_notices", schema=S)
    op.execute(
        "DROP TRIGGER registrations_before_insert ON backoffice.therapist_registrations; "
        "DROP FUNCTION backoffice.registrations_before_insert()"
    )
    op.drop_table("therapist_registrations", schema=S)
    op.execute("DELETE FROM backoffice.note_openings WHERE purpose IN ('scan', 'phrases')")
    op.drop_constraint(op.f("ck_note_openings_purpose_allowed"), "note_openings", schema=S)
    op.create_check_constraint(
        op.f("ck_note_openings_purpose_allowed"), "note_openings", OLD_PURPOSES, schema=S
    )
    op.drop_table("note_risk_matches", schema=S)
    op.drop_table("note_risk_scans", schema=S)
