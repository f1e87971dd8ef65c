"""End to end on a real X server (Xvfb): log in to the demo as admin, open each page, take a
screenshot of the screen, log out. The window is driven in a child process on the xcb platform."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).parents[2]


@pytest.fixture
def xvfb_display():
    if shutil.which("Xvfb") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must provide Xvfb (apt-get install xvfb)")
        pytest.skip("Xvfb is not installed")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as reader:
        display = reader.readline().strip()
    try:
        yield f":{display}"
    finally:
        server.terminate()
        server.wait(10)


def _distinct_colours(path: Path) -> int:
    image = QImage(str(path))
    step_x, step_y = max(image.width() // 40, 1), max(image.height() // 40, 1)
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step_x)
            for y in range(0, image.height(), step_y)
        }
    )


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_admin_logs_in_opens_every_page_on_a_real_screen_and_logs_out(
    demo_database, xvfb_display, tmp_path
):
    url = demo_database.owner_url
    host = url.host or str(url.query["host"])
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.e2e.drive_demo_window",
            host,
            str(url.port or 5432),
            url.database,
            str(tmp_path),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=200,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pages = [
        line.split()[1].rstrip(":")
        for line in result.stdout.splitlines()
        if line.startswith("page ")
    ]
    assert pages == [
        "dashboard",
        "therapists",
        "clients",
        "appointments",
        "bookings",
        "payments",
        "notes",
        "reports",
        "audit",
        "data_quality",
    ]
    assert "(admin)" in result.stdout and "demo-admin-pass" not in result.stdout
    assert "logged out" in result.stdout
    for page in pages:
        shot = tmp_path / f"{page}.png"
        assert _distinct_colours(shot) > 8, f"the screenshot of {page} is blank"
