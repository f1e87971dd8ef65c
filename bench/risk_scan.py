"""Benchmark: the risk-language scan (SQL prefilter on the server, keyset batches, the matcher on
the candidates only) against scanning every note in Python, in one run, as a ratio.

Both read the same notes of a copy of the demo clinic whose session notes are multiplied to
`--notes` (copies of the demo's notes with new ids: the same mix of ordinary, risky and
near-miss text). The scan is `notes.run_risk_scan` as demo_admin, through the database's doors
(each batch on record, its candidates read, the phrases stored). The naive way reads every note's
fields in keyset batches and runs `risk_language.scan` on each, storing nothing. Both must flag
the same notes.

    BACKOFFICE_DATA_DIR=/some/dir uv run python bench/risk_scan.py --size small --notes 1000000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
import sqlalchemy as sa

from backoffice.demo import build as demo_build
from backoffice.risk_language import scan
from backoffice.services.notes import SCANNED_FIELDS
from backoffice.services.notes.risk_scan import run_risk_scan

COPY = "bench_risk_scan"
FIELDS = ", ".join(
    f"array_to_string({f}, ', ')" if f == "somatic_cues" else f for f in SCANNED_FIELDS
)


def prepare(size: str, notes: int) -> tuple[str, sa.URL]:
    """A copy of the demo clinic holding `notes` session notes; (owner conninfo, admin URL)."""
    demo = demo_build.prepare_demo(size, progress=lambda m: print(m, flush=True))
    server = demo_build._conninfo(demo.socket_dir, "postgres")
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {COPY}")
        conn.execute(f"CREATE DATABASE {COPY} TEMPLATE {demo_build.DEMO_DATABASE}")
    owner = demo_build._conninfo(demo.socket_dir, "postgres", COPY)
    with psycopg.connect(owner, autocommit=True) as conn:
        _multiply(conn, notes)
        conn.execute("ANALYZE")
    admin = next(login for login in demo.logins if login.role == "admin")
    url = demo_build.socket_url(
        demo.socket_dir, username=admin.username, password=admin.password, database=COPY
    )
    return owner, url


def _multiply(conn: psycopg.Connection, target: int) -> None:
    have = conn.execute("SELECT count(*) FROM client_session_notes").fetchone()[0]
    columns = [
        r[0]
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name = 'client_session_notes' AND column_name <> 'note_id' "
            "ORDER BY ordinal_position"
        )
    ]
    names = ", ".join(columns)
    copies = max(0, -(-target // have) - 1)
    print(f"copying {have:,} notes {copies} times...", flush=True)
    conn.execute(
        f"INSERT INTO client_session_notes ({names}) SELECT {names} "
        f"FROM client_session_notes, generate_series(1, {copies})"
    )
    conn.execute(
        "DELETE FROM client_session_notes WHERE note_id > "
        f"(SELECT note_id FROM client_session_notes ORDER BY note_id OFFSET {target - 1} LIMIT 1)"
    )


def naive(owner: str, batch: int) -> tuple[float, set[int]]:
    """Every note's fields to Python, every field through the matcher."""
    flagged: set[int] = set()
    started = time.perf_counter()
    after = -1
    with psycopg.connect(owner) as conn:
        while True:
            rows = conn.execute(
                f"SELECT note_id, {FIELDS} FROM client_session_notes WHERE note_id > %s "
                "ORDER BY note_id LIMIT %s",
                (after, batch),
            ).fetchall()
            if not rows:
                break
            for note_id, *texts in rows:
                if any(scan(t) for t in texts):
                    flagged.add(note_id)
            after = rows[-1][0]
    return time.perf_counter() - started, flagged


def prefiltered(owner: str, url: sa.URL, batch: int) -> tuple[float, set[int], int]:
    """The scan as the application runs it, from nothing scanned."""
    with psycopg.connect(owner, autocommit=True) as conn:
        conn.execute("TRUNCATE backoffice.note_risk_matches, backoffice.note_risk_scans")
    engine = sa.create_engine(url, poolclass=sa.NullPool, hide_parameters=True)
    try:
        started = time.perf_counter()
        result = run_risk_scan(engine, batch_size=batch)
        elapsed = time.perf_counter() - started
    finally:
        engine.dispose()
    with psycopg.connect(owner) as conn:
        rows = conn.execute("SELECT note_id FROM backoffice.note_risk_scans WHERE phrases > 0")
        flagged = {r[0] for r in rows}
    return elapsed, flagged, result.candidates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small", help="the demo clinic to copy (small, large)")
    parser.add_argument("--notes", type=int, default=200_000, help="session notes in the copy")
    parser.add_argument("--batch", type=int, default=2000, help="notes per batch")
    args = parser.parse_args()
    owner, url = prepare(args.size, args.notes)
    with psycopg.connect(owner) as conn:
        total = conn.execute("SELECT count(*) FROM client_session_notes").fetchone()[0]
    scan_s, scan_flags, candidates = prefiltered(owner, url, args.batch)
    naive_s, naive_flags = naive(owner, args.batch)
    print(f"notes: {total:,}; candidates after the SQL prefilter: {candidates:,}", flush=True)
    print(f"flagged: {len(scan_flags):,} (scan) / {len(naive_flags):,} (every note in Python)")
    assert scan_flags == naive_flags, "the two ways flag different notes"
    print(f"scan, prefiltered in SQL, on record: {scan_s:.1f} s = {total / scan_s:,.0f} notes/s")
    print(f"every note in Python:                {naive_s:.1f} s = {total / naive_s:,.0f} notes/s")
    print(f"ratio (Python / prefiltered): {naive_s / scan_s:.2f}x")


if __name__ == "__main__":
    main()
