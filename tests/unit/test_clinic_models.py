"""The clinic models match seed 001 exactly: the seed's markdown is parsed and compared to the metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Column, DefaultClause, Numeric, Table, UniqueConstraint
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import configure_mappers

from backoffice.models import clinic
from backoffice.models.base import ClinicBase

SEED = Path(__file__).parents[2].parent / "shared" / "seeds" / "001_e45441c0ffe87f83.txt"

# Seed type -> PostgreSQL type as SQLAlchemy compiles it. "array" is somatic_cues, a text[].
SEED_TYPES = {
    "integer": "INTEGER",
    "text": "TEXT",
    "numeric": "NUMERIC",
    "timestamp": "TIMESTAMP WITHOUT TIME ZONE",
    "boolean": "BOOLEAN",
    "array": "TEXT[]",
}

CLASS_NAMES = {
    "users": "User",
    "therapists": "Therapist",
    "bookings": "Booking",
    "booking_cancelled": "BookingCancellation",
    "booking_requests": "BookingRequest",
    "client_session_notes": "SessionNote",
    "client_additional_notes": "AdditionalNote",
    "client_doc_form": "ClientDocForm",
    "client_transfer_history": "ClientTransfer",
    "payments": "Payment",
    "refund_cancellation_table": "RefundCancellation",
    "therapist_dashboard_stats": "TherapistDashboardStats",
    "therapist_clients_summary": "TherapistClientSummary",
    "therapist_appointments_cache": "TherapistAppointmentCache",
    "therapist_resources": "TherapistResource",
    "all_clients_table": "Client",
    "appointment_table": "Appointment",
    "audit_logs": "AuditLog",
    "notifications": "Notification",
}


@dataclass
class SeedColumn:
    name: str
    sql_type: str
    primary_key: bool = False
    auto_increment: bool = False
    not_null: bool = False
    unique: bool = False
    default: str | None = None
    references: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Seed:
    tables: dict[str, list[SeedColumn]]
    relationships: list[tuple[str, str, str, str]]
    total_tables: int
    total_foreign_keys: int


def _seed_type(raw: str) -> str:
    varchar = re.fullmatch(r"varchar\((\d+)\)", raw)
    return f"VARCHAR({varchar.group(1)})" if varchar else SEED_TYPES[raw]


def _parse_column(row: str) -> SeedColumn:
    name, raw_type, constraints = (cell.strip() for cell in row.strip().strip("|").split("|"))
    column = SeedColumn(name, _seed_type(raw_type))
    for part in filter(None, (p.strip() for p in constraints.split(","))):
        if part == "PRIMARY KEY":
            column.primary_key = True
        elif part == "AUTO INCREMENT":
            column.auto_increment = True
        elif part == "NOT NULL":
            column.not_null = True
        elif part == "UNIQUE":
            column.unique = True
        elif part.startswith("DEFAULT "):
            column.default = part.removeprefix("DEFAULT ")
        elif fk := re.fullmatch(r"FK → (\w+)\.(\w+)", part):
            column.references.append((fk.group(1), fk.group(2)))
        else:
            raise ValueError(f"unknown constraint {part!r} on {name}")
    return column


def _parse_tables(section: str) -> dict[str, list[SeedColumn]]:
    tables: dict[str, list[SeedColumn]] = {}
    current: list[SeedColumn] | None = None
    for line in section.splitlines():
        if header := re.fullmatch(r"### \d+\. (\w+)", line):
            current = tables.setdefault(header.group(1), [])
        elif current is not None and line.startswith("| ") and not line.startswith("| Column"):
            current.append(_parse_column(line))
    return tables


def _overview_count(text: str, label: str) -> int:
    found = re.search(rf"\*\*{label}\*\*: (\d+)", text)
    if found is None:
        raise ValueError(f"the seed does not state its {label}")
    return int(found.group(1))


def parse_seed(text: str) -> Seed:
    tables_part = text.split("\n## Tables\n")[1].split("\n## Relationships")[0]
    relationships = re.findall(r"^\d+\. `(\w+)\.(\w+)` → `(\w+)\.(\w+)`$", text, flags=re.M)
    return Seed(
        tables=_parse_tables(tables_part),
        relationships=relationships,
        total_tables=_overview_count(text, "Total Tables"),
        total_foreign_keys=_overview_count(text, "Total Foreign Keys"),
    )


SEED_SCHEMA = parse_seed(SEED.read_text(encoding="utf-8"))
SEED_TABLES = sorted(SEED_SCHEMA.tables)
METADATA = ClinicBase.metadata


def _table(name: str) -> Table:
    return METADATA.tables[f"public.{name}"]


def _normalized_sql(expression: str) -> str:
    expression = expression.strip()
    while expression.startswith("(") and expression.endswith(")"):
        expression = expression[1:-1].strip()
    return expression.lower()


def _model_foreign_keys() -> set[tuple[str, str, str, str]]:
    return {
        (table.name, fk.parent.name, fk.column.table.name, fk.column.name)
        for table in METADATA.tables.values()
        for fk in table.foreign_keys
    }


def _unique_columns(table: Table) -> set[str]:
    singles = {c.name for c in table.columns if c.unique}
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and len(constraint.columns) == 1:
            singles |= {c.name for c in constraint.columns}
    return singles


def test_seed_document_parses_into_twenty_tables_and_twenty_foreign_keys():
    assert SEED_SCHEMA.total_tables == len(SEED_SCHEMA.tables) == 20
    assert SEED_SCHEMA.total_foreign_keys == len(SEED_SCHEMA.relationships) == 20
    from_columns = {
        (table, col.name, ref_table, ref_col)
        for table, columns in SEED_SCHEMA.tables.items()
        for col in columns
        for ref_table, ref_col in col.references
    }
    assert from_columns == set(SEED_SCHEMA.relationships)


def test_metadata_holds_exactly_the_twenty_seed_tables_in_public():
    assert {t.schema for t in METADATA.tables.values()} == {"public"}
    assert sorted(t.name for t in METADATA.tables.values()) == SEED_TABLES


@pytest.mark.parametrize("table_name", SEED_TABLES)
def test_columns_are_the_seed_columns_in_the_seed_order(table_name):
    expected = [c.name for c in SEED_SCHEMA.tables[table_name]]
    assert [c.name for c in _table(table_name).columns] == expected


@pytest.mark.parametrize("table_name", SEED_TABLES)
def test_column_types_and_lengths_are_the_seed_types(table_name):
    dialect = postgresql.dialect()
    actual = {c.name: c.type.compile(dialect=dialect) for c in _table(table_name).columns}
    expected = {c.name: c.sql_type for c in SEED_SCHEMA.tables[table_name]}
    assert actual == expected


@pytest.mark.parametrize("table_name", SEED_TABLES)
def test_not_null_only_where_the_seed_says_not_null_or_primary_key(table_name):
    actual = {c.name: c.nullable for c in _table(table_name).columns}
    expected = {c.name: not (c.not_null or c.primary_key) for c in SEED_SCHEMA.tables[table_name]}
    assert actual == expected


@pytest.mark.parametrize("table_name", SEED_TABLES)
def test_server_defaults_are_the_seed_defaults(table_name):
    def default_of(column: Column) -> str | None:
        default = column.server_default
        if default is None:
            return None
        assert isinstance(default, DefaultClause)
        return _normalized_sql(str(default.arg))

    actual = {c.name: default_of(c) for c in _table(table_name).columns}
    expected = {
        c.name: None if c.default is None else _normalized_sql(c.default)
        for c in SEED_SCHEMA.tables[table_name]
    }
    assert actual == expected


@pytest.mark.parametrize("table_name", SEED_TABLES)
def test_primary_keys_and_auto_increment_are_the_seed_ones(table_name):
    table = _table(table_name)
    seed_columns = SEED_SCHEMA.tables[table_name]
    assert {c.name for c in table.primary_key.columns} == {
        c.name for c in seed_columns if c.primary_key
    }
    auto = [c.name for c in seed_columns if c.auto_increment]
    actual_auto = table.autoincrement_column
    assert ([] if actual_auto is None else [actual_auto.name]) == auto


@pytest.mark.parametrize("table_name", SEED_TABLES)
def test_unique_columns_are_the_seed_ones_plus_referenced_non_key_columns(table_name):
    referenced = {(ref_t, ref_c) for _, _, ref_t, ref_c in SEED_SCHEMA.relationships}
    seed_columns = SEED_SCHEMA.tables[table_name]
    expected = {c.name for c in seed_columns if c.unique} | {
        c.name for c in seed_columns if (table_name, c.name) in referenced and not c.primary_key
    }
    assert _unique_columns(_table(table_name)) == expected


def test_bookings_unique_booking_id_is_required_because_foreign_keys_point_to_it():
    assert "booking_id" in _unique_columns(_table("bookings"))
    assert not _table("bookings").primary_key.columns


def test_foreign_keys_are_exactly_the_twenty_documented_ones():
    assert sum(len(t.foreign_keys) for t in METADATA.tables.values()) == 20
    assert _model_foreign_keys() == set(SEED_SCHEMA.relationships)


def test_every_table_but_aisensy_has_its_documented_class():
    configure_mappers()
    mapped = {m.class_.__tablename__: m.class_.__name__ for m in ClinicBase.registry.mappers}
    assert mapped == CLASS_NAMES
    assert all(getattr(clinic, name) for name in CLASS_NAMES.values())
    assert clinic.aisensy_campaign_api is _table("aisensy_campaign_api")


def test_attribute_names_equal_column_names():
    for mapper in ClinicBase.registry.mappers:
        attributes = {key: prop.columns[0].name for key, prop in mapper.column_attrs.items()}
        assert all(key == name for key, name in attributes.items()), mapper.class_
        assert set(attributes) == {c.name for c in mapper.local_table.columns}
    assert clinic.Booking.recheduled_from.key == "recheduled_from"
    assert clinic.AuditLog.timestamp.key == "timestamp"


def test_bookings_are_identified_by_booking_id_without_a_table_primary_key():
    mapper = clinic.Booking.__mapper__
    assert [c.name for c in mapper.primary_key] == ["booking_id"]


def test_money_columns_load_as_decimal():
    numeric = [
        c
        for t in METADATA.tables.values()
        for c in t.columns
        if c.type.compile(dialect=postgresql.dialect()) == "NUMERIC"
    ]
    assert {f"{c.table.name}.{c.name}" for c in numeric} == {
        "bookings.invitee_payment_amount",
        "bookings.refund_amount",
        "payments.amount",
        "payments.refund_amount",
    }
    assert all(isinstance(c.type, Numeric) and c.type.asdecimal for c in numeric)
    assert all(c.type.python_type is Decimal for c in numeric)


def test_relationships_never_cascade_deletes_and_never_load_eagerly():
    configure_mappers()
    for mapper in ClinicBase.registry.mappers:
        for rel in mapper.relationships:
            assert not rel.cascade.delete and not rel.cascade.delete_orphan, rel
            assert rel.lazy in ("select", "raise"), rel


def test_session_note_to_booking_without_a_foreign_key_is_read_only():
    configure_mappers()
    assert not _table("client_session_notes").foreign_keys
    assert clinic.SessionNote.booking.property.viewonly


def test_collections_are_read_only_so_removing_a_child_never_nulls_its_foreign_key():
    configure_mappers()
    for mapper in ClinicBase.registry.mappers:
        for rel in mapper.relationships:
            if rel.direction.name == "ONETOMANY":
                assert rel.viewonly, rel
