"""`backoffice --self-test`: what an installed bundle runs first, one line per check, no traceback.

Each check returns a short detail or raises `CheckFailed` with one sentence; anything unexpected
becomes one sentence too (its traceback goes to the log file). The window check runs in a child
process, so that a Qt platform plugin that aborts the process is reported rather than fatal.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Sequence
from typing import TextIO

from backoffice import __version__
from backoffice.config import APP_NAME
from backoffice.selftest.checks import (
    check_demo_server,
    check_imports,
    check_keyring,
    check_resources,
)
from backoffice.selftest.documents import check_encrypted_sqlite, check_pdf, check_xlsx
from backoffice.selftest.outcome import CheckFailed
from backoffice.selftest.window import start_window_check

__all__ = ["CHECKS", "CheckFailed", "run_self_test"]

_log = logging.getLogger(__name__)

Check = tuple[str, Callable[[], str]]

CHECKS: tuple[Check, ...] = (
    ("imports", check_imports),
    ("resources", check_resources),
    ("pdf", check_pdf),
    ("xlsx", check_xlsx),
    ("sqlcipher", check_encrypted_sqlite),
    ("keyring", check_keyring),
    ("demo server", check_demo_server),
)


def run_self_test(
    out: TextIO | None = None, checks: Sequence[Check] = CHECKS, *, window: bool = True
) -> int:
    """Run the checks (and the window's), one line each, then a summary; 0 when all passed."""
    started, out = time.monotonic(), out or sys.stdout
    if window:  # in a child process beside the others: it is the slowest
        checks = (*checks, ("window", start_window_check()))
    bundle = "bundle" if getattr(sys, "frozen", False) else "Python " + sys.version.split()[0]
    print(f"{APP_NAME} {__version__} self-test ({bundle}, {sys.platform})", file=out, flush=True)
    failed = 0
    for name, check in checks:
        passed, text = _run_one(name, check)
        failed += not passed
        print(f"  {'ok    ' if passed else 'FAILED'} {name:<12} {text}", file=out, flush=True)
    if failed:
        print(f"Self-test failed: {failed} of {len(checks)} checks.", file=out)
        return 1
    print(
        f"Self-test passed: {len(checks)} checks in {time.monotonic() - started:.1f} s.", file=out
    )
    return 0


def _run_one(name: str, check: Callable[[], str]) -> tuple[bool, str]:
    """(True, detail) or (False, the sentence saying what failed)."""
    try:
        return True, check()
    except CheckFailed as failure:
        return False, str(failure)
    except Exception as error:  # a self-test reports, it never crashes
        _log.exception("self-test check %s failed unexpectedly", name)
        return False, f"Failed unexpectedly ({type(error).__name__}: {error})."
