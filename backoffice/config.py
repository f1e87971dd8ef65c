"""Where the back-office keeps its files, and settings read from the environment."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
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


# Qt platforms that draw on a screen; the others (offscreen, minimal, vnc, linuxfb...) need none.
_SCREEN_PLATFORMS = {"", "xcb", "wayland", "wayland-egl"}


def has_display(env: Mapping[str, str] | None = None) -> bool:
    """Whether a window can be shown: always off Linux; on Linux, an X or Wayland display."""
    env = os.environ if env is None else env
    return not sys.platform.startswith("linux") or bool(
        env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")
    )


def window_needs_display(env: Mapping[str, str] | None = None) -> bool:
    """True when Qt would abort for want of a display: none here, and a platform that draws on one."""
    env = os.environ if env is None else env
    platform = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    return not has_display(env) and platform in _SCREEN_PLATFORMS
