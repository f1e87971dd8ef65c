"""What the PDF benchmarks share: one render measured in its own process, and the naive way to
render (every row in one reportlab Table) they measure the streaming report against.

Imported by `bench/report_render.py` and `bench/reports.py`.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes vs KiB


def measure(render: Callable[[], T], out: Path) -> tuple[T, dict[str, float]]:
    """What `render` returned, and its wall-clock and CPU seconds, peak RSS and its growth while
    rendering, and the size of the file it wrote to `out`."""
    baseline = peak_rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = render()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = peak_rss_mb()
    return result, {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak,
        "growth_mb": peak - baseline,
        "file_mb": out.stat().st_size / 2**20,
    }


def one_table(data: list[list[str]], fonts: Any, *, right_from: int, **options: Any) -> Any:
    """Every row in one platypus Table with a repeating header: what one would write first.
    Columns from `right_from` on (money) are right-aligned."""
    from reportlab.platypus import Table

    table = Table(data, repeatRows=1, **options)
    table.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), fonts.regular, 7.5),
            ("FONT", (0, 0), (-1, 0), fonts.bold, 7.5),
            ("BACKGROUND", (0, 0), (-1, 0), "#1F6F7F"),
            ("TEXTCOLOR", (0, 0), (-1, 0), "#FFFFFF"),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), ["#FFFFFF", "#F3F6F8"]),
            ("ALIGN", (right_from, 0), (-1, -1), "RIGHT"),
        ]
    )
    return table
