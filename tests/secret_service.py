"""A real Secret Service for tests: GNOME Keyring on a private D-Bus session bus.

Needs `dbus-daemon` and `gnome-keyring-daemon` (Debian/Ubuntu: `apt-get install dbus gnome-keyring`).
Skipped when they are missing, except under CI=true where their absence fails the test.
The user's own bus and keyring are never touched: the bus, HOME and XDG directories are throwaway.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import IO, Any

import pytest

START_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0
UNLOCK_PASSWORD = "throwaway-login-keyring-password"
BUS_NAME = "org.freedesktop.secrets"
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>{address}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
# No <servicedir>: nothing is D-Bus activated, so the only Secret Service on this bus is the one started here.
Processes = dict[str, subprocess.Popen[bytes]]


def _require(*programs: str) -> None:
    missing = [program for program in programs if shutil.which(program) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not installed (apt-get install dbus gnome-keyring)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must provide a real Secret Service: {message}")
    pytest.skip(message)


def _wait_for(what: str, ready: Callable[[], bool], processes: Processes, logs: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                logged = _read_logs(logs)
                pytest.fail(f"{name} exited ({process.returncode}) before {what}:\n{logged}")
        try:
            if ready():
                return
        except Exception:  # not up yet: D-Bus errors until it is
            pass
        time.sleep(0.05)
    pytest.fail(f"timed out after {START_TIMEOUT:.0f} s waiting for {what}:\n{_read_logs(logs)}")


def _read_logs(logs: Path) -> str:
    return "\n".join(
        f"--- {log.name}\n{log.read_text(errors='replace')}" for log in sorted(logs.glob("*.log"))
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT)


def _start(
    args: list[str], env: dict[str, str], log: IO[bytes], stdin: Any = subprocess.DEVNULL
) -> Any:
    return subprocess.Popen(
        args, env=env, stdin=stdin, stdout=log, stderr=log, start_new_session=True
    )


def _bus_answers() -> bool:
    import secretstorage

    with closing(secretstorage.dbus_init()):
        return True


def _login_collection_unlocked() -> bool:
    import secretstorage

    with closing(secretstorage.dbus_init()) as connection:
        if not secretstorage.check_service_availability(connection):
            return False
        return not secretstorage.Collection(connection).is_locked()  # the "default" alias: login


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A private session bus with an unlocked GNOME Keyring on it; DBUS_SESSION_BUS_ADDRESS points there."""
    _require("dbus-daemon", "gnome-keyring-daemon")
    pytest.importorskip("secretstorage")
    # Sockets live in a short directory: a Unix socket path must stay under 108 bytes.
    runtime = Path(tempfile.mkdtemp(prefix="kr-"))
    logs = tmp_path / "logs"
    logs.mkdir()
    address = f"unix:path={runtime / 'bus'}"
    (tmp_path / "bus.conf").write_text(BUS_CONFIG.format(address=address))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DBUS_", "GNOME_KEYRING"))
    }
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_RUNTIME_DIR=str(runtime),
        DBUS_SESSION_BUS_ADDRESS=address,
    )
    for name in (
        "HOME",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
        "DBUS_SESSION_BUS_ADDRESS",
    ):
        monkeypatch.setenv(name, env[name])
    processes: Processes = {}
    try:
        with open(logs / "dbus-daemon.log", "wb") as log:
            bus_args = [
                "dbus-daemon",
                f"--config-file={tmp_path / 'bus.conf'}",
                "--nofork",
                "--nopidfile",
            ]
            processes["dbus-daemon"] = _start(bus_args, env, log)
        _wait_for("the session bus", _bus_answers, processes, logs)
        with open(logs / "gnome-keyring-daemon.log", "wb") as log:
            keyring_args = [
                "gnome-keyring-daemon",
                "--foreground",
                "--unlock",
                "--components=secrets",
            ]
            keyring_daemon = _start(keyring_args, env, log, stdin=subprocess.PIPE)
            processes["gnome-keyring-daemon"] = keyring_daemon
        # --unlock reads the login keyring's password up to end of file, creating that keyring if new.
        keyring_daemon.stdin.write(UNLOCK_PASSWORD.encode())
        keyring_daemon.stdin.close()
        _wait_for("an unlocked login collection", _login_collection_unlocked, processes, logs)
        yield
    finally:
        for process in reversed(processes.values()):
            _stop(process)
        shutil.rmtree(runtime, ignore_errors=True)
