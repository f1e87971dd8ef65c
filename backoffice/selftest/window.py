"""The self-test's window check, run as a child process: Qt aborts a process whose platform plugin
cannot start (no display, a missing X library), and that must end as a sentence, not as exit 134."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

from backoffice.config import has_display
from backoffice.selftest.outcome import CheckFailed

WINDOW_FLAG = "--self-test-window"  # hidden: what the child process is asked to do
TIMEOUT_SECONDS = 60


def start_window_check() -> Callable[[], str]:
    """Start the child now (it is the slowest check); the returned check waits for its answer."""
    try:
        child = subprocess.Popen(
            [*own_command(), WINDOW_FLAG],
            env=window_environment(dict(os.environ)),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError as error:
        sentence = f"The window check could not start ({error.strerror})."
        return lambda: _fail(sentence)
    return lambda: _answer(child)


def _answer(child: subprocess.Popen[str]) -> str:
    try:
        stdout, stderr = child.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise CheckFailed(f"The window did not show within {TIMEOUT_SECONDS} seconds.") from None
    said = stdout.strip().splitlines()
    if child.returncode == 0 and said:
        return said[-1]
    if child.returncode == 1 and said:
        raise CheckFailed(said[-1])
    raise CheckFailed(
        f"Qt stopped before the window showed (exit {child.returncode}): {_qt_reason(stderr)}."
    )


def _fail(sentence: str) -> str:
    raise CheckFailed(sentence)


def own_command() -> list[str]:
    """How to run this same program again: the bundle's executable, or this Python's module."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "backoffice"]


def window_environment(env: dict[str, str]) -> dict[str, str]:
    """Without a display on Linux, Qt's offscreen platform: the window is still made and painted."""
    if not has_display(env) and "QT_QPA_PLATFORM" not in env:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _qt_reason(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    # Qt names the plugin that failed in one of its first lines; the rest is advice.
    reason = next((line for line in lines if "plugin" in line.lower()), lines[0] if lines else "")
    return reason[:200].rstrip(".") or "no message"
