"""Benchmark: the `ledger` report (server-side cursor -> streaming PDF) against one reportlab Table
holding every row of the same query, on a demo clinic, measured in the same run.

    BACKOFFICE_DATA_DIR=/tmp/large uv run backoffice demo --size large --no-gui   # ~4 minutes
    uv run python bench/reports.py \\
        --url 'postgresql://demo_finance:demo-finance-pass@/clinic?host=/tmp/large/demo/pgdata' \\
        [--rows 100000] [--naive-timeout 1800] [--skip-naive]

The URL is a staff login (finance or admin): the report runs as that person, through
`services.reports.run_report`, exactly as the window and the command line do. The period ends on
the last day with payments and reaches back until it holds about --rows ledger lines; the
streaming path then runs again on a period holding twice as many. Each run is a subprocess, so
its peak memory (ru_maxrss) is its own. Targets: >= 4x faster than one Table, <= 10 s,
< 300 MB and flat when the rows double.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork, create_engine, parse_url
from bench.measure import measure, one_table

_DAYS = sa.text("""
WITH d AS (
    SELECT CAST(payment_date AS date) AS day, count(*) AS n FROM public.payments
    WHERE payment_date <= now() AT TIME ZONE 'Asia/Kolkata' GROUP BY 1
  UNION ALL
    SELECT CAST(refund_initiation_date AS date), count(*) FROM public.payments
    WHERE lower(trim(refund_status)) = 'processed'
      AND refund_initiation_date <= now() AT TIME ZONE 'Asia/Kolkata' GROUP BY 1
)
SELECT day, sum(n) AS n FROM d GROUP BY day ORDER BY day DESC
""")


def period_for(url: str, rows: int) -> tuple[dt.date, dt.date, int]:
    """The period ending on the last day with payments that holds about `rows` ledger lines."""
    engine = create_engine(parse_url(url), poolclass=sa.NullPool)
    with engine.connect() as conn:
        days = conn.execute(_DAYS).all()
    engine.dispose()
    total = 0
    for day, count in days:
        total += int(count)
        if total >= rows:
            return day, days[0].day, total
    raise SystemExit(f"The clinic holds only {total:,} ledger lines; build the large demo.")


def _session(url: str) -> tuple[Any, Any]:
    from backoffice.services.login import identify

    parsed = parse_url(url)
    engine = create_engine(parsed, poolclass=sa.NullPool, statement_timeout_ms=0)
    return engine, identify(engine, parsed)


def render_streaming(url: str, start: dt.date, end: dt.date, out: Path) -> int:
    from backoffice.services.reports import run_report

    engine, actor = _session(url)
    result = run_report(
        lambda: UnitOfWork(engine), actor, name="ledger", period_from=start, period_to=end, path=out
    )
    engine.dispose()
    return result.rows


def render_naive(url: str, start: dt.date, end: dt.date, out: Path) -> int:
    """What one would write first: every line of the same query in one platypus Table."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate

    from backoffice.reports.fonts import report_fonts
    from backoffice.reports.formatting import display_formatter

    lines = _ledger_lines(url, start, end)
    columns = _ledger_columns()
    fonts = report_fonts()
    formatters = [display_formatter(c, fonts.can_draw) for c in columns]
    data = [[c.label for c in columns]]
    for values in zip(*(lines[c.key].tolist() for c in columns), strict=True):
        data.append([f(v) for f, v in zip(formatters, values, strict=True)])
    table = one_table(data, fonts, right_from=-1)
    SimpleDocTemplate(str(out), pagesize=landscape(A4)).build([table])
    return len(lines)


def _ledger_lines(url: str, start: dt.date, end: dt.date) -> Any:
    """The ledger report's own query, read whole into one DataFrame."""
    from backoffice.services.reports.builders.frames import frame
    from backoffice.services.reports.builders.ledger import lines_statement, totals_statement
    from backoffice.services.reports.types import ReportRequest

    engine, _actor = _session(url)
    request = ReportRequest(start, end)
    with UnitOfWork(engine) as uow:
        totals = frame(uow, totals_statement(therapist=False), request.params())
        lines = frame(
            uow,
            lines_statement(therapist=False),
            request.params(currencies=list(totals["currency"])),
        )
    engine.dispose()
    return lines


