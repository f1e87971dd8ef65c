"""Benchmark: paging stays flat from the large clinic (1M bookings) to the xlarge one (10M).

    BACKOFFICE_DATA_DIR=/tmp/large  backoffice demo --size large  --no-gui   # prints its URL
    BACKOFFICE_DATA_DIR=/tmp/xlarge backoffice demo --size xlarge --no-gui
    uv run python bench/browse_growth.py --small-url OWNER_URL_OF_LARGE --big-url OWNER_URL_OF_XLARGE

On each clinic it creates the recommended indexes where missing (as `backoffice db check
--create-indexes` does), then times, for payments and bookings as an admin pages them through the
service layer (one unit of work each, median of `--repeat`): the first page, the last page, a page
from the middle (seek), the first page of a search. Beside them, in the same run, the naive last
page (OFFSET count - 50). It prints milliseconds on each clinic and the ratio big/small: keyset
paging walks an index from one end, so its ratio stays near 1 while OFFSET's follows the rows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa

from backoffice.db import UnitOfWork, create_engine, parse_url
from backoffice.owner.indexes import create_indexes, missing_indexes
from backoffice.services.browse import (
    BOOKINGS,
    PAYMENTS,
    BrowseQuery,
    TableSource,
    fetch_last_page,
    fetch_page,
    seek,
)
from backoffice.services.browse import sql as browse_sql
from backoffice.services.permissions import Actor, Role

ADMIN = Actor("bench", Role.ADMIN, "Benchmark")
Action = Callable[[UnitOfWork], Any]


def ensure_indexes(engine: sa.Engine, say: Callable[[str], None]) -> None:
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        missing = missing_indexes(conn)
        if missing:
            say(f"  creating {len(missing)} recommended indexes (CONCURRENTLY)...")
            for skipped in create_indexes(conn, missing):
                say(f"  skipped {skipped}")
            conn.execute(sa.text("ANALYZE public.bookings, public.payments"))


def actions(source: TableSource, term: str) -> dict[str, Action]:
    plain = BrowseQuery()
    return {
        "first page": lambda uow: fetch_page(uow, ADMIN, source=source, query=plain),
        "last page": lambda uow: fetch_last_page(uow, ADMIN, source=source, query=plain),
        "middle (seek)": lambda uow: seek(uow, ADMIN, source=source, query=plain, fraction=0.5),
        "search": lambda uow: fetch_page(uow, ADMIN, source=source, query=plain.searching(term)),
        "OFFSET last page": lambda uow: offset_last_page(uow, source),
    }


def offset_last_page(uow: UnitOfWork, source: TableSource) -> Any:
    """What a first version does: count the rows, then OFFSET to the end."""
    select = browse_sql.ordered_select(browse_sql.plan(source, ADMIN, BrowseQuery()))
    total = uow.session.execute(sa.select(sa.func.count()).select_from(select.subquery()))
    return uow.session.execute(select.offset(max(0, total.scalar_one() - 50)).limit(50)).all()


def timed(engine: sa.Engine, action: Action, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        with UnitOfWork(engine) as uow:
            action(uow)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def rows(engine: sa.Engine, source: TableSource) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT count(*) FROM public.{source.name}")).scalar_one())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small-url", required=True, help="the owner of the large demo clinic")
    parser.add_argument("--big-url", required=True, help="the owner of the xlarge demo clinic")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--term", default="sharma", help="the search (a common surname)")
    args = parser.parse_args()
    engines = {
        name: create_engine(parse_url(url), statement_timeout_ms=0)
        for name, url in (("small", args.small_url), ("big", args.big_url))
    }
    try:
        for name, engine in engines.items():
            print(f"{name}: {engine.url.render_as_string(hide_password=True)}")
            ensure_indexes(engine, print)
        for source in (PAYMENTS, BOOKINGS):
            report(engines, source, args)
    finally:
        for engine in engines.values():
            engine.dispose()


def report(engines: dict[str, sa.Engine], source: TableSource, args: argparse.Namespace) -> None:
    counts = {name: rows(engine, source) for name, engine in engines.items()}
    print(f"\n{source.title}: {counts['small']:,} rows and {counts['big']:,} "
          f"({counts['big'] / counts['small']:.1f}×), search {args.term!r}")  # fmt: skip
    print(f"  {'':<18}{'large ms':>10}{'xlarge ms':>11}{'xlarge/large':>14}")
    for label, action in actions(source, args.term).items():
        repeat = 1 if label.startswith("OFFSET") else args.repeat
        for engine in engines.values():
            timed(engine, action, 1)  # warm the cache: both clinics measured hot
        small, big = (timed(engine, action, repeat) for engine in engines.values())
        print(f"  {label:<18}{small * 1000:>10,.1f}{big * 1000:>11,.1f}{big / small:>13.2f}×")


if __name__ == "__main__":
    main()
