"""The self-test's window check: the login window shows offscreen; a Qt abort becomes a sentence."""

from __future__ import annotations

import pytest

from backoffice.cli import main
from backoffice.selftest import CheckFailed
from backoffice.selftest.window import start_window_check


def test_the_login_window_shows_and_closes_offscreen(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert "login window" in start_window_check()()


def test_a_platform_plugin_that_aborts_qt_is_reported_in_one_sentence(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "nosuchplatform")
    with pytest.raises(
        CheckFailed, match=r'Qt stopped before the window showed .*"nosuchplatform"'
    ):
        start_window_check()()


@pytest.mark.slow
def test_the_whole_self_test_passes_from_the_source_tree(capsys):
    assert main(["--self-test"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("Self-test passed: 8 checks")
