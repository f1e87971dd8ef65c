"""Self-test checks of what the bundle carries: libraries, modules, resources, keyring, demo server."""

from __future__ import annotations

import importlib
import shutil
import subprocess
from pathlib import Path

from backoffice.selftest.modules import import_all
from backoffice.selftest.outcome import CheckFailed

# Import names of the runtime dependencies (PySide6 is the window check's: it needs Qt up).
LIBRARIES = (
    "alembic",
    "cryptography",
    "keyring",
    "numpy",
    "openpyxl",
    "pandas",
    "pgserver",
    "PIL",
    "platformdirs",
    "psycopg",
    "reportlab",
    "sqlalchemy",
    "sqlcipher3",
)
# Qt code is imported by the window check; migration scripts are run by Alembic, not imported.
_NOT_IMPORTED = (
    "backoffice.__main__",
    "backoffice.app",
    "backoffice.ui",
    "backoffice.migrations.env",
    "backoffice.migrations.versions",
)
_SERVER_PROGRAMS = ("postgres", "initdb", "pg_ctl")


def check_imports() -> str:
    """Every runtime library and every Qt-free module of the back-office imports."""
    failures = []
    for name in LIBRARIES:
        try:
            importlib.import_module(name)
        except ImportError as error:
            failures.append(f"{name} ({error})")
    if failures:
        raise CheckFailed(f"These libraries cannot be imported: {', '.join(failures)}.")
    modules = import_all("backoffice", skip=_NOT_IMPORTED)
    return f"{len(LIBRARIES)} libraries, {modules} back-office modules; {_libpq()}"


def _libpq() -> str:
    import psycopg

    version = psycopg.pq.version()
    major, minor = divmod(version, 10_000)
    return f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, libpq {major}.{minor})"


def check_resources() -> str:
    """Icons, logo, the user guides, a font with the rupee sign, and the Alembic scripts are
    where the code looks."""
    from backoffice.reports.assets import default_logo
    from backoffice.resources import guide_path, resources_dir

    try:
        root = resources_dir()
    except FileNotFoundError as error:
        raise CheckFailed(str(error)) from None
    missing = []
    icons = sorted((root / "icons").glob("*.svg"))
    if not (root / "icons" / "app.svg").is_file():
        missing.append("the application icon icons/app.svg")
    if default_logo() is None:
        missing.append("the report logo logo.png")
    for role in ("admin", "finance", "therapist"):
        try:
            guide_path(role)
        except FileNotFoundError:
            missing.append(f"the user guide guide/{role}.md")
    font = _report_font(root)
    if font is None:
        missing.append("a font that can print the rupee sign (DejaVu, Noto, Liberation or Arial)")
    migrations = _migrations(missing)
    if missing:
        raise CheckFailed(f"Missing from {root}: {'; '.join(missing)}.")
    return f"{len(icons)} icons, logo, 3 user guides, font {font}, migrations up to {migrations}"


def _report_font(root: Path) -> str | None:
    from backoffice.reports.fonts import find_font_files

    files = find_font_files()
    if files is None:
        return None
    where = "bundled" if files[0].is_relative_to(root) else "system"
    return f"{files[0].name} ({where})"


def _migrations(missing: list[str]) -> str:
    from backoffice import migrations

    folder = Path(migrations.__file__).parent
    for name in ("env.py", "script.py.mako"):
        if not (folder / name).is_file():
            missing.append(f"the Alembic file {folder / name}")
    if not any((folder / "versions").glob("*.py")):
        missing.append(f"the migration scripts in {folder / 'versions'}")
        return ""
    try:
        return migrations.head_revision()
    except Exception as error:  # Alembic raises several kinds; any of them means the same here
        raise CheckFailed(
            f"Alembic cannot read the migration scripts in {folder} ({type(error).__name__})."
        ) from None


def check_keyring() -> str:
    """Name the keyring backend; having none is allowed (the window then asks every time)."""
    import keyring
    from keyring.backends import chainer, fail, null

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring | null.Keyring):
        return "none found: passwords are asked each time and offline copies are unavailable"
    if isinstance(backend, chainer.ChainerBackend):
        return ", ".join(str(b.name) for b in backend.backends)
    return str(backend.name)


def check_demo_server() -> str:
    """The demo clinic's PostgreSQL programs are present and run."""
    from pgserver._commands import POSTGRES_BIN_PATH

    folder = Path(POSTGRES_BIN_PATH)
    programs = {name: shutil.which(name, path=str(folder)) for name in _SERVER_PROGRAMS}
    absent = [name for name, path in programs.items() if path is None]
    if absent:
        raise CheckFailed(
            f"The demo server's programs {', '.join(absent)} are missing from {folder}."
        )
    versions = {_version_of(str(path)) for path in programs.values() if path is not None}
    return f"PostgreSQL {' / '.join(sorted(versions))} ({', '.join(_SERVER_PROGRAMS)})"


def _version_of(program: str) -> str:
    try:
        done = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=20, check=True
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise CheckFailed(
            f"The demo server's program {program} does not run ({type(error).__name__})."
        ) from None
    return done.stdout.split()[-1] if done.stdout.split() else "?"
