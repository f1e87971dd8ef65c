"""Colours and icons that follow the palette, defined once: an error's colour, readable on a light
and a dark palette alike, and the sidebar's line icons drawn in the palette's text colour.

Qt's palette has no role for errors, so the one error colour is chosen here from the window's
lightness; every message area, the login window and the dialogs ask for it.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from backoffice.resources import resource_path

ICON_INK = "#2f6f73"  # the colour the icon files are drawn in; replaced by the palette's
ICON_PAPER = "#ffffff"  # a badge's fill in the icon files; replaced by the palette's base
_ERROR_ON_LIGHT = QColor("#b3261e")
_ERROR_ON_DARK = QColor("#ff8a80")
_ICON_SIZES = (16, 20, 24, 32, 48)


def palette() -> QPalette:
    return QGuiApplication.palette()


def is_dark(colours: QPalette | None = None) -> bool:
    """A dark palette: its window colour is darker than mid-grey."""
    return (colours or palette()).color(QPalette.ColorRole.Window).lightness() < 128


def error_color(colours: QPalette | None = None) -> QColor:
    """The one colour of an error sentence, readable on the palette's window colour."""
    return QColor(_ERROR_ON_DARK if is_dark(colours) else _ERROR_ON_LIGHT)


def error_style(colours: QPalette | None = None) -> str:
    """The stylesheet of an error sentence: the error colour, in bold."""
    return f"color: {error_color(colours).name()}; font-weight: bold;"


def page_icon(key: str, colours: QPalette | None = None) -> QIcon:
    """A page's line icon (resources/icons/<key>.svg) drawn in the palette's text colour, and in
    its highlighted-text colour when the sidebar row is selected; no icon if the file is missing."""
    try:
        svg = resource_path(f"icons/{key}.svg").read_text(encoding="utf-8")
    except FileNotFoundError:
        return QIcon()
    colours = colours or palette()
    icon = QIcon()
    for mode, role in (
        (QIcon.Mode.Normal, QPalette.ColorRole.WindowText),
        (QIcon.Mode.Selected, QPalette.ColorRole.HighlightedText),
        (QIcon.Mode.Active, QPalette.ColorRole.WindowText),
    ):
        ink, paper = colours.color(role), colours.color(QPalette.ColorRole.Base)
        for size in _ICON_SIZES:
            icon.addPixmap(_drawn(svg, ink, paper, size), mode)
    return icon


def app_icon() -> QIcon:
    """The application's own icon keeps its colours: it stands on the desktop, not in the palette."""
    try:
        return QIcon(str(resource_path("icons/app.svg")))
    except FileNotFoundError:
        return QIcon()


def _drawn(svg: str, ink: QColor, paper: QColor, size: int) -> QPixmap:
    text = svg.replace(ICON_INK, ink.name()).replace(ICON_PAPER, paper.name())
    renderer = QSvgRenderer(QByteArray(text.encode("utf-8")))
    pixmap = QPixmap(QSize(size, size))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return pixmap
