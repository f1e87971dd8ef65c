"""The harness really starts PostgreSQL and gives each test its own empty database."""

import psycopg

from tests.pg import libpq_conninfo


def test_fresh_database_is_empty_and_on_real_postgresql(fresh_database_url):
    with psycopg.connect(libpq_conninfo(fresh_database_url)) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()[0]
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    assert int(version) >= 150000
    assert tables == 0


def test_embedded_server_demands_a_password_from_other_roles(fresh_database_url):
    with psycopg.connect(libpq_conninfo(fresh_database_url), autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS harness_probe")
        conn.execute("CREATE ROLE harness_probe LOGIN PASSWORD 'right-password'")
    try:
        no_password = fresh_database_url.set(username="harness_probe", password=None)
        wrong = fresh_database_url.set(username="harness_probe", password="wrong")
        right = fresh_database_url.set(username="harness_probe", password="right-password")
        for refused in (no_password, wrong):
            try:
                psycopg.connect(libpq_conninfo(refused)).close()
            except psycopg.OperationalError:
                pass
            else:
                raise AssertionError("the server let a role in without its password")
        psycopg.connect(libpq_conninfo(right)).close()
    finally:
        with psycopg.connect(libpq_conninfo(fresh_database_url), autocommit=True) as conn:
            conn.execute("DROP ROLE IF EXISTS harness_probe")
