"""Issue #14 item 10: `db check` proposes the payments search indexes and the finance dashboard's
partial indexes, `--create-indexes` creates them, and the dashboard's views can use them."""

from __future__ import annotations

from pathlib import Path

import psycopg
import sqlalchemy as sa

from backoffice import migrations
from backoffice.cli import main
from backoffice.owner.indexes import missing_indexes
from tests.pg import libpq_conninfo

SEED_DDL = Path(__file__).parents[1] / "sql" / "clinic_seed_ddl.sql"
DASHBOARD = {"bo_payments_refund_fields", "bo_bookings_refund_fields", "bo_payments_refund_failed"}


def _clinic(url) -> None:
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        conn.execute(SEED_DDL.read_text())
    engine = sa.create_engine(url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        migrations.upgrade(conn)
    engine.dispose()


def _plan(url, query: str) -> str:
    with psycopg.connect(libpq_conninfo(url)) as conn:
        conn.execute("SET enable_seqscan = off")
        return "\n".join(row[0] for row in conn.execute(f"EXPLAIN {query}"))


def test_db_check_proposes_the_search_and_dashboard_indexes_and_creates_them(
    fresh_database_url, capsys
):
    _clinic(fresh_database_url)
    url_text = fresh_database_url.render_as_string(hide_password=False)
    main(["db", "check", "--url", url_text])
    out = capsys.readouterr().out
    for name in (*DASHBOARD, "bo_payments_payment_reference_id_key", "bo_bookings_start_id"):
        assert f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON public." in out
    assert "bo_payments_invitee_name_trgm" in out  # proposed even where pg_trgm is missing

    main(["db", "check", "--url", url_text, "--create-indexes"])
    engine = sa.create_engine(fresh_database_url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.connect() as conn:
        left = {i.name for i in missing_indexes(conn)}
    engine.dispose()
    assert all(name.endswith("_trgm") for name in left)  # only where pg_trgm is not installed

    mismatches = _plan(fresh_database_url, "SELECT count(*) FROM backoffice.refund_mismatches")
    assert "bo_payments_refund_fields" in mismatches
    assert "bo_bookings_refund_fields" in mismatches
    failed = _plan(fresh_database_url, "SELECT count(*) FROM backoffice.failed_refunds")
    assert "bo_payments_refund_failed" in failed
