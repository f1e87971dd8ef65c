"""Benchmark: the streaming PDF ledger against one reportlab Table holding every row.

    uv run python bench/report_render.py [--rows 100000] [--naive-timeout 1800]
    uv run python bench/report_render.py --protect [--rows 20000]

Each approach runs in its own subprocess so that its peak memory (ru_maxrss) is its own.
Reported: seconds, peak RSS, RSS growth during rendering; then the speed ratio, and the
streaming path again at twice the rows to show that its memory stays flat. With --protect: the
streaming PDF against the same PDF encrypted with a password (AES-256 as each object is written),
and the protected one at twice the rows, to show that protection keeps the memory flat.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from backoffice.reports import Column, ReportDocument, TableSection, render_pdf
from backoffice.reports.fonts import report_fonts
from backoffice.reports.formatting import display_formatter
from bench.measure import measure, one_table

CHUNK_ROWS = 5_000
COLUMNS = (
    Column("at", "Date/time", "datetime"),
    Column("reference", "Reference"),
    Column("client", "Client"),
    Column("therapist", "Therapist"),
    Column("kind", "Type"),
    Column("amount", "Amount", "money", "INR"),
    Column("before", "Balance before", "money", "INR", total=False),
    Column("after", "Balance after", "money", "INR", total=False),
)
NAMES = np.array(
    [
        "Asha Rao",
        "Vikram Nair",
        "Meera Krishnan",
        "Ravi Kumar",
        "Fatima Sheikh",
        "Arjun Mehta",
        "Lakshmi Iyer",
        "Kabir Singh",
        "Divya Menon",
        "Sanjay Patel",
    ]
)
FIRST = pd.Timestamp("2024-04-01 09:00")
KINDS = np.array(["payment", "refund", "fee", "adjustment"])


def synthetic_ledger(rows: int) -> Iterator[pd.DataFrame]:
    """Deterministic ledger chunks with Decimal money, as the real query will yield them."""
    rng = np.random.default_rng(7)
    balance = 0
    for start in range(0, rows, CHUNK_ROWS):
        n = min(CHUNK_ROWS, rows - start)
        paise = rng.integers(-50_000, 250_000, n)
        after = balance + np.cumsum(paise)
        before = after - paise
        balance = int(after[-1])
        yield pd.DataFrame(
            {
                "at": pd.date_range(
                    FIRST + pd.Timedelta(minutes=7 * start), periods=n, freq="7min"
                ),
                "reference": [f"LED-{i:07d}" for i in range(start, start + n)],
                "client": NAMES[rng.integers(0, len(NAMES), n)],
                "therapist": NAMES[rng.integers(0, len(NAMES), n)],
                "kind": KINDS[rng.integers(0, len(KINDS), n)],
                "amount": _money(paise),
                "before": _money(before),
                "after": _money(after),
            }
        )


def _money(paise: np.ndarray) -> list[Decimal]:
    return [Decimal(int(p)).scaleb(-2) for p in paise]


def document() -> ReportDocument:
    return ReportDocument(
        title="Ledger",
        clinic_name="Benchmark Clinic",
        period_start=date(2024, 4, 1),
        period_end=date(2024, 6, 30),
        generated_by="bench",
        generated_at=datetime(2024, 7, 1, 9, 0),
    )


def render_streaming(rows: int, out: Path) -> None:
    table = TableSection("Ledger", COLUMNS, lambda: synthetic_ledger(rows), totals=True)
    render_pdf(document(), [table], out)


def render_protected(rows: int, out: Path) -> None:
    table = TableSection("Ledger", COLUMNS, lambda: synthetic_ledger(rows), totals=True)
    render_pdf(document(), [table], out, password="bench-password")


def render_naive(rows: int, out: Path) -> None:
    """What one would write first: every row in one platypus Table with a repeating header."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    fonts = report_fonts()
    formatters = [display_formatter(c, fonts.can_draw) for c in COLUMNS]
    data = [[c.label for c in COLUMNS]]
    for chunk in synthetic_ledger(rows):
        for values in zip(*(chunk[c.key].tolist() for c in COLUMNS), strict=True):
            data.append([f(v) for f, v in zip(formatters, values, strict=True)])
    widths = [68, 58, 70, 70, 50, 58, 70, 70]
    table = one_table(data, fonts, right_from=5, colWidths=widths)
    SimpleDocTemplate(str(out), pagesize=A4).build([table])