def _ledger_columns() -> list[Any]:
    from backoffice.reports import Column

    return [
        Column("at", "Date/time", "datetime"),
        Column("kind", "Type"),
        Column("payment_id", "Payment"),
        Column("reference", "Reference"),
        Column("client", "Client"),
        Column("therapist", "Therapist"),
        Column("gateway", "Gateway"),
        Column("currency", "Currency"),
        Column("amount", "Amount", "money"),
    ]


def worker(approach: str, url: str, start: dt.date, end: dt.date, out: Path) -> dict[str, float]:
    # Imports and font discovery are one-off costs of the process, not of the report.
    import backoffice.services.reports.builders.ledger  # noqa: F401
    from backoffice.reports.fonts import report_fonts

    report_fonts()
    render = render_streaming if approach == "streaming" else render_naive
    rows, measured = measure(lambda: render(url, start, end, out), out)
    return {"rows": rows, **measured}


def run(
    approach: str, url: str, period: tuple[dt.date, dt.date], folder: Path, timeout: float | None
) -> dict[str, float] | None:
    out = folder / f"{approach}-{period[0]}.pdf"
    command = [
        sys.executable,
        __file__,
        "--worker",
        approach,
        "--url",
        url,
        "--start",
        str(period[0]),
        "--end",
        str(period[1]),
        "--out",
        str(out),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise SystemExit(f"The {approach} run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    args = _parser().parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.url, args.start, args.end, args.out)))
        return
    first, last, lines = period_for(args.url, args.rows)
    double_first, _, double_lines = period_for(args.url, 2 * args.rows)
    print(
        f"period {first} – {last}: {lines:,} ledger lines; doubled {double_first} – {last}: "
        f"{double_lines:,}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        results = {"streaming": run("streaming", args.url, (first, last), Path(folder), None)}
        results["streaming x2"] = run(
            "streaming", args.url, (double_first, last), Path(folder), None
        )
        if not args.skip_naive:
            results["one Table"] = run(
                "naive", args.url, (first, last), Path(folder), args.naive_timeout
            )
    report(results, args.naive_timeout, args.skip_naive)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a finance or admin login's URL")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--naive-timeout", type=float, default=1800.0)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--worker", choices=["streaming", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--start", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    parser.add_argument("--end", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return parser


def report(
    results: dict[str, dict[str, float] | None], naive_timeout: float, skipped: bool
) -> None:
    _print_runs(results, naive_timeout)
    stream, double = results["streaming"], results["streaming x2"]
    assert stream is not None and double is not None
    print(f"\ntime: {stream['seconds']:.2f} s for {int(stream['rows']):,} rows (target <= 10 s)")
    if not skipped:
        naive = results["one Table"]
        seconds = naive["seconds"] if naive else naive_timeout
        bound = "" if naive else "at least "
        print(
            f"speed: streaming is {bound}{seconds / stream['seconds']:.1f}x faster than one "
            f"Table (target >= 4x)"
        )
        if naive:
            print(f"memory: one Table peaks at {naive['peak_mb']:.0f} MB")
    print(
        f"memory: streaming peaks at {stream['peak_mb']:.1f} MB, {double['peak_mb']:.1f} MB "
        f"with twice the rows: ratio {double['peak_mb'] / stream['peak_mb']:.2f} (target "
        f"< 300 MB, ~1.0); time ratio {double['seconds'] / stream['seconds']:.2f} (linear ~2)"
    )


def _print_runs(results: dict[str, dict[str, float] | None], naive_timeout: float) -> None:
    print(
        f"{'approach':<13} {'rows':>8} {'seconds':>8} {'CPU s':>7} {'peak RSS MB':>12} "
        f"{'growth MB':>10} {'PDF MB':>7}"
    )
    for name, r in results.items():
        if r is None:
            print(f"{name:<13} {'':>8} {'> ' + str(int(naive_timeout)):>8}   (timed out)")
            continue
        print(
            f"{name:<13} {int(r['rows']):>8} {r['seconds']:>8.2f} {r['cpu']:>7.2f} "
            f"{r['peak_mb']:>12.1f} {r['growth_mb']:>10.1f} {r['file_mb']:>7.1f}"
        )


if __name__ == "__main__":
    main()
