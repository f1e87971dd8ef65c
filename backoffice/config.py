"""Where the back-office keeps its files, and settings read from the environment."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "clinic-backoffice"
DATABASE_URL_ENV = "BACKOFFICE_DATABASE_URL"
READ_URL_ENV = "BACKOFFICE_READ_URL"  # the hot standby for `backoffice report`
DATA_DIR_ENV = "BACKOFFICE_DATA_DIR"
# Connections one workstation may hold at once while busy: one per worker thread of the window.
DEFAULT_POOL_SIZE = 4


def data_dir() -> Path:
    """The per-user data directory (the demo clinic's server lives under it)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser() / "logs"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def database_url_from_env() -> str | None:
    return os.environ.get(DATABASE_URL_ENV)


def read_url_from_env() -> str | None:
    return os.environ.get(READ_URL_ENV) or None
