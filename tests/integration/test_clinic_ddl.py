"""The models build the same catalog as an independent DDL written by hand from seed 001."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from backoffice.models.clinic_functions import create_clinic_schema
from tests.pg import libpq_conninfo

SEED_DDL = Path(__file__).parents[1] / "sql" / "clinic_seed_ddl.sql"

COLUMNS_SQL = """
SELECT table_name, column_name, ordinal_position, data_type, udt_name,
       character_maximum_length, is_nullable, column_default
FROM information_schema.columns
WHERE table_schema = 'public'
ORDER BY table_name, ordinal_position
"""

# One row per constraint: kind, table, its columns, and for foreign keys the referenced table/columns.
CONSTRAINTS_SQL = """
SELECT c.contype::text, t.relname,
       ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i),
       r.relname,
       ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i)
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
LEFT JOIN pg_class r ON r.oid = c.confrelid
WHERE c.connamespace = 'public'::regnamespace
ORDER BY 1, 2, 3, 4, 5
"""


@dataclass(frozen=True)
class Catalog:
    columns: list[tuple]
    constraints: list[tuple]
    functions: list[str]

    def column_facts(self, *fields: str) -> dict[tuple[str, str], tuple]:
        names = ("position", "data_type", "udt_name", "length", "is_nullable", "default")
        picked = [names.index(f) for f in fields]
        return {(row[0], row[1]): tuple(row[2:][i] for i in picked) for row in self.columns}

    def of_kind(self, kind: str) -> list[tuple]:
        return [row[1:] for row in self.constraints if row[0] == kind]


def read_catalog(url: URL) -> Catalog:
    with psycopg.connect(libpq_conninfo(url)) as conn:
        columns = conn.execute(COLUMNS_SQL).fetchall()
        constraints = conn.execute(CONSTRAINTS_SQL).fetchall()
        functions = conn.execute(
            "SELECT p.proname || '() -> ' || format_type(p.prorettype, NULL) FROM pg_proc p"
            " WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1"
        ).fetchall()
    return Catalog(columns, constraints, [f[0] for f in functions])


def reset_public_schema(url: URL) -> None:
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def apply_seed_ddl(url: URL) -> None:
    with psycopg.connect(libpq_conninfo(url)) as conn:
        conn.execute(SEED_DDL.read_text(encoding="utf-8"))


def apply_models(url: URL) -> None:
    engine = create_engine(url, poolclass=NullPool, hide_parameters=True)
    try:
        with engine.begin() as connection:
            create_clinic_schema(connection)
    finally:
        engine.dispose()


@pytest.fixture
def catalogs(fresh_database_url: URL) -> tuple[Catalog, Catalog]:
    """(from the hand-written DDL, from the models), built one after the other in one database."""
    apply_seed_ddl(fresh_database_url)
    from_ddl = read_catalog(fresh_database_url)
    reset_public_schema(fresh_database_url)
    apply_models(fresh_database_url)
    return from_ddl, read_catalog(fresh_database_url)


def test_both_schemas_have_the_same_twenty_tables_and_columns_in_order(catalogs):
    from_ddl, from_models = catalogs
    assert len({table for table, _ in from_ddl.column_facts()}) == 20
    assert from_models.column_facts("position") == from_ddl.column_facts("position")


def test_column_types_and_lengths_agree(catalogs):
    from_ddl, from_models = catalogs
    facts = ("data_type", "udt_name", "length")
    assert from_models.column_facts(*facts) == from_ddl.column_facts(*facts)


def test_nullability_agrees(catalogs):
    from_ddl, from_models = catalogs
    assert from_models.column_facts("is_nullable") == from_ddl.column_facts("is_nullable")


def test_defaults_are_present_on_the_same_columns_and_read_the_same(catalogs):
    from_ddl, from_models = catalogs
    ddl_defaults = from_ddl.column_facts("default")
    assert {k for k, (d,) in from_models.column_facts("default").items() if d} == {
        k for k, (d,) in ddl_defaults.items() if d
    }
    assert from_models.column_facts("default") == ddl_defaults


def test_foreign_key_pairs_agree_and_number_twenty(catalogs):
    from_ddl, from_models = catalogs
    assert len(from_ddl.of_kind("f")) == 20
    assert sorted(from_models.of_kind("f")) == sorted(from_ddl.of_kind("f"))


def test_primary_keys_and_unique_constraints_agree(catalogs):
    from_ddl, from_models = catalogs
    assert sorted(from_models.of_kind("p")) == sorted(from_ddl.of_kind("p"))
    assert sorted(from_models.of_kind("u")) == sorted(from_ddl.of_kind("u"))
    assert not [row for row in from_models.of_kind("p") if row[0] == "bookings"]


def test_both_define_get_ist_timestamp_returning_varchar(catalogs):
    from_ddl, from_models = catalogs
    assert (
        from_models.functions == from_ddl.functions == ["get_ist_timestamp() -> character varying"]
    )
