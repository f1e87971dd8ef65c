"""`db check` and `db upgrade` on databases the back-office did not create."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from backoffice.cli import main
from tests.pg import libpq_conninfo

SEED_DDL = Path(__file__).parents[1] / "sql" / "clinic_seed_ddl.sql"

PUBLIC_CATALOG = """
SELECT 'column', c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || ' notnull=' || a.attnotnull || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint', conrelid::regclass || ' ' || pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT 'index', indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL
SELECT 'trigger', tgrelid::regclass || ' ' || tgname FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'public'::regnamespace
UNION ALL
SELECT 'grant', table_name || ' ' || grantee || ' ' || privilege_type
FROM information_schema.role_table_grants WHERE table_schema = 'public'
UNION ALL
SELECT 'relation', relname || ' ' || relkind::text || ' owner=' || relowner::regrole
       || ' rls=' || relrowsecurity::text FROM pg_class WHERE relnamespace = 'public'::regnamespace
ORDER BY 1, 2
"""


def _apply_seed_ddl(url) -> None:
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        conn.execute(SEED_DDL.read_text())


def _public_catalog(url) -> list[tuple[str, str]]:
    with psycopg.connect(libpq_conninfo(url)) as conn:
        return conn.execute(PUBLIC_CATALOG).fetchall()


def _url_text(url) -> str:
    return url.render_as_string(hide_password=False)


def test_db_check_accepts_a_database_built_from_the_seed_document(fresh_database_url, capsys):
    _apply_seed_ddl(fresh_database_url)

    exit_code = main(["db", "check", "--url", _url_text(fresh_database_url)])

    out = capsys.readouterr().out
    assert exit_code == 0, out
    assert "match the documented schema" in out
    assert "backoffice schema does not exist yet" in out


def test_db_check_names_a_dropped_column_and_fails(fresh_database_url, capsys):
    _apply_seed_ddl(fresh_database_url)
    with psycopg.connect(libpq_conninfo(fresh_database_url), autocommit=True) as conn:
        conn.execute("ALTER TABLE public.payments DROP COLUMN refund_amount")

    exit_code = main(["db", "check", "--url", _url_text(fresh_database_url)])

    assert exit_code == 1
    assert "The column payments.refund_amount is missing." in capsys.readouterr().out


def test_db_check_refuses_a_money_column_turned_into_floating_point(fresh_database_url, capsys):
    _apply_seed_ddl(fresh_database_url)
    with psycopg.connect(libpq_conninfo(fresh_database_url), autocommit=True) as conn:
        conn.execute("ALTER TABLE public.payments ALTER COLUMN amount TYPE double precision")

    assert main(["db", "check", "--url", _url_text(fresh_database_url)]) == 1
    assert "payments.amount is double precision" in capsys.readouterr().out


def test_db_check_proposes_missing_indexes_with_their_statements(fresh_database_url, capsys):
    _apply_seed_ddl(fresh_database_url)

    main(["db", "check", "--url", _url_text(fresh_database_url)])

    out = capsys.readouterr().out
    assert "CREATE INDEX CONCURRENTLY IF NOT EXISTS bo_payments_date_id" in out


def test_db_check_create_indexes_creates_them_and_they_are_no_longer_proposed(
    fresh_database_url, capsys
):
    _apply_seed_ddl(fresh_database_url)

    main(["db", "check", "--url", _url_text(fresh_database_url), "--create-indexes"])

    out = capsys.readouterr().out
    assert "bo_payments_date_id:" not in out
    with psycopg.connect(libpq_conninfo(fresh_database_url)) as conn:
        names = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes")}
    assert "bo_payments_date_id" in names


def test_db_check_on_a_database_without_any_clinic_table_says_so_in_one_sentence(
    fresh_database_url, capsys
):
    with psycopg.connect(libpq_conninfo(fresh_database_url), autocommit=True) as conn:
        conn.execute("CREATE TABLE public.something_else (id int)")

    assert main(["db", "check", "--url", _url_text(fresh_database_url)]) == 1

    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[1:] == ["This database has none of the clinic's tables: is it the right database?"]


def test_db_check_on_a_partly_there_database_keeps_the_detailed_list(fresh_database_url, capsys):
    _apply_seed_ddl(fresh_database_url)
    with psycopg.connect(libpq_conninfo(fresh_database_url), autocommit=True) as conn:
        conn.execute("DROP TABLE public.aisensy_campaign_api, public.notifications CASCADE")

    assert main(["db", "check", "--url", _url_text(fresh_database_url)]) == 1

    out = capsys.readouterr().out
    assert "none of the clinic's tables" not in out
    assert "  - The table aisensy_campaign_api is missing." in out
    assert "  - The table notifications is missing." in out


def test_db_upgrade_twice_leaves_the_public_catalog_identical(fresh_database_url, capsys):
    _apply_seed_ddl(fresh_database_url)
    before = _public_catalog(fresh_database_url)

    assert main(["db", "upgrade", "--url", _url_text(fresh_database_url)]) == 0
    assert main(["db", "upgrade", "--url", _url_text(fresh_database_url)]) == 0

    assert _public_catalog(fresh_database_url) == before
    out = capsys.readouterr().out
    assert "already up to date" in out.splitlines()[-1]
    assert main(["db", "check", "--url", _url_text(fresh_database_url)]) == 0
    assert "backoffice schema is up to date" in capsys.readouterr().out


def test_db_upgrade_refuses_a_database_without_the_clinic_tables(fresh_database_url, capsys):
    assert main(["db", "upgrade", "--url", _url_text(fresh_database_url)]) == 1

    err = capsys.readouterr().err
    assert "none of the clinic's tables" in err
    with psycopg.connect(libpq_conninfo(fresh_database_url)) as conn:
        schemas = {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace")}
    assert "backoffice" not in schemas


@pytest.mark.parametrize(
    ("url", "sentence"),
    [
        ("", "No database URL was given"),
        ("mysql://x@localhost/clinic", "must be a PostgreSQL URL"),
        (
            "postgresql://nobody@127.0.0.1:1/clinic",
            "Nothing is answering at the server at 127.0.0.1:1",
        ),
        ("postgresql://nobody@no-such-host.invalid/clinic", "could not be found"),
    ],
)
def test_db_commands_answer_bad_urls_with_one_sentence(url, sentence, capsys, monkeypatch):
    monkeypatch.delenv("BACKOFFICE_DATABASE_URL", raising=False)

    assert main(["db", "check", "--url", url]) == 1

    captured = capsys.readouterr()
    assert sentence in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert "Traceback" not in captured.err + captured.out


def test_a_wrong_password_is_one_sentence_without_the_password(fresh_database_url, capsys):
    with psycopg.connect(libpq_conninfo(fresh_database_url), autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS dbcheck_probe")
        conn.execute("CREATE ROLE dbcheck_probe LOGIN PASSWORD 'the-right-one'")
    try:
        url = fresh_database_url.set(username="dbcheck_probe", password="s3cret-wrong")
        assert main(["db", "check", "--url", _url_text(url)]) == 1
        err = capsys.readouterr().err
        assert "user name or password was not accepted" in err
        assert "s3cret-wrong" not in err
    finally:
        with psycopg.connect(libpq_conninfo(fresh_database_url), autocommit=True) as conn:
            conn.execute("DROP ROLE IF EXISTS dbcheck_probe")
