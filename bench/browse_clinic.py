"""The database the browse benchmark runs on: the demo clinic of a size, with the indexes `db check`
proposes for the tables it browses (payments and bookings).

Built once into `bench_browse_<size>` on the server given, then reused by later runs. The large
clinic (a million bookings and payments) takes about five minutes to generate and load on a
2-core machine, and the proposed indexes (pg_trgm's where the server has it) a few minutes more.
"""

from __future__ import annotations

import time

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL

from backoffice import migrations
from backoffice.models.clinic_functions import create_clinic_schema
from backoffice.owner.indexes import RECOMMENDED_INDEXES, create_indexes, missing_indexes

BROWSED = ("payments", "bookings")


def conninfo(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def build(superuser_url: URL, size: str, *, say=print) -> URL:
    """The URL of a database holding the demo clinic of `size` (built now unless it exists)."""
    name = f"bench_browse_{size}"
    url = superuser_url.set(database=name)
    with psycopg.connect(conninfo(superuser_url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and _complete(url):
            say(f"Reusing {name}.")
            ensure_indexes(url, say)
            return url
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    _load(url, size, say)
    ensure_indexes(url, say)
    return url


def _complete(url: URL) -> bool:
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'backoffice' AND tablename = 'bench_done'"
        ).fetchone()
        return bool(row and row[0])


def _load(url: URL, size: str, say) -> None:
    from backoffice.demo import demo_size, load_demo_clinic

    started = time.perf_counter()
    engine = sa.create_engine(url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as connection:
        create_clinic_schema(connection)
        migrations.upgrade(connection)
    engine.dispose()
    say(f"Loading the {size} demo clinic (the large one takes a few minutes)...")
    with psycopg.connect(conninfo(url)) as conn:
        load_demo_clinic(conn, demo_size(size), progress=lambda m: say(f"  {m}"))
        conn.execute("CREATE TABLE backoffice.bench_done ()")
    say(f"Loaded in {time.perf_counter() - started:.0f} s.")


def ensure_indexes(url: URL, say=print) -> None:
    """Create the proposed indexes of the browsed tables that are missing, and say which are there."""
    engine = sa.create_engine(
        url, poolclass=sa.NullPool, isolation_level="AUTOCOMMIT", hide_parameters=True
    )
    proposed = [i for i in RECOMMENDED_INDEXES if i.table in BROWSED]
    try:
        with engine.connect() as conn:
            missing = [i for i in missing_indexes(conn) if i.table in BROWSED]
            if missing:
                say(f"Creating {len(missing)} proposed indexes on {' and '.join(BROWSED)}...")
                for skipped in create_indexes(conn, missing):
                    say(f"  skipped {skipped}")
                conn.execute(sa.text("ANALYZE"))
            left = {i.name for i in missing_indexes(conn)}
            present = [i.name for i in proposed if i.name not in left]
            say(f"{len(present)} of the {len(proposed)} indexes db check proposes on them present.")
            trigram = [i.name for i in proposed if i.method == "gin_trgm"]
            say(f"  trigram: {', '.join(n for n in trigram if n not in left) or 'none'}")
    finally:
        engine.dispose()
