"""Issue 15, item 13: Help has a user guide per role (shown once on a first login) and About with
the version, the licence and where to get support; the sidebar's icons follow the palette."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette

from backoffice import __version__, about
from backoffice.resources import guide_path
from backoffice.services.permissions import Actor, Role
from backoffice.ui.help_menu import AboutDialog, HelpMenu
from backoffice.ui.theme import page_icon

PAGES = ("dashboard", "therapists", "clients", "payments", "notes", "reports", "audit")


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def help_for(qtbot, role: Role, settings) -> HelpMenu:
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    return HelpMenu(window, Actor(f"demo_{role.value}", role, "Someone"), settings)


@pytest.mark.parametrize("role", list(Role))
def test_the_help_menu_opens_the_guide_written_for_the_role(qtbot, role, settings):
    menu = help_for(qtbot, role, settings)
    actions = [a.text() for a in menu.menu.actions()]
    assert actions == ["User guide", "About the clinic back-office"]
    assert menu.menu.actions()[0].shortcut().toString() == "F1"
    guide = menu.show_guide()
    title = guide_path(role.value).read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
    assert guide.text.toPlainText().startswith(title)
    assert guide.windowTitle() == f"User guide for {about.ROLES_GUIDES[role.value]}"
    assert len(guide.text.toPlainText()) > 800  # a guide, not a stub
    guide.close()


def test_the_guide_opens_by_itself_on_a_first_login_only(qtbot, settings):
    first = help_for(qtbot, Role.FINANCE, settings)
    assert first.show_guide_on_first_login() and first.guide.isVisible()
    first.guide.close()
    again = help_for(qtbot, Role.FINANCE, settings)
    assert not again.show_guide_on_first_login() and again.guide is None
    other = help_for(qtbot, Role.ADMIN, settings)  # another person on this computer
    assert other.show_guide_on_first_login()
    other.guide.close()


def test_about_gives_the_version_the_licence_and_the_support_contact(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.body.text()
    assert f"{about.APPLICATION} {__version__}" in text
    assert "Licence" in text and about.LICENCE[:40] in text
    assert f"mailto:{about.SUPPORT_CONTACT}" in text


def ink_lightness(key: str, window: str, text: str) -> int:
    """How light the strokes of a page's icon are, drawn for a palette."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
    image = page_icon(key, palette).pixmap(24, 24).toImage()
    inked = [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]
    assert inked, key
    return sum(c.lightness() for c in inked) // len(inked)


@pytest.mark.parametrize("key", PAGES)
def test_sidebar_icons_are_drawn_in_the_palettes_text_colour(key):
    on_dark = ink_lightness(key, "#2b2b2b", "#e6e6e6")
    on_light = ink_lightness(key, "#f0f0f0", "#202020")
    assert on_dark > 170 and on_light < 80, (on_dark, on_light)
