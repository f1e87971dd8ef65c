"""Benchmark: how long the `backoffice` command takes to answer what needs no database, against a
bare Python start (`python -c pass`) and against the same answer with every command's libraries
imported first (what the command did before its imports were made lazy).

    uv run python bench/cli_startup.py            # 15 runs of each, medians
    uv run python bench/cli_startup.py --runs 40

Each case runs in a fresh process, alternating between cases, so that a busy machine slows all of
them alike; the ratios are what to read, not the seconds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

# What building the parser imported before: SQLAlchemy, Alembic, the models, the owner's tools.
EAGER = (
    "import sqlalchemy, alembic.config, backoffice.db, backoffice.migrations, "
    "backoffice.models.backoffice, backoffice.owner.dbcheck; "
)
MAIN = "import sys; from backoffice.cli import main; sys.exit(main(sys.argv[1:]))"


def cases(folder: str) -> dict[str, list[str]]:
    bad_period = ["report", "revenue", "--from", "2026-02-01", "--to", "2026-01-01"]
    return {
        "python -c pass": ["-c", "pass"],
        "python: import argparse": ["-c", "import argparse"],  # the floor of any command line
        "backoffice --help": ["-c", MAIN, "--help"],
        "backoffice report --help": ["-c", MAIN, "report", "--help"],
        "a usage mistake": ["-c", MAIN, "report", "--no-such-option"],
        "a period that ends first": ["-c", MAIN, *bad_period, "-o", f"{folder}/r.pdf"],
        "--help, eager imports": ["-c", EAGER + MAIN, "--help"],
    }


def run_once(arguments: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, *arguments],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        measured: dict[str, list[float]] = {name: [] for name in cases(folder)}
        for arguments in cases(folder).values():  # warm the file cache once
            run_once(arguments)
        for _ in range(runs):
            for name, arguments in cases(folder).items():
                measured[name].append(run_once(arguments))
    medians = {name: statistics.median(times) for name, times in measured.items()}
    bare = medians["python -c pass"]
    eager = medians["--help, eager imports"]
    print(f"{'case':<28} {'median ms':>10} {'× bare python':>14} {'× eager --help':>15}")
    for name, seconds in medians.items():
        print(
            f"{name:<28} {seconds * 1000:>10.1f} {seconds / bare:>14.1f} {seconds / eager:>15.2f}"
        )


if __name__ == "__main__":
    main()
