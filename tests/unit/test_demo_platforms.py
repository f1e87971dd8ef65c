"""Where the demo clinic cannot run, the demo command says so in one sentence."""

from __future__ import annotations

import argparse

import pytest

from backoffice import config
from backoffice.commands import demo
from backoffice.errors import BackofficeError


def test_on_windows_the_demo_says_it_is_not_available(monkeypatch):
    monkeypatch.setattr(demo, "_ON_WINDOWS", True)
    args = argparse.Namespace(stop=False, size="small", reset=False, no_gui=True, screenshots=None)
    with pytest.raises(BackofficeError, match="not available on Windows yet"):
        demo.run_demo(args)


def _without_display(monkeypatch) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)


def test_without_a_display_the_demo_window_is_refused_before_anything_starts(monkeypatch):
    _without_display(monkeypatch)
    args = argparse.Namespace(stop=False, size="small", reset=False, no_gui=False, screenshots=None)
    monkeypatch.setattr("backoffice.demo.build.prepare_demo", _must_not_run)

    with pytest.raises(BackofficeError) as refused:
        demo.run_demo(args)

    sentence = str(refused.value)
    assert sentence.startswith("The demo clinic's window needs a display")
    assert "--no-gui" in sentence and "--screenshots DIR" in sentence


def _must_not_run(*args, **kwargs):
    raise AssertionError("the demo was prepared although no window can be shown")


@pytest.mark.parametrize(
    ("environment", "needs_display"),
    [
        ({}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, True),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"DISPLAY": ":0"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, False),
    ],
)
def test_a_window_needs_a_display_on_linux_unless_qt_draws_offscreen(
    monkeypatch, environment, needs_display
):
    monkeypatch.setattr("sys.platform", "linux")
    assert config.window_needs_display(environment) is needs_display


def test_macos_and_windows_always_have_a_display(monkeypatch):
    for platform in ("darwin", "win32"):
        monkeypatch.setattr("sys.platform", platform)
        assert not config.window_needs_display({})
