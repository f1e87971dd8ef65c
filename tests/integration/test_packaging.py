"""The wheel carries what the installed application needs: resources, migrations, the entry point."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.mark.slow
def test_the_wheel_contains_the_resources_the_migrations_and_the_backoffice_command(tmp_path):
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed")
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
    )
    wheel = next(tmp_path.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    assert "backoffice/resources/logo.png" in names
    assert "backoffice/resources/icons/app.svg" in names
    for role in ("admin", "finance", "therapist"):  # Help → User guide, in an installed copy
        assert f"backoffice/resources/guide/{role}.md" in names
    assert "backoffice/migrations/script.py.mako" in names
    assert any(n.startswith("backoffice/migrations/versions/0001_") for n in names)
    assert "backoffice = backoffice.cli:main" in scripts
