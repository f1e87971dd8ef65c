"""Benchmark: load the demo clinic with COPY, against plain row-by-row INSERTs of a sample.

    uv run python bench/demo_load.py                 # large clinic, embedded server in a temp dir
    uv run python bench/demo_load.py --size small    # a quick run
    uv run python bench/demo_load.py --url postgresql://postgres@localhost/postgres

Both measurements include generating the rows. The INSERT sample runs in one transaction with one
`execute` per row (psycopg prepares the statement after a few runs): the usual naive loader.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import create_engine
from sqlalchemy.engine import URL

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backoffice import migrations
from backoffice.db import parse_url
from backoffice.demo import DEFAULT_SEED, TABLES, demo_size, load_demo_clinic
from backoffice.demo.clinic import build_clinic
from backoffice.demo.server import EmbeddedServer
from backoffice.models.clinic_functions import create_clinic_schema
from tests.pg import create_database, drop_database, libpq_conninfo, unique_name

TODAY = dt.date(2026, 1, 15)


def prepared_database(superuser: URL, prefix: str) -> URL:
    url = create_database(superuser, unique_name(prefix))
    engine = create_engine(url, hide_parameters=True)
    with engine.begin() as connection:
        create_clinic_schema(connection)
        migrations.upgrade(connection)
    engine.dispose()
    return url


def server_cpu_seconds(conn: psycopg.Connection) -> float | None:
    """CPU time used so far by this connection's server process (None when it is not local)."""
    pid = conn.info.backend_pid
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_used(
    client_before: float, server_before: float | None, server_after: float | None
) -> float | None:
    """CPU seconds of this process and of the server backend since the `before` readings, printed;
    the machine may be shared, so elapsed time alone can mislead."""
    client = time.process_time() - client_before
    if server_before is None or server_after is None:
        print(f"  CPU: this process {client:.1f} s (server backend not measurable)")
        return None
    server = server_after - server_before
    print(f"  CPU: this process {client:.1f} s, server backend {server:.1f} s")
    return client + server


Measured = tuple[int, float, float | None]  # rows, elapsed seconds, CPU seconds (both sides)


def copy_load(superuser: URL, size_name: str, seed: int) -> Measured:
    url = prepared_database(superuser, "bench_copy")
    try:
        with psycopg.connect(libpq_conninfo(url)) as conn:
            server_before = server_cpu_seconds(conn)
            client_before = time.process_time()
            started = time.perf_counter()
            summary = load_demo_clinic(
                conn,
                demo_size(size_name),
                seed=seed,
                today=TODAY,
                progress=lambda line: print(f"  {line}", flush=True),
            )
            seconds = time.perf_counter() - started
            cpu = cpu_used(client_before, server_before, server_cpu_seconds(conn))
        for table in ("public.bookings", "public.payments", "public.client_session_notes"):
            print(f"  {table}: {summary.counts[table]:,}")
        return summary.total_rows, seconds, cpu
    finally:
        drop_database(superuser, url.database or "")


def sample_rows(
    size_name: str, seed: int, sample: int
) -> Iterator[tuple[str, tuple[str, ...], tuple]]:
    """Therapists (the bookings' parents), then the first `sample` bookings and their payments."""
    clinic = build_clinic(demo_size(size_name), seed, TODAY)
    specs = {spec.table: spec for spec in TABLES}
    for table, limit in (
        ("public.therapists", None),
        ("public.bookings", sample),
        ("public.payments", sample),
    ):
        spec = specs[table]
        for count, row in enumerate(spec.rows(clinic)):
            if limit is not None and count >= limit:
                break
            yield table, spec.columns, row


def insert_load(superuser: URL, size_name: str, seed: int, sample: int) -> Measured:
    url = prepared_database(superuser, "bench_insert")
    statements: dict[str, sql.Composed] = {}
    try:
        with psycopg.connect(libpq_conninfo(url)) as conn, conn.cursor() as cur:
            rows = sample_rows(size_name, seed, sample)
            first = next(rows)  # the clinic is planned before the clock starts (COPY's clock
            server_before = server_cpu_seconds(conn)  # includes planning: this favours INSERT)
            client_before = time.process_time()
            started = time.perf_counter()
            count = 0
            for table, columns, row in itertools.chain([first], rows):
                statement = statements.get(table)
                if statement is None:
                    statement = statements[table] = sql.SQL(
                        "INSERT INTO {} ({}) VALUES ({})"
                    ).format(
                        sql.Identifier(*table.split(".")),
                        sql.SQL(", ").join(map(sql.Identifier, columns)),
                        sql.SQL(", ").join(sql.Placeholder() * len(columns)),
                    )
                cur.execute(statement, row)
                count += 1
            conn.commit()
            seconds = time.perf_counter() - started
            cpu = cpu_used(client_before, server_before, server_cpu_seconds(conn))
            return count, seconds, cpu
    finally:
        drop_database(superuser, url.database or "")


def run(superuser: URL, size_name: str, seed: int, sample: int) -> None:
    print(f"COPY loader, {size_name} clinic:", flush=True)
    copied, copy_seconds, copy_cpu = copy_load(superuser, size_name, seed)
    copy_rate = copied / copy_seconds
    print(f"COPY:   {copied:,} rows in {copy_seconds:.1f} s = {copy_rate:,.0f} rows/s", flush=True)
    print(f"Row-by-row INSERT of a sample ({sample:,} bookings and their payments):", flush=True)
    inserted, insert_seconds, insert_cpu = insert_load(superuser, size_name, seed, sample)
    insert_rate = inserted / insert_seconds
    print(f"INSERT: {inserted:,} rows in {insert_seconds:.1f} s = {insert_rate:,.0f} rows/s")
    print(f"ratio:  COPY loads {copy_rate / insert_rate:.1f}x the rows per second of INSERT")
    if copy_cpu and insert_cpu:
        ratio = (copied / copy_cpu) / (inserted / insert_cpu)
        print(f"        and {ratio:.1f}x the rows per CPU second (client and server together)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", choices=("tiny", "small", "large"))
    parser.add_argument("--url", help="a superuser URL; databases are created and dropped on it")
    parser.add_argument("--sample", type=int, default=20_000, help="bookings inserted row by row")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    if args.url:
        run(parse_url(args.url), args.size, args.seed, args.sample)
        return
    with tempfile.TemporaryDirectory(prefix="demo-bench-") as directory:
        server = EmbeddedServer(Path(directory))
        server.start()
        try:
            run(server.superuser_url(), args.size, args.seed, args.sample)
        finally:
            server.delete()


if __name__ == "__main__":
    main()
