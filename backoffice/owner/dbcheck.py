"""`db check`: is this database the documented clinic schema, and what state is our own schema in?

The documented schema is the clinic models (seed 001). A database created by somebody else from the
same document passes: only what the back-office relies on is compared (tables, columns, compatible
types), not how they were written (serial or identity, text or varchar, names of constraints).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import text
from sqlalchemy.engine import Connection

from backoffice import migrations
from backoffice.errors import ValidationError
from backoffice.models import clinic as _clinic_models  # noqa: F401  (registers the 20 tables)
from backoffice.models.base import CLINIC_SCHEMA, ClinicBase
from backoffice.owner.indexes import RecommendedIndex, available_extensions, missing_indexes

_FAMILIES: dict[str, set[str]] = {
    "string": {"character varying", "text", "character"},
    "integer": {"integer", "bigint", "smallint"},
    "numeric": {"numeric"},
    "timestamp": {"timestamp without time zone", "timestamp with time zone"},
    "boolean": {"boolean"},
    "array": {"ARRAY"},
}
NO_CLINIC_TABLES = "This database has none of the clinic's tables: is it the right database?"


@dataclass(frozen=True)
class CheckReport:
    problems: list[str] = field(default_factory=list)  # the back-office cannot work with these
    notes: list[str] = field(default_factory=list)  # worth knowing, not blocking
    backoffice_schema: str = "absent"
    missing_indexes: list[RecommendedIndex] = field(default_factory=list)
    unavailable_extensions: set[str] = field(default_factory=set)
    clinic_tables_found: int = 0

    @property
    def usable(self) -> bool:
        return not self.problems

    @property
    def has_no_clinic_tables(self) -> bool:
        """Not the clinic database at all (rather than one with some tables missing)."""
        return self.clinic_tables_found == 0


def check_database(conn: Connection) -> CheckReport:
    actual = _actual_columns(conn)
    tables = ClinicBase.metadata.sorted_tables
    report = CheckReport(
        backoffice_schema=migrations.schema_state(conn),
        clinic_tables_found=sum(table.name in actual for table in tables),
    )
    for table in tables:
        _check_table(table, actual.get(table.name), report)
    if report.has_no_clinic_tables:
        return report
    report.missing_indexes.extend(missing_indexes(conn))
    needed = {index.extension for index in report.missing_indexes if index.extension}
    report.unavailable_extensions.update(needed - available_extensions(conn))
    return report


def require_clinic_tables(conn: Connection) -> None:
    """Refuse, in one sentence, a database that is not (or not entirely) the clinic database."""
    report = check_database(conn)
    if report.usable:
        return
    if report.has_no_clinic_tables:
        raise ValidationError(NO_CLINIC_TABLES)
    raise ValidationError(
        f"This database does not match the clinic schema ({report.problems[0]} "
        f"and {len(report.problems) - 1} more); `backoffice db check` lists everything."
        if len(report.problems) > 1
        else f"This database does not match the clinic schema: {report.problems[0]}"
    )


def _actual_columns(conn: Connection) -> dict[str, dict[str, sa.Row]]:
    rows = conn.execute(
        text(
            "SELECT table_name, column_name, data_type, character_maximum_length "
            "FROM information_schema.columns WHERE table_schema = :schema"
        ),
        {"schema": CLINIC_SCHEMA},
    )
    tables: dict[str, dict[str, sa.Row]] = {}
    for row in rows:
        tables.setdefault(row.table_name, {})[row.column_name] = row
    return tables


def _check_table(table: sa.Table, columns: dict[str, sa.Row] | None, report: CheckReport) -> None:
    if columns is None:
        report.problems.append(f"The table {table.name} is missing.")
        return
    for column in table.columns:
        found = columns.get(column.name)
        if found is None:
            report.problems.append(f"The column {table.name}.{column.name} is missing.")
            continue
        _check_type(table.name, column, found, report)


def _check_type(table: str, column: sa.Column, found: sa.Row, report: CheckReport) -> None:
    family = _family(column.type)
    where = f"{table}.{column.name}"
    if found.data_type not in _FAMILIES[family]:
        report.problems.append(
            f"The column {where} is {found.data_type}, which the back-office cannot use "
            f"as {family} ({_documented(column.type)} is documented)."
        )
        return
    expected_length = getattr(column.type, "length", None)
    actual_length = found.character_maximum_length
    if expected_length and actual_length and actual_length < expected_length:
        report.notes.append(
            f"The column {where} holds at most {actual_length} characters where "
            f"{expected_length} are documented; longer values will be refused."
        )


def _family(type_: sa.types.TypeEngine) -> str:
    if isinstance(type_, sa.ARRAY):
        return "array"
    for family, cls in (
        ("boolean", sa.Boolean),
        ("integer", sa.Integer),
        ("numeric", sa.Numeric),
        ("timestamp", sa.DateTime),
        ("string", sa.String),
    ):
        if isinstance(type_, cls):
            return family
    raise TypeError(f"no type family for {type_!r}")


def _documented(type_: sa.types.TypeEngine) -> str:
    from sqlalchemy.dialects import postgresql

    return type_.compile(dialect=postgresql.dialect())


def format_report(report: CheckReport, where: str) -> str:
    """The report in plain words, as `db check` prints it."""
    lines = [f"Checked {where}."]
    if report.has_no_clinic_tables:  # one sentence, not twenty missing tables
        return "\n".join([*lines, NO_CLINIC_TABLES])
    if report.problems:
        lines.append("The back-office cannot use this database yet:")
        lines += [f"  - {p}" for p in report.problems]
    else:
        lines.append("The clinic tables match the documented schema (20 tables).")
    lines += [f"  note: {n}" for n in report.notes]
    lines.append(_schema_sentence(report.backoffice_schema))
    if report.missing_indexes:
        lines.append("Recommended indexes that are missing (create them with --create-indexes):")
        for index in report.missing_indexes:
            lines.append(f"  - {index.name}: {index.why}")
            lines.append(f"      {index.statement};")
    for ext in sorted(report.unavailable_extensions):
        lines.append(
            f"  note: the extension {ext} is not available on this server; "
            "search will work without its index, only slower."
        )
    return "\n".join(lines)


def _schema_sentence(state: str) -> str:
    return {
        "absent": "The backoffice schema does not exist yet: run `backoffice db upgrade`.",
        "behind": "The backoffice schema is behind this version: run `backoffice db upgrade`.",
        "current": "The backoffice schema is up to date.",
    }.get(state, "The backoffice schema was written by a newer version of the back-office.")
