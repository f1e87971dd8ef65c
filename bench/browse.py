"""Benchmark: the lazy table against loading the whole table into a model, on the demo clinic.

For the payments and bookings sources it measures, in one run and beside the naive approach:
first rows available and painted (an offscreen QTableView), jumping to the last row, a search
showing its first rows, and peak Python memory (tracemalloc). Then process start → login window.

    uv run python bench/browse.py --build small                 # builds bench_browse_small once
    uv run python bench/browse.py --build large                 # ~6 minutes the first time
    uv run python bench/browse.py --url postgresql://...        # an existing demo clinic
    uv run python bench/browse.py --url ... --create-indexes    # ...with db check's indexes added

The server is BACKOFFICE_TEST_DATABASE_URL (a superuser) unless --superuser-url is given. A built
clinic gets the indexes `db check` proposes for payments and bookings. Use a server with contrib
(pg_trgm) to see the indexed search; the embedded one has none. Each table's "search" line is the
ratio asked for by issue #14: a search in SQL with those indexes against loading everything.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QAbstractTableModel, QEventLoop, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QTableView

from backoffice.db import UnitOfWork, create_engine, parse_url
from backoffice.services.browse import BOOKINGS, PAYMENTS, BrowseQuery, Browser
from backoffice.services.browse import sql as browse_sql
from backoffice.services.permissions import Actor, Role
from backoffice.ui import tasks
from backoffice.ui.widgets.cell_format import formatters
from backoffice.ui.widgets.lazy_table_model import LazyTableModel
from bench.browse_clinic import build, ensure_indexes

ADMIN = Actor("bench", Role.ADMIN, "Benchmark")
REPEAT = 5


class NaiveModel(QAbstractTableModel):
    """Every row in a list, formatted when painted: what a first version of a table page does."""

    def __init__(self, columns, rows: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self.columns, self.rows, self.fmts = columns, rows, formatters(columns)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return len(self.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.rows[index.row()][index.column()]
            return "" if value is None else self.fmts[index.column()](value)
        return None


def pump(app: QApplication, done: Callable[[], bool], timeout: float = 120.0) -> None:
    """Run the event loop until `done()`, sleeping in Qt's wait as the application's loop does
    (a busy loop would take the GIL from the worker threads and slow down what it measures)."""
    end = time.perf_counter() + timeout
    tick = QTimer(interval=2)  # wakes the wait to look at `done()` again
    tick.start()
    loop = QEventLoop()
    try:
        while not done():
            loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            if time.perf_counter() > end:
                raise TimeoutError("the table did not fill in time")
    finally:
        tick.stop()


def new_table(model) -> QTableView:
    table = QTableView()
    table.resize(1280, 800)
    table.setModel(model)
    table.show()
    return table


def lazy_run(app: QApplication, browser: Browser, term: str) -> dict[str, float]:
    times: dict[str, float] = {}
    started = time.perf_counter()
    model = LazyTableModel(browser)
    table = new_table(model)
    model.refresh()
    pump(app, lambda: model.key(0) is not None)
    times["first rows"] = time.perf_counter() - started
    table.viewport().grab()
    times["first paint"] = time.perf_counter() - started
    pump(app, lambda: model.exact)
    times["rows"] = model.rowCount()
    times["jump to end"] = _lazy_jump_to_end(app, model, table)
    times["search"] = _lazy_search(app, model, table, term)
    model.cancel_all()
    tasks.pool().waitForDone(120_000)
    app.processEvents()
    table.deleteLater()
    return times


def _lazy_jump_to_end(app: QApplication, model: LazyTableModel, table: QTableView) -> float:
    started = time.perf_counter()
    table.scrollToBottom()
    table.viewport().grab()  # the paint asks for the last rows
    pump(app, lambda: model.key(model.rowCount() - 1) is not None)
    table.viewport().grab()
    return time.perf_counter() - started


def _lazy_search(app: QApplication, model: LazyTableModel, table: QTableView, term: str) -> float:
    started = time.perf_counter()
    model.set_query(model.query.searching(term))  # after the typing pause (250 ms debounce)
    table.scrollToTop()
    pump(app, lambda: not model.loading and (model.rowCount() == 0 or model.key(0) is not None))
    table.viewport().grab()
    return time.perf_counter() - started


def naive_run(app: QApplication, browser: Browser, term: str) -> dict[str, float]:
    times: dict[str, float] = {}
    started = time.perf_counter()
    plan = browse_sql.plan(browser.source, browser.actor, BrowseQuery())
    with browser.unit_of_work() as uow:
        rows = [tuple(r) for r in uow.session.execute(browse_sql.ordered_select(plan))]
    model = NaiveModel(browser.columns, rows)
    times["first rows"] = time.perf_counter() - started
    table = new_table(model)
    table.viewport().grab()
    times["first paint"] = time.perf_counter() - started

    started = time.perf_counter()
    table.scrollToBottom()
    table.viewport().grab()
    times["jump to end"] = time.perf_counter() - started

    started = time.perf_counter()
    searched = [i for i, c in enumerate(browser.columns) if c.search == "substring"]
    found = [r for r in rows if any(term in (r[i] or "").lower() for i in searched)]
    model.beginResetModel()
    model.rows = found
    model.endResetModel()
    table.scrollToTop()
    table.viewport().grab()
    times["search"] = time.perf_counter() - started
    times["rows"] = len(rows)
    table.deleteLater()
    app.processEvents()
    return times


def median_of(run: Callable[[], dict[str, float]], repeat: int) -> dict[str, float]:
    runs = [run() for _ in range(repeat)]
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def peak_memory(run: Callable[[], dict[str, float]]) -> float:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def search_term(browser: Browser) -> str:
    """A surname from the data, as a person would type it (lower case)."""
    with browser.unit_of_work() as uow:
        name = uow.session.execute(
            browse_sql.plan(browser.source, browser.actor, BrowseQuery()).select().limit(1)
        ).first()
    text = next(v for v, c in zip(name, browser.columns, strict=True) if c.search == "substring")
    return text.split()[-1].lower()


def row(label: str, lazy: float, naive: float, unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1
    ratio = naive / lazy if lazy else float("inf")
    shown = f"{ratio:,.1f}" if ratio < 10 else f"{ratio:,.0f}"
    return f"  {label:<22}{lazy * scale:>12,.1f} {unit:<3}{naive * scale:>14,.1f} {unit:<3}{shown:>10}×"


def bench_source(app: QApplication, browser: Browser, repeat: int, naive: bool) -> None:
    term = search_term(browser)
    lazy_run(app, browser, term)  # warm the server's cache and Python's imports
    lazy = median_of(lambda: lazy_run(app, browser, term), repeat)
    slow = median_of(lambda: naive_run(app, browser, term), 1) if naive else None
    print(
        f"\n{browser.source.title}: {int(lazy['rows']):,} rows, search {term!r}"
        f"{', trigram index' if browser.first_page(BrowseQuery(search=term))[1].trigram_search else ''}"
    )
    print(f"  {'':<22}{'lazy (median of ' + str(repeat) + ')':>16}{'naive':>18}{'naive/lazy':>12}")
    for key in ("first rows", "first paint", "jump to end", "search"):
        print(row(key, lazy[key], slow[key] if slow else float("nan")))
    # What a person waits for who opens the page to search: SQL with the indexes, against loading
    # everything first and filtering it.
    from_nothing = slow["first rows"] + slow["search"] if slow else float("nan")
    print(row("search, page closed", lazy["search"], from_nothing))
    print(f"  jump to end / first paint: {lazy['jump to end'] / lazy['first paint']:.2f}")
    lazy_mb = peak_memory(lambda: lazy_run(app, browser, term))
    naive_mb = peak_memory(lambda: naive_run(app, browser, term)) if naive else float("nan")
    print(
        f"  {'peak Python memory':<22}{lazy_mb:>12,.1f} MiB{naive_mb:>14,.1f} MiB"
        f"{naive_mb / lazy_mb:>10,.0f}×"
    )


def login_window_start() -> None:
    """Process start → the login window painted, in a fresh interpreter."""
    try:
        import backoffice.ui.login_window  # noqa: F401
    except ImportError:
        print("\nLogin window: skipped, backoffice/ui/login_window.py does not exist yet.")
        return
    with tempfile.TemporaryDirectory() as home:
        script = _login_window_script(Path(home) / "settings.ini")
        runs = [_start_once(script, home) for _ in range(3)]
    seconds = statistics.median(float(r[0]) for r in runs)
    print(
        f"\nProcess start → login window painted: {seconds * 1000:,.0f} ms (median of 3; "
        f"target ≤ 1,000 ms); pandas imported: {runs[0][1]}, reportlab imported: {runs[0][2]}"
    )


def _login_window_script(settings: Path) -> str:
    """A program that shows the login window and prints (seconds since the time in its argument,
    whether pandas was imported, whether reportlab was)."""
    return (
        "import sys, time; start = float(sys.argv[1])\n"
        "from PySide6.QtCore import QSettings\n"
        "from keyring.backends.null import Keyring\n"
        "from backoffice.app import Application, qt_application\n"
        "from backoffice.credentials import CredentialStore\n"
        "app = qt_application()\n"
        f"settings = QSettings({str(settings)!r}, QSettings.Format.IniFormat)\n"
        "window = Application(settings=settings, credentials=CredentialStore(Keyring())).show_login()\n"
        "app.processEvents(); window.grab()\n"
        "print(time.time() - start, 'pandas' in sys.modules, 'reportlab' in sys.modules)\n"
    )


def _start_once(script: str, home: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", script, repr(time.time())],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": home},
    )
    return out.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an existing demo clinic database")
    parser.add_argument("--build", choices=("tiny", "small", "large"), default="small")
    parser.add_argument("--superuser-url", default=os.environ.get("BACKOFFICE_TEST_DATABASE_URL"))
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--no-naive", action="store_true", help="skip the naive load (slow, GBs)")
    parser.add_argument("--create-indexes", action="store_true", help="with --url: add them")
    args = parser.parse_args()
    if args.url:
        url = parse_url(args.url)
        if args.create_indexes:
            ensure_indexes(url)
    elif args.superuser_url:
        url = build(parse_url(args.superuser_url), args.build)
    else:
        parser.error("give --url, or --superuser-url (or BACKOFFICE_TEST_DATABASE_URL) to --build")
    app = QApplication.instance() or QApplication([])
    engine = create_engine(url, statement_timeout_ms=600_000)
    try:
        for source in (PAYMENTS, BOOKINGS):
            browser = Browser(lambda: UnitOfWork(engine), ADMIN, source)
            bench_source(app, browser, args.repeat, naive=not args.no_naive)
    finally:
        engine.dispose()
    login_window_start()


if __name__ == "__main__":
    main()
