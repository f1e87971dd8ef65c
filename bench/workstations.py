"""Benchmark: N simulated workstations against PostgreSQL directly and through PgBouncer.

    uv run python bench/workstations.py                          # N = 50, 200, 400; 30 s each
    uv run python bench/workstations.py --counts 20 --seconds 10 # a quick look

It starts its own Debian PostgreSQL 15 on a loopback port with the default max_connections (100),
loads the small demo clinic and gives every workstation its own staff login, as in a clinic (one
PostgreSQL role per person, row security keyed on `session_user`): a quarter admins, the rest
therapists. Then, for each N, directly and then through PgBouncer (transaction pooling, one
server connection per login's pool, at most `--max-db-connections` in all), N workstations run
for `--seconds` each: a window's engine (`create_workstation_engine`), a login, then in a loop
with a person's pause between clicks (`--think` seconds on average) one of: the first page of
the bookings, the next page, the last page, a search, opening a session note (committed on
record first). Workstations are threads spread over `--processes` processes.

It prints per action p50/p95 latency (ms) and the ratio direct/pooled, errors (each failed
login or action, with the sentence the window would show), the most server connections seen
in pg_stat_activity, and actions done. Everything runs on 127.0.0.1 and is removed at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL

ACTIONS = ("first page", "next page", "last page", "search", "open note")
WEIGHTS = (30, 20, 15, 20, 15)
SEARCHES = ("an", "ra", "sh", "ya", "ka", "mi", "el", "jo")
PASSWORD = "bench-workstation-pass"
Result = dict[str, Any]


# --- one workstation (a thread in a worker process) ---------------------------------------
class Workstation:
    def __init__(self, url: URL, deadline: float, think: float, rng: random.Random) -> None:
        self.url, self.deadline, self.think, self.rng = url, deadline, think, rng
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.after = None
        self.notes: list[int] = []

    def run(self) -> None:
        from backoffice.db_pool import create_workstation_engine

        engine = create_workstation_engine(self.url)
        try:
            actor = self._log_in(engine)
            while actor is not None and time.monotonic() < self.deadline:
                self._timed(self.rng.choices(ACTIONS, WEIGHTS)[0], engine, actor)
                self._pause()
        finally:
            engine.dispose()

    def _log_in(self, engine: sa.Engine) -> Any:
        from backoffice.services.login import identify

        while time.monotonic() < self.deadline:
            actor = self._timed("log in", lambda: identify(engine, self.url))
            if actor is not None:
                self._timed("open note", engine, actor, prepare=True)
                return actor
            self._pause()  # the person tries again
        return None

    def _timed(self, action: str, *args: Any, prepare: bool = False) -> Any:
        from backoffice.errors import BackofficeError

        started = time.perf_counter()
        try:
            result = args[0]() if action == "log in" else self._do(action, *args, prepare)
        except BackofficeError as error:
            self.errors[f"{action}: {error}"] += 1
            return None
        if not prepare:
            self.latency[action].append(time.perf_counter() - started)
        return result

    def _do(self, action: str, engine: sa.Engine, actor: Any, prepare: bool) -> Any:
        from backoffice.db import UnitOfWork
        from backoffice.services.browse import (
            BOOKINGS,
            SESSION_NOTES,
            BrowseQuery,
            fetch_last_page,
            fetch_page,
        )
        from backoffice.services.notes import open_note

        with UnitOfWork(engine) as uow:
            if prepare:  # the note review list, once: which notes this login may open
                page = fetch_page(uow, actor, source=SESSION_NOTES, query=BrowseQuery())
                at = page.columns.index("note_id")
                self.notes = [row[at] for row in page.rows]
                return page
            if action == "open note" and self.notes:
                return open_note(uow, actor, note_id=self.rng.choice(self.notes))
            if action == "last page":
                return fetch_last_page(uow, actor, source=BOOKINGS, query=BrowseQuery())
            query = BrowseQuery(search=self.rng.choice(SEARCHES) if action == "search" else "")
            after = self.after if action == "next page" else None
            page = fetch_page(uow, actor, source=BOOKINGS, query=query, after=after)
            self.after = page.last if action != "search" else self.after
            return page

    def _pause(self) -> None:
        pause = self.think * self.rng.uniform(0.5, 1.5)
        time.sleep(max(0.0, min(pause, self.deadline - time.monotonic())))


def worker(urls: list[str], seconds: float, think: float, seed: int, out: Any) -> None:
    """A process: its workstations as threads; their latencies and errors go to `out`."""
    deadline = time.monotonic() + seconds
    rng = random.Random(seed)
    stations = [
        Workstation(sa.make_url(url), deadline, think, random.Random(rng.random())) for url in urls
    ]
    threads = [threading.Thread(target=station.run) for station in stations]
    for index, thread in enumerate(threads):
        thread.start()
        if index % 10 == 9:
            time.sleep(0.05)  # people do not all press Enter in the same millisecond
    for thread in threads:
        thread.join()
    latency: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    for station in stations:
        for action, values in station.latency.items():
            latency[action].extend(values)
        errors.update(station.errors)
    out.put({"latency": dict(latency), "errors": dict(errors)})


# --- one round: N workstations one way -------------------------------------------------------
def run_round(urls: list[str], args: argparse.Namespace, owner: URL) -> Result:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    groups = [urls[i :: args.processes] for i in range(args.processes)]
    processes = [
        context.Process(target=worker, args=(group, args.seconds, args.think, i, out))
        for i, group in enumerate(groups)
        if group
    ]
    sampler = ConnectionSampler(owner)
    for process in processes:
        process.start()
    parts = [out.get(timeout=args.seconds + 600) for _ in processes]
    for process in processes:
        process.join()
    latency: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    for part in parts:
        for action, values in part["latency"].items():
            latency[action].extend(values)
        errors.update(part["errors"])
    return {"latency": latency, "errors": errors, "connections": sampler.stop()}


class ConnectionSampler:
    """The most client backends of the clinic database seen, sampled every 0.2 s."""

    def __init__(self, owner: URL) -> None:
        self.conninfo = owner.set(drivername="postgresql").render_as_string(hide_password=False)
        self.highest, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            while not self._stop.wait(0.2):
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = 'clinic' "
                    "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
                ).fetchone()
                self.highest = max(self.highest, int(row[0]) if row else 0)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.highest


# --- setting up: the server, the clinic, the logins, the pooler -----------------------------
def set_up(count: int, args: argparse.Namespace) -> tuple[Any, Any, list[str]]:
    from backoffice.demo.build import build_demo_database
    from tests.debian_pg import DebianServer, private_root
    from tests.pgbouncer import PgBouncer

    root = private_root("backoffice-bench-ws-")
    server = DebianServer(root, "primary", settings="max_connections = 100\n")
    server.initdb()
    server.start()
    with psycopg.connect(conninfo(server.url()), autocommit=True) as conn:
        conn.execute("CREATE DATABASE clinic")
    print("Loading the small demo clinic...", flush=True)
    build_demo_database(server.url(database="clinic"), "small", progress=lambda _: None)
    create_recommended_indexes(server.url(database="clinic"))
    logins = add_logins(server.url(database="clinic"), count)
    pooler = PgBouncer(
        server.url(),
        pool_size=1,
        max_db_connections=args.max_db_connections,
        server_idle_timeout=args.server_idle_timeout,
    )
    pooler.start()
    return (root, server), pooler, logins


def create_recommended_indexes(owner: URL) -> None:
    """As `backoffice db check --create-indexes` does: what a clinic of this size would have."""
    from backoffice.owner.indexes import create_indexes, missing_indexes

    engine = sa.create_engine(
        owner, poolclass=sa.NullPool, isolation_level="AUTOCOMMIT", hide_parameters=True
    )
    with engine.connect() as conn:
        create_indexes(conn, missing_indexes(conn))
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()


def add_logins(owner: URL, count: int) -> list[str]:
    """`count` staff logins: every fourth an admin, the others therapists of the clinic."""
    from backoffice.owner.staff_logins import add_staff

    engine = sa.create_engine(owner, poolclass=sa.NullPool, hide_parameters=True)
    names = []
    with engine.begin() as conn:
        therapists = list(
            conn.execute(sa.text("SELECT therapist_id FROM public.therapists")).scalars()
        )
        for i in range(count):
            name = f"bench_ws_{i:03d}"
            admin = i % 4 == 0
            add_staff(conn, username=name, role="admin" if admin else "therapist",
                      password=PASSWORD, therapist_id=None if admin else therapists[i % len(therapists)])  # fmt: skip
            names.append(name)
    engine.dispose()
    print(f"Created {count} staff logins.", flush=True)
    return names


def conninfo(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def urls_for(logins: list[str], host: str, port: int) -> list[str]:
    return [
        URL.create("postgresql+psycopg", username=name, password=PASSWORD, host=host, port=port,
                   database="clinic", query={"sslmode": "disable"}).render_as_string(hide_password=False)
        for name in logins
    ]  # fmt: skip


# --- the table ------------------------------------------------------------------------------
def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def show(n: int, direct: Result, pooled: Result) -> None:
    print(f"\nN = {n} workstations")
    print(f"{'action':<11} {'direct p50':>10} {'p95':>8} {'pooled p50':>10} {'p95':>8}"
          f" {'p50 ratio':>9} {'p95 ratio':>9} {'done direct/pooled':>19}")  # fmt: skip
    for action in ("log in", *ACTIONS):
        d, p = direct["latency"].get(action, []), pooled["latency"].get(action, [])
        cells = [percentile(d, 0.5), percentile(d, 0.95), percentile(p, 0.5), percentile(p, 0.95)]
        ratios = [ratio(cells[0], cells[2]), ratio(cells[1], cells[3])]
        print(f"{action:<11} {ms(cells[0]):>10} {ms(cells[1]):>8} {ms(cells[2]):>10}"
              f" {ms(cells[3]):>8} {ratios[0]:>9} {ratios[1]:>9} {len(d):>9}/{len(p):<9}")  # fmt: skip
    for name, result in (("direct", direct), ("pooled", pooled)):
        errors = result["errors"]
        print(f"{name}: {sum(errors.values())} errors, at most {result['connections']} server "
              f"connections")  # fmt: skip
        for sentence, times in errors.most_common(3):
            print(f"    {times:>6} x {sentence}")


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def ratio(direct: float | None, pooled: float | None) -> str:
    return "-" if direct is None or not pooled else f"{direct / pooled:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[50, 200, 400])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=2.0, help="mean pause between clicks")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--max-db-connections", type=int, default=60)
    parser.add_argument("--server-idle-timeout", type=float, default=1.0)
    args = parser.parse_args()
    os.nice(5)
    (root, server), pooler, logins = set_up(max(args.counts), args)
    owner = server.url(database="clinic")
    try:
        for n in args.counts:
            direct = run_round(urls_for(logins[:n], "127.0.0.1", server.port), args, owner)
            pooled = run_round(urls_for(logins[:n], "127.0.0.1", pooler.port), args, owner)
            show(n, direct, pooled)
    finally:
        pooler.delete()
        from tests.debian_pg import remove

        remove(root, server)


if __name__ == "__main__":
    main()
