"""Which indexes `db check` proposes on the clinic's tables, and why.

- For every lazy table (`services.browse.SOURCES`) on a clinic table: a btree on (column, key) for
  each column it sorts by, which keyset paging walks in both directions; a pg_trgm GIN index for
  each column searched by substring; a btree for a column searched by equality that no sort index
  starts with. Derived from the sources, so a column added to a page is proposed with it.
- The joins and the caseload filters the services and row security use.
- The finance dashboard's indexes: the month's payments with what it adds up (covering, so no
  table row is read), and partial covering indexes for its failed and mismatch tiles, which start
  from the payments and bookings whose refund fields say anything (`backoffice.refund_mismatches`,
  `backoffice.failed_refunds`). Their predicates are the views' own, word for word, so that the
  planner can use them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from backoffice.services.browse import SOURCES, TableSource


@dataclass(frozen=True)
class RecommendedIndex:
    name: str
    table: str
    columns: tuple[str, ...]
    why: str
    method: str = "btree"
    extension: str | None = None  # an extension the index needs, e.g. pg_trgm
    where: str | None = None  # a partial index's predicate
    include: tuple[str, ...] = ()  # carried in the index, so that a scan needs no table row

    @property
    def statement(self) -> str:
        if self.method == "gin_trgm":
            cols = ", ".join(f"{c} gin_trgm_ops" for c in self.columns)
            using = "USING gin "
        else:
            cols, using = ", ".join(self.columns), ""
        include = f" INCLUDE ({', '.join(self.include)})" if self.include else ""
        where = f" WHERE {self.where}" if self.where else ""
        return (
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {self.name} "
            f"ON public.{self.table} {using}({cols}){include}{where}"
        )


def _trigram(name: str, table: str, column: str, why: str) -> RecommendedIndex:
    return RecommendedIndex(name, table, (column,), why, "gin_trgm", "pg_trgm")


def _says_something(failed: str) -> str:
    return (
        f"(refund_amount IS NOT NULL OR refund_status IS NOT NULL OR refund_id IS NOT NULL "
        f"OR {failed} IS NOT NULL)"
    )


_JOINS_AND_CASELOADS = (
    RecommendedIndex(
        "bo_bookings_therapist_start",
        "bookings",
        ("therapist_id", "booking_start_at"),
        "a therapist's caseload and row-level security",
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
)

_FINANCE_DASHBOARD = (
    RecommendedIndex(
        "bo_payments_month",
        "payments",
        ("payment_date",),
        "the finance dashboard's month: its payments and what it adds up, without their rows",
        include=("payment_id", "currency", "amount", "refund_amount", "refund_status"),
    ),
    RecommendedIndex(
        "bo_payments_refund_fields",
        "payments",
        ("booking_id",),
        "the finance dashboard's mismatch tile: payments whose refund fields say anything",
        where=_says_something("refund_failed_date"),
        include=("payment_id", "refund_amount", "refund_status", "refund_id", "refund_failed_date"),
    ),
    RecommendedIndex(
        "bo_bookings_refund_fields",
        "bookings",
        ("booking_id",),
        "the finance dashboard's mismatch tile: bookings whose refund fields say anything",
        where=_says_something("refund_failed_time"),
        include=("refund_amount", "refund_status", "refund_id", "refund_failed_time"),
    ),
    RecommendedIndex(
        "bo_payments_refund_failed",
        "payments",
        ("payment_id",),
        "the finance dashboard's failed refunds",
        where="lower(btrim(refund_status)) = 'failed'",
        include=("currency", "refund_amount", "amount"),
    ),
)

# Short names for the columns whose generated index name would be long or already chosen.
_NAMES = {
    ("bookings", "booking_start_at"): "bo_bookings_start_id",
    ("payments", "payment_date"): "bo_payments_date_id",
}


def _clinic_sources() -> Iterator[TableSource]:
    return (s for s in SOURCES.values() if (s.table.schema or "public") == "public")


def _browse_indexes(source: TableSource) -> Iterator[RecommendedIndex]:
    """The indexes one lazy table needs to sort and search in SQL without reading every row."""
    table, key = source.table.name, source.key
    sorted_by = set()
    for column in source.columns:
        if column.expression is not None or column.name == key:
            continue
        label = f"the {source.title.lower()} list"
        if column.sortable:
            sorted_by.add(column.name)
            name = _NAMES.get((table, column.name), f"bo_{table}_{column.name}_key")
            yield RecommendedIndex(
                name, table, (column.name, key), f"{label} sorted by {column.label.lower()}"
            )
        if column.search == "substring":
            why = f"{label} searched by {column.label.lower()} (any part of it)"
            yield _trigram(f"bo_{table}_{column.name}_trgm", table, column.name, why)
        elif column.search == "exact" and column.name not in sorted_by:
            why = f"{label} searched by {column.label.lower()}"
            yield RecommendedIndex(f"bo_{table}_{column.name}", table, (column.name,), why)


def _catalogue() -> tuple[RecommendedIndex, ...]:
    found: dict[tuple[object, ...], RecommendedIndex] = {}
    generated = (i for source in _clinic_sources() for i in _browse_indexes(source))
    for index in (*_JOINS_AND_CASELOADS, *generated, *_FINANCE_DASHBOARD):
        key = (index.table, index.columns, index.method, index.where, index.include)
        found.setdefault(key, index)
    return tuple(found.values())


RECOMMENDED_INDEXES: tuple[RecommendedIndex, ...] = _catalogue()
