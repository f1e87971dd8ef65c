"""Loading row streams with COPY, then moving the serial sequences past the ids written."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import psycopg
from psycopg import sql


def qualified(table: str) -> sql.Identifier:
    """'public.bookings' -> "public"."bookings"."""
    return sql.Identifier(*table.split("."))


def copy_rows(
    cur: psycopg.Cursor, table: str, columns: Sequence[str], rows: Iterable[tuple]
) -> int:
    """COPY `rows` into `table` (one binary COPY, streamed: rows are never held together).

    Binary, with the column types read from the catalog: the server parses less than with text.
    """
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        qualified(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    types = column_types(cur, table)
    count = 0
    with cur.copy(statement) as copy:
        copy.set_types([types[column] for column in columns])
        write = copy.write_row
        for row in rows:
            write(row)
            count += 1
    return count


def column_types(cur: psycopg.Cursor, table: str) -> dict[str, int]:
    """Column name -> type oid."""
    cur.execute(
        "SELECT attname, atttypid::int FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        (table,),
    )
    return {name: oid for name, oid in cur.fetchall()}


def first_nonempty(cur: psycopg.Cursor, tables: Sequence[str]) -> str | None:
    """The first of `tables` that holds a row, or None when all are empty."""
    for table in tables:
        cur.execute(sql.SQL("SELECT EXISTS (SELECT FROM {})").format(qualified(table)))
        row = cur.fetchone()
        if row is not None and row[0]:
            return table
    return None


def move_sequence_past_ids(cur: psycopg.Cursor, table: str, column: str) -> None:
    """Make the column's sequence hand out max(id) + 1 next (1 on an empty table)."""
    cur.execute(
        sql.SQL(
            "SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max({}), 0) + 1, false) FROM {}"
        ).format(sql.Identifier(column), qualified(table)),
        (table, column),
    )


def analyze(cur: psycopg.Cursor, tables: Sequence[str]) -> None:
    cur.execute(sql.SQL("ANALYZE {}").format(sql.SQL(", ").join(map(qualified, tables))))
