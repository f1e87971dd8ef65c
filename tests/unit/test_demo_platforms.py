"""Where the demo clinic cannot run, the demo command says so in one sentence."""

from __future__ import annotations

import argparse

import pytest

from backoffice.commands import demo
from backoffice.errors import BackofficeError


def test_on_windows_the_demo_says_it_is_not_available(monkeypatch):
    monkeypatch.setattr(demo, "_ON_WINDOWS", True)
    args = argparse.Namespace(stop=False, size="small", reset=False, no_gui=True, screenshots=None)
    with pytest.raises(BackofficeError, match="not available on Windows yet"):
        demo.run_demo(args)
