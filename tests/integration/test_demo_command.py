"""`backoffice demo`: builds the small clinic whole, prints a URL psql can open, stops; bad input is
one sentence."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from backoffice.cli import main
from backoffice.demo.build import demo_server


@pytest.fixture
def data_dir(monkeypatch):
    # Not under pytest's tmp_path: the embedded server runs as another user when tests run as root.
    directory = Path(tempfile.mkdtemp(prefix="backoffice-demo-test-"))
    monkeypatch.setenv("BACKOFFICE_DATA_DIR", str(directory))
    yield directory
    demo_server().stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.mark.slow
def test_demo_no_gui_prints_a_url_psql_opens_and_stop_stops_it(data_dir, capsys):
    assert main(["demo", "--no-gui"]) == 0
    out = capsys.readouterr().out
    url = re.search(r"Database URL \(the owner, for psql\):\s+(\S+)", out).group(1)
    assert "demo_admin" in out and "demo-admin-pass" in out

    psql = shutil.which("psql")
    if psql:
        shown = subprocess.run(
            [psql, url, "-Atc", "SELECT count(*) FROM bookings"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert shown.strip() == "20000"
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM payments").fetchone()[0] == 20000
        databases = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
    assert "clinic_being_built" not in databases

    assert main(["demo", "--no-gui"]) == 0  # a second start reuses the clinic
    assert "running" in capsys.readouterr().out
    assert main(["demo", "--stop"]) == 0
    assert "has stopped" in capsys.readouterr().out
    assert demo_server().socket_dir() is None


def test_a_data_directory_that_cannot_be_written_is_one_sentence(monkeypatch, capsys):
    monkeypatch.setenv("BACKOFFICE_DATA_DIR", "/proc/clinic-backoffice")

    assert main(["demo", "--no-gui"]) == 1

    err = capsys.readouterr().err
    assert "cannot be written" in err and "BACKOFFICE_DATA_DIR" in err
    assert len(err.strip().splitlines()) == 1


def test_stopping_a_demo_that_is_not_running_says_so(data_dir, capsys):
    assert main(["demo", "--stop"]) == 0
    assert "was not running" in capsys.readouterr().out


def test_a_failed_build_leaves_no_half_built_clinic(data_dir, monkeypatch, capsys):
    import backoffice.demo.build as demo_build

    def broken_build(url, size, progress):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(demo_build, "build_demo_database", broken_build)
    assert main(["demo", "--no-gui"]) == 70
    assert "Traceback" not in capsys.readouterr().err
    with psycopg.connect(str(demo_server().superuser_url().set(drivername="postgresql"))) as conn:
        databases = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
    assert not {"clinic", "clinic_being_built"} & databases


@pytest.mark.parametrize("command", [["demo"], []])
def test_without_a_display_the_window_is_one_sentence_not_a_qt_abort(data_dir, command):
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }

    ran = subprocess.run(
        [sys.executable, "-m", "backoffice", *command],
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert ran.returncode == 1, ran.stderr
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs a display" in lines[0], ran.stderr
    assert not (data_dir / "demo").exists()  # nothing was started or built
