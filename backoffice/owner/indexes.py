"""Indexes that keep the back-office fast on a big clinic: proposed by `db check`, created only on request.

They live on the clinic's tables, which are not ours, so they are never created by `db upgrade`:
the database owner creates them with `backoffice db check --create-indexes`, `CONCURRENTLY`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection


@dataclass(frozen=True)
class RecommendedIndex:
    name: str
    table: str
    columns: tuple[str, ...]
    why: str
    method: str = "btree"
    extension: str | None = None  # an extension the index needs, e.g. pg_trgm

    @property
    def statement(self) -> str:
        if self.method == "gin_trgm":
            cols = ", ".join(f"{c} gin_trgm_ops" for c in self.columns)
            using = "USING gin "
        else:
            cols, using = ", ".join(self.columns), ""
        return (
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {self.name} "
            f"ON public.{self.table} {using}({cols})"
        )


RECOMMENDED_INDEXES: tuple[RecommendedIndex, ...] = (
    RecommendedIndex(
        "bo_bookings_start_id",
        "bookings",
        ("booking_start_at", "booking_id"),
        "pages through bookings by date without OFFSET",
    ),
    RecommendedIndex(
        "bo_bookings_therapist_start",
        "bookings",
        ("therapist_id", "booking_start_at"),
        "a therapist's caseload and row-level security",
    ),
    RecommendedIndex(
        "bo_payments_date_id",
        "payments",
        ("payment_date", "payment_id"),
        "pages through payments by date without OFFSET",
    ),
    RecommendedIndex(
        "bo_payments_booking", "payments", ("booking_id",), "joins a payment to its booking"
    ),
    RecommendedIndex(
        "bo_notes_booking",
        "client_session_notes",
        ("booking_id",),
        "joins a session note to its booking (there is no foreign key)",
    ),
    RecommendedIndex(
        "bo_appointments_therapist_time",
        "appointment_table",
        ("therapist_id", "session_timings"),
        "a therapist's appointments",
    ),
    RecommendedIndex(
        "bo_bookings_invitee_start",
        "bookings",
        ("invitee_id", "booking_start_at"),
        "a client's chart, shared history and transfers",
    ),
    RecommendedIndex(
        "bo_appointments_client",
        "appointment_table",
        ("client_id",),
        "a client's chart, shared history and transfers",
    ),
    RecommendedIndex(
        "bo_additional_notes_booking",
        "client_additional_notes",
        ("booking_id",),
        "the additional notes of a client's sessions",
    ),
    RecommendedIndex(
        "bo_clients_therapist",
        "all_clients_table",
        ("therapist_id",),
        "a therapist's clients and caseload transfers",
    ),
    RecommendedIndex(
        "bo_bookings_invitee_trgm",
        "bookings",
        ("invitee_name",),
        "search-as-you-type on client names",
        "gin_trgm",
        "pg_trgm",
    ),
    RecommendedIndex(
        "bo_clients_name_trgm",
        "all_clients_table",
        ("client_name",),
        "search-as-you-type on client names",
        "gin_trgm",
        "pg_trgm",
    ),
)

_EXISTING_INDEXES = text(
    """
    SELECT t.relname AS table_name, am.amname AS method,
           array_agg(a.attname::text ORDER BY k.ord) AS columns,
           bool_or(oc.opcname = 'gin_trgm_ops') AS trigram
    FROM pg_index i
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    CROSS JOIN LATERAL unnest(i.indkey, i.indclass) WITH ORDINALITY AS k(attnum, opclass, ord)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    JOIN pg_opclass oc ON oc.oid = k.opclass
    WHERE i.indisvalid
    GROUP BY i.indexrelid, t.relname, am.amname
    """
)


def _signature(index: RecommendedIndex) -> tuple[str, str, tuple[str, ...], bool]:
    trigram = index.method == "gin_trgm"
    return (index.table, "gin" if trigram else "btree", index.columns, trigram)


def missing_indexes(conn: Connection) -> list[RecommendedIndex]:
    """The recommended indexes with no equivalent index (whatever its name) on the table."""
    present = {
        (row.table_name, row.method, tuple(row.columns), bool(row.trigram))
        for row in conn.execute(_EXISTING_INDEXES)
    }

    # An index whose leading columns are the recommended ones serves just as well.
    def covered(index: RecommendedIndex) -> bool:
        table, method, cols, trigram = _signature(index)
        return any(
            t == table and m == method and c[: len(cols)] == cols and g == trigram
            for t, m, c, g in present
        )

    return [index for index in RECOMMENDED_INDEXES if not covered(index)]


def available_extensions(conn: Connection) -> set[str]:
    return set(conn.scalars(text("SELECT name FROM pg_available_extensions")))


def installed_extensions(conn: Connection) -> set[str]:
    return set(conn.scalars(text("SELECT extname FROM pg_extension")))


def create_indexes(conn: Connection, indexes: list[RecommendedIndex]) -> list[str]:
    """Create the given indexes CONCURRENTLY (conn must be in autocommit); return what was skipped."""
    skipped: list[str] = []
    available = available_extensions(conn)
    for index in indexes:
        if index.extension and index.extension not in available:
            skipped.append(f"{index.name} (the extension {index.extension} is not available)")
            continue
        if index.extension:
            conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS {index.extension}"))
        conn.execute(text(index.statement))
    return skipped
