"""Row actions on list pages: shown to the roles that may use them, enabled on a current row."""

from __future__ import annotations

from backoffice.services.browse import CLIENTS
from backoffice.services.login import open_session
from backoffice.ui.dialogs.transfer_dialog import TransferDialog
from backoffice.ui.pages.list_page import TRANSFER_CLIENT, ListPage


def _page(qtbot, demo_database, username, password):
    session = open_session(demo_database.profile(), username=username, password=password)
    page = ListPage(session, CLIENTS, row_actions=[TRANSFER_CLIENT])
    qtbot.addWidget(page)
    return page, session


def test_an_admin_transfers_the_current_client_from_the_clients_page(qtbot, demo_database):
    page, session = _page(qtbot, demo_database, "demo_admin", "demo-admin-pass")
    try:
        page.show()
        qtbot.waitUntil(
            lambda: page.table.model.rowCount() > 0 and not page.table.model.loading, timeout=15_000
        )
        button = page.action_buttons["Transfer client…"]
        assert not button.isEnabled()

        page.table.table.setCurrentIndex(page.table.model.index(0, 1))
        assert button.isEnabled()
        client_id = page.current_key()
        button.click()
        dialog = page.findChild(TransferDialog)
        assert dialog is not None and dialog.client_id == str(client_id)
        qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=15_000)
        dialog.reject()
    finally:
        page.close_page()
        session.close()


def test_a_therapist_has_no_transfer_action(qtbot, demo_database):
    page, session = _page(qtbot, demo_database, "demo_therapist", "demo-therapist-pass")
    try:
        assert page.action_buttons == {}
    finally:
        session.close()
