"""The first window until the login window exists: says what the application is and where it points."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderWindow(QWidget):
    def __init__(self, demo_location: str | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Clinic back-office")
        where = (
            f"The demo clinic is running at {demo_location}."
            if demo_location
            else "No clinic is selected yet: start the demo clinic with `backoffice demo`."
        )
        label = QLabel(
            f"<h2>Clinic back-office</h2><p>{where}</p><p>The login window is on its way.</p>"
        )
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.resize(640, 240)
