"""Benchmark: the first paint of a client chart with 200 sessions on the large demo clinic, against the
naive way of loading it (one query per session), in one run, as a ratio.

First paint is from `ChartPage.show_chart(...)` until the timeline, the risk strip and the latest
note are on screen (the note opened through `notes.open_note`: its opening committed first), as
demo_therapist, through the window's own worker pool. The naive chart is the same page whose
chart comes from one query listing the client's sessions and then one query per session.

    BACKOFFICE_DATA_DIR=/some/dir uv run backoffice demo --size large --no-gui   # once, minutes
    BACKOFFICE_DATA_DIR=/some/dir uv run python bench/chart.py

It adds a client with 200 sessions to that demo clinic once (C-BENCH-200), and creates the
indexes `backoffice db check` recommends when they are missing (CONCURRENTLY).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from PySide6.QtWidgets import QApplication

from backoffice.demo import build as demo_build
from backoffice.owner.indexes import create_indexes, missing_indexes
from backoffice.services.login import ServerProfile, open_session
from backoffice.ui import tasks
from backoffice.ui.pages import chart_page, chart_source
from bench.browse import pump
from bench.chart_clinic import CLIENT, SESSIONS, add_bench_client, naive_chart

REPEAT = 7
TARGET_MS = 100.0


def first_paint(app: QApplication, page: chart_page.ChartPage) -> float:
    """Milliseconds from asking for the chart to its latest note painted."""
    shown: list[Any] = []
    page.note_shown.connect(shown.append)
    started = time.perf_counter()
    page.show_chart(client_id=CLIENT)
    pump(app, lambda: bool(shown) and not page.is_busy())
    page.grab()  # the paint itself
    elapsed = (time.perf_counter() - started) * 1000
    page.note_shown.disconnect(shown.append)
    return elapsed


def measure(app: QApplication, page: chart_page.ChartPage, loader: Any) -> list[float]:
    chart_source.get_chart = loader  # type: ignore[assignment]
    first_paint(app, page)  # warm: caches, the pool's connections
    return [first_paint(app, page) for _ in range(REPEAT)]


def prepare() -> ServerProfile:
    demo = demo_build.prepare_demo("large", progress=lambda m: print(m, flush=True))
    owner = demo_build._conninfo(demo.socket_dir, "postgres", demo_build.DEMO_DATABASE)
    add_bench_client(owner)
    import sqlalchemy as sa

    engine = sa.create_engine(
        demo.owner_url, poolclass=sa.NullPool, isolation_level="AUTOCOMMIT", hide_parameters=True
    )
    with engine.connect() as conn:
        missing = missing_indexes(conn)
        if missing:
            skipped = create_indexes(conn, missing)
            print(f"recommended indexes created: {len(missing) - len(skipped)}", flush=True)
            for reason in skipped:
                print(f"  not created: {reason}", flush=True)
    engine.dispose()
    with psycopg.connect(owner, autocommit=True) as conn:
        conn.execute("ANALYZE")
    return ServerProfile(
        host=str(demo.socket_dir), port=None, database=demo_build.DEMO_DATABASE, is_demo=True
    )


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    profile = prepare()
    session = open_session(profile, username="demo_therapist", password="demo-therapist-pass")
    page = chart_page.ChartPage(session)
    page.resize(1280, 800)
    page.show()
    fast_loader = chart_source.get_chart
    fast = measure(app, page, fast_loader)
    naive = measure(app, page, naive_chart)
    chart_source.get_chart = fast_loader
    tasks.pool().waitForDone(10_000)
    session.close()
    assert page.chart is not None
    report(page.chart, fast, naive)
    return 0


def report(chart: Any, fast: list[float], naive: list[float]) -> None:
    sessions = len(chart.past) + len(chart.upcoming)
    f, n = statistics.median(fast), statistics.median(naive)
    print(f"client chart of {CLIENT}: {sessions} sessions (planted {SESSIONS}), large demo clinic")
    print(
        f"  first paint, chart services:    median {f:7.1f} ms  (min {min(fast):.1f}, max {max(fast):.1f})"
    )
    print(
        f"  first paint, query per session: median {n:7.1f} ms  (min {min(naive):.1f}, max {max(naive):.1f})"
    )
    print(
        f"  ratio naive / chart: {n / f:.1f}x; target first paint <= {TARGET_MS:.0f} ms: "
        + ("met" if f <= TARGET_MS else "NOT met")
    )


if __name__ == "__main__":
    sys.exit(main())