def worker(approach: str, rows: int, out: Path) -> dict[str, float]:
    report_fonts()  # font discovery is a one-off cost of the process, not of rendering
    render = {"streaming": render_streaming, "protected": render_protected}.get(
        approach, render_naive
    )
    _, measured = measure(lambda: render(rows, out), out)
    return measured


def run(approach: str, rows: int, folder: Path, timeout: float | None) -> dict[str, float] | None:
    out = folder / f"{approach}-{rows}.pdf"
    command = [
        sys.executable,
        __file__,
        "--worker",
        approach,
        "--rows",
        str(rows),
        "--out",
        str(out),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--naive-timeout", type=float, default=1800.0)
    parser.add_argument("--protect", action="store_true", help="measure password protection")
    parser.add_argument(
        "--worker", choices=["streaming", "naive", "protected"], help=argparse.SUPPRESS
    )
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.rows, args.out)))
        return
    if args.protect:
        _protect(args.rows)
        return
    with tempfile.TemporaryDirectory() as folder:
        runs = [
            ("streaming", args.rows, None),
            ("naive", args.rows, args.naive_timeout),
            ("streaming", 2 * args.rows, None),
        ]
        results = {(a, n): run(a, n, Path(folder), t) for a, n, t in runs}
    report(results, args.rows, args.naive_timeout)


def report(
    results: dict[tuple[str, int], dict[str, float] | None], rows: int, naive_timeout: float
) -> None:
    _print_runs(results, naive_timeout)
    stream, naive = results[("streaming", rows)], results[("naive", rows)]
    double = results[("streaming", 2 * rows)]
    assert stream is not None and double is not None
    naive_seconds = naive["seconds"] if naive else naive_timeout
    bound = "" if naive else "at least "
    print(
        f"\nspeed: streaming is {bound}{naive_seconds / stream['seconds']:.1f}x faster "
        f"than one Table at {rows} rows (target >= 4x)"
    )
    if naive:
        print(f"memory: naive peak {naive['peak_mb']:.0f} MB, streaming {stream['peak_mb']:.0f} MB")
    print(f"time for {rows} rows: {stream['seconds']:.2f} s (target <= 10 s)")
    print(
        f"flatness: peak RSS {stream['peak_mb']:.1f} MB at {rows} rows, "
        f"{double['peak_mb']:.1f} MB at {2 * rows} rows: "
        f"ratio {double['peak_mb'] / stream['peak_mb']:.2f} "
        f"(target < 300 MB, ratio ~1.0); time ratio "
        f"{double['seconds'] / stream['seconds']:.2f} (linear: ~2.0)"
    )


def _protect(rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        runs = [("streaming", rows), ("protected", rows), ("protected", 2 * rows)]
        results = {(a, n): run(a, n, Path(folder), None) for a, n in runs}
    _print_runs(results, 0)
    plain, locked = results[("streaming", rows)], results[("protected", rows)]
    double = results[("protected", 2 * rows)]
    assert plain is not None and locked is not None and double is not None
    print(
        f"\nprotection: {locked['seconds'] / plain['seconds']:.2f}x the time of the plain PDF, "
        f"peak RSS {locked['peak_mb']:.1f} MB against {plain['peak_mb']:.1f} MB\n"
        f"flatness: protected peak RSS {locked['peak_mb']:.1f} MB at {rows} rows, "
        f"{double['peak_mb']:.1f} MB at {2 * rows} rows: ratio "
        f"{double['peak_mb'] / locked['peak_mb']:.2f} (~1.0)"
    )


def _print_runs(
    results: dict[tuple[str, int], dict[str, float] | None], naive_timeout: float
) -> None:
    # CPU seconds next to wall-clock ones: on a shared machine the wall clock includes waiting.
    print(
        f"{'approach':<10} {'rows':>8} {'seconds':>9} {'CPU s':>8} {'peak RSS MB':>12} "
        f"{'growth MB':>10} {'PDF MB':>7}"
    )
    for (approach, n), r in results.items():
        if r is None:
            print(f"{approach:<10} {n:>8} {'> ' + str(int(naive_timeout)):>9}   (timed out)")
            continue
        print(
            f"{approach:<10} {n:>8} {r['seconds']:>9.2f} {r['cpu']:>8.2f} {r['peak_mb']:>12.1f} "
            f"{r['growth_mb']:>10.1f} {r['file_mb']:>7.1f}"
        )


if __name__ == "__main__":
    main()
