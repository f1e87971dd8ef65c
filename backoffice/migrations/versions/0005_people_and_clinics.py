"""People and clinics: this clinic's own group roles, logins whose password the person sets, audit
times taken when the event happens.

- `group_roles`: the names of this clinic database's group roles (admin, finance, therapist, and
  pending: a login that must set its own password first), chosen and written by `db provision`,
  so that two clinics on one server never share a group (the names outlive a database rename).
- `staff_accounts.must_set_password` / `password_set_at`: a login made by an admin starts with a
  temporary password and can do nothing but replace it (`backoffice.set_own_password`).
- `audit_events.occurred_at` and `note_openings.opened_at` default to `clock_timestamp()`, not to the
  start of the transaction (`now()`): a long transaction no longer back-dates what it records.

Tables in the `backoffice` schema only.

Revision ID: 0005_people_and_clinics
Revises: 0006_note_reads_and_chart
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_people_and_clinics"
down_revision = "0004_money_functions"
branch_labels = None
depends_on = None

GROUP_KINDS = "kind IN ('admin', 'finance', 'therapist', 'pending')"


def upgrade() -> None:
    _group_roles()
    op.add_column(
        "staff_accounts",
        sa.Column(
            "must_set_password", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        schema="backoffice",
    )
    op.add_column(
        "staff_accounts",
        sa.Column("password_set_at", sa.DateTime(timezone=True), nullable=True),
        schema="backoffice",
    )
    for table, column in (("audit_events", "occurred_at"), ("note_openings", "opened_at")):
        op.alter_column(
            table, column, server_default=sa.text("clock_timestamp()"), schema="backoffice"
        )


def _group_roles() -> None:
    op.create_table(
        "group_roles",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(GROUP_KINDS, name=op.f("ck_group_roles_kind_allowed")),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_group_roles")),
        sa.UniqueConstraint("role_name", name=op.f("uq_group_roles_role_name")),
        schema="backoffice",
    )


def downgrade() -> None:
    for table, column in (("audit_events", "occurred_at"), ("note_openings", "opened_at")):
        op.alter_column(table, column, server_default=sa.text("now()"), schema="backoffice")
    op.drop_column("staff_accounts", "password_set_at", schema="backoffice")
    op.drop_column("staff_accounts", "must_set_password", schema="backoffice")
    op.drop_table("group_roles", schema="backoffice")
