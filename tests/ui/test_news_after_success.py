"""Issue 15, item 7: after success the page says what changed; an action is off while it cannot
act; an error goes once its cause is fixed; errors have one colour, the palette's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette

from backoffice.services.browse import CLIENTS
from backoffice.services.login import open_session
from backoffice.ui import theme
from backoffice.ui.dialogs.transfer_dialog import TransferDialog
from backoffice.ui.pages.list_page import TRANSFER_CLIENT, ListPage
from backoffice.ui.widgets.message_area import MessageArea
from tests.conftest import DEMO_PASSWORDS
from tests.integration.transfer_fixtures import NEW

WAIT = 15_000
UI = Path(theme.__file__).parent


@pytest.fixture
def clients_page(qtbot, demo_clone):
    session = open_session(
        demo_clone.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    page = ListPage(session, CLIENTS, row_actions=[TRANSFER_CLIENT])
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.table.model.texts(0) is not None, timeout=WAIT)
    yield page
    page.close_page()
    session.close()


def test_a_transfer_says_what_moved_and_its_button_waits_for_a_client(qtbot, clients_page):
    page = clients_page
    button = page.action_buttons["Transfer client…"]
    assert not button.isEnabled() and button.toolTip() == "Select a row first."
    page.table.table.setCurrentIndex(page.table.model.index(0, 0))
    name = page.table.model.texts(0)[0]
    assert button.isEnabled()

    button.click()
    dialog = page.findChild(TransferDialog)
    dialog._confirm = lambda *_, **__: True
    qtbot.waitUntil(lambda: dialog.form.target.count() > 0 and not dialog.is_busy(), timeout=WAIT)
    dialog.form.choose_target(NEW)
    dialog.submit.click()
    assert dialog.error.is_error and "reason" in dialog.error.text()
    qtbot.keyClicks(dialog.form.reason, "Closer to home")
    assert dialog.error.text() == ""  # fixed: the error went
    with qtbot.waitSignal(dialog.transferred, timeout=WAIT):
        dialog.submit.click()

    assert page.message.text().startswith(f"{name} is now with ")
    assert "appointment" in page.message.text() and not page.message.is_error
    qtbot.waitUntil(lambda: not page.table.model.loading, timeout=WAIT)
    qtbot.waitUntil(lambda: page.table.model.texts(0) is not None, timeout=WAIT)
    assert page.current_key() is None and not button.isEnabled()  # reloaded: no client chosen


def test_an_error_is_the_palettes_one_error_colour_and_readable_on_dark_and_light(qtbot):
    area = MessageArea("test")
    qtbot.addWidget(area)
    area.show_error("The amount is missing.")
    assert theme.error_color().name() in area.styleSheet() and area.is_error
    for window in ("#f0f0f0", "#2b2b2b"):
        palette = QPalette()
        palette.setColor(QPalette.ColorRole.Window, QColor(window))
        assert contrast(theme.error_color(palette), QColor(window)) >= 4.5, window
    area.show_info("Saved.")
    assert area.styleSheet() == "" and not area.is_error


def test_no_page_paints_its_own_error_colour():
    own = re.compile(r"color:\s*palette\(highlight\)|#b00020|color:\s*red|QColor\(\"?red")
    found = [
        f"{path.relative_to(UI)}:{n}"
        for path in sorted(UI.rglob("*.py"))
        if path.name != "theme.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if own.search(line)
    ]
    assert found == []


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
