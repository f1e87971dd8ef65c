"""The window half of `backoffice --self-test`, run in its own process (see backoffice.selftest.window).

Qt starts on the platform it was given, every window module imports, the application icon (SVG)
draws, a chart view paints, and the login window shows, paints and closes.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from keyring.backends import null
from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QSettings, qVersion
from PySide6.QtWidgets import QApplication, QWidget

from backoffice.credentials import CredentialStore
from backoffice.selftest.modules import import_all
from backoffice.selftest.outcome import CheckFailed
from backoffice.ui.login_window import LoginWindow
from backoffice.ui.theme import app_icon

_log = logging.getLogger(__name__)


def main() -> int:
    """Print one line (the detail, or the sentence saying what failed); 0 when the window showed."""
    try:
        print(show_and_close_windows(), flush=True)
    except CheckFailed as failure:
        print(failure, flush=True)
        return 1
    except Exception as error:  # the parent prints this line; the traceback goes to the log
        _log.exception("self-test window check failed")
        print(f"The window could not be shown ({type(error).__name__}: {error}).", flush=True)
        return 1
    return 0


def show_and_close_windows() -> str:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    modules = import_all("backoffice.ui")
    if app_icon().pixmap(32, 32).isNull():
        raise CheckFailed("The application icon cannot be drawn: Qt's SVG support is missing.")
    chart = QChartView(QChart())
    _paint(app, chart)
    with tempfile.TemporaryDirectory(prefix="backoffice-selftest-") as folder:
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        login = LoginWindow(settings=settings, credentials=CredentialStore(null.Keyring()))
        width, height = _paint(app, login)
    return (
        f"Qt {qVersion()} on {app.platformName()}: login window {width}x{height} shown and "
        f"closed, a chart painted, {modules} window modules"
    )


def _paint(app: QApplication, window: QWidget) -> tuple[int, int]:
    window.show()
    app.processEvents()
    picture = window.grab()
    window.close()
    window.deleteLater()
    app.processEvents()
    if picture.isNull():
        raise CheckFailed(f"The {type(window).__name__} was shown but could not be painted.")
    return picture.width(), picture.height()
