"""The X server the end-to-end tests drive the real window on."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


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
