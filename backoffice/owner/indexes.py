"""Indexes that keep the back-office fast on a big clinic: proposed by `db check`, created only on request.

They live on the clinic's tables, which are not ours, so they are never created by `db upgrade`:
the database owner creates them with `backoffice db check --create-indexes`, `CONCURRENTLY`. Which
ones is `index_catalogue`: every column a lazy table sorts or searches by, the joins, and the
partial indexes of the finance dashboard.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from backoffice.owner.index_catalogue import RECOMMENDED_INDEXES, RecommendedIndex

_EXISTING_INDEXES = text(
    """
    SELECT t.relname AS table_name, ic.relname AS index_name, am.amname AS method,
           array_agg(a.attname::text ORDER BY k.ord) AS columns,
           bool_or(oc.opcname = 'gin_trgm_ops') AS trigram, i.indpred IS NOT NULL AS partial
    FROM pg_index i
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    CROSS JOIN LATERAL unnest(i.indkey, i.indclass) WITH ORDINALITY AS k(attnum, opclass, ord)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    JOIN pg_opclass oc ON oc.oid = k.opclass
    WHERE i.indisvalid
      AND k.ord <= i.indnkeyatts
    GROUP BY i.indexrelid, t.relname, ic.relname, am.amname, i.indpred IS NOT NULL
    """
)


def _signature(index: RecommendedIndex) -> tuple[str, str, tuple[str, ...], bool]:
    trigram = index.method == "gin_trgm"
    return (index.table, "gin" if trigram else "btree", index.columns, trigram)


def missing_indexes(conn: Connection) -> list[RecommendedIndex]:
    """The recommended indexes with no equivalent index on the table: for a plain index, any index
    whose leading columns are the recommended ones; for a partial or covering one, its own name."""
    rows = conn.execute(_EXISTING_INDEXES).all()
    names = {row.index_name for row in rows}
    present = {
        (row.table_name, row.method, tuple(row.columns), bool(row.trigram))
        for row in rows
        if not row.partial
    }

    def covered(index: RecommendedIndex) -> bool:
        if index.where is not None or index.include:
            return index.name in names
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
