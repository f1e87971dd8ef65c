"""The application entry point: wires Qt, the engine and the login window together."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backoffice.demo_clinic import DemoClinic


def run(demo: DemoClinic | None = None) -> int:
    """Open the application's first window and run the Qt event loop until it closes."""
    from PySide6.QtWidgets import QApplication

    from backoffice.db import safe_url
    from backoffice.ui.placeholder_window import PlaceholderWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Clinic back-office")
    app.setOrganizationName("clinic-backoffice")
    window = PlaceholderWindow(demo_location=safe_url(demo.owner_url) if demo else None)
    window.show()
    return app.exec()
