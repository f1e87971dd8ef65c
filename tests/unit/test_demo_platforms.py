"""Where the demo clinic cannot run, the demo command says so in one sentence."""

from __future__ import annotations

import argparse
import sys

import pytest

import backoffice.demo_clinic  # noqa: F401  (imported before sys.platform is faked)
from backoffice.commands import demo
from backoffice.errors import BackofficeError


def test_on_windows_the_demo_says_it_is_not_available(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    args = argparse.Namespace(stop=False, size="small", reset=False, no_gui=True, screenshots=None)
    with pytest.raises(BackofficeError, match="not available on Windows yet"):
        demo.run_demo(args)
