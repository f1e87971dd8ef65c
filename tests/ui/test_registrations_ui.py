"""Registrations in the window, offscreen, on a private demo clinic: the editor shows the history and
records a renewal (a refusal is the service's sentence), the admin dashboard's tile counts expired
and expiring registrations (and sends nothing), and the transfer dialog flags an expired therapist
and leaves them out of a spread.

The demo's registrations: 58005 expires in 5 days, 58003 in 25, 58007 in 50, 58008 expired.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel

from backoffice.services.login import StaffSession, open_session
from backoffice.ui.dialogs.registration_dialog import RegistrationDialog
from backoffice.ui.dialogs.transfer_dialog import TransferDialog
from backoffice.ui.pages.dashboard_page import DashboardPage
from tests.conftest import DEMO_PASSWORDS
from tests.integration.transfer_fixtures import owner

WAIT = 20_000
EXPIRED = "58008"
SHOTS = os.environ.get("BACKOFFICE_SCREENSHOTS")


@pytest.fixture
def session(demo_clone) -> Iterator[StaffSession]:
    opened = open_session(
        demo_clone.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    yield opened
    opened.close()


def _shot(widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _editor(qtbot, session) -> RegistrationDialog:
    dialog = RegistrationDialog(session, therapist_id=EXPIRED, name="Expired Therapist")
    qtbot.addWidget(dialog)
    dialog.resize(640, 360)
    dialog.show()
    qtbot.waitUntil(lambda: bool(dialog.history) and not dialog.is_busy(), timeout=WAIT)
    return dialog


def test_the_editor_shows_the_history_and_records_a_renewal(qtbot, session, demo_clone):
    dialog = _editor(qtbot, session)
    assert dialog.status.property("error") is True and "expired" in dialog.status.text()
    assert dialog.list.count() == len(dialog.history) >= 1
    _shot(dialog, "registration_editor")
    renewed = dt.date.today() + dt.timedelta(days=700)
    dialog.number.setText("RENEWED-1")
    dialog.expires.setDate(QDate(renewed.year, renewed.month, renewed.day))
    with qtbot.waitSignal(dialog.recorded, timeout=WAIT) as recorded:
        dialog.save()
    assert recorded.args[0].number == "RENEWED-1" and recorded.args[0].state == "current"
    with owner(demo_clone) as conn:
        current = conn.execute(
            "SELECT number, expires_on FROM backoffice.therapist_registrations "
            "WHERE therapist_id = %s AND is_current",
            (EXPIRED,),
        ).fetchall()
        kept = conn.execute(
            "SELECT count(*) FROM backoffice.therapist_registrations WHERE therapist_id = %s",
            (EXPIRED,),
        ).fetchone()[0]
    assert current == [("RENEWED-1", renewed)] and kept == len(dialog.history) + 1


def test_a_registration_without_a_number_is_refused_in_the_services_words(qtbot, session):
    dialog = _editor(qtbot, session)
    dialog.number.setText("  ")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=WAIT)
    assert dialog.isVisible() and dialog.status.property("error") is True
    assert dialog.status.text() == "A registration needs the professional body and the number."


def _cell(page, name: str) -> str:
    label = page.findChild(QLabel, name)
    assert label is not None, name
    return label.text()


def test_the_dashboard_counts_expired_and_expiring_registrations_and_only_reads(
    qtbot, session, demo_clone
):
    page = DashboardPage(session)
    qtbot.addWidget(page)
    page.resize(1180, 820)
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.show()
    assert _cell(page, "registrations_expired_count") == "1"
    assert _cell(page, "registrations_within_7_count") == "1"
    assert _cell(page, "registrations_within_30_count") == "2"
    assert _cell(page, "registrations_within_60_count") == "3"
    assert "(" in _cell(page, "registrations_expired_who")  # the name and the expiry date
    _shot(page, "dashboard_registrations")
    with owner(demo_clone) as conn:  # the dashboard only reads: the nightly job tells therapists
        sent = conn.execute("SELECT count(*) FROM backoffice.registration_notices").fetchone()[0]
    assert sent == 0


def test_the_transfer_dialog_flags_an_expired_therapist_and_spreads_past_them(qtbot, session):
    dialog = TransferDialog(session, from_therapist_id="58004", confirm=lambda *_: True)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.form.target.count() > 0 and not dialog.is_busy(), timeout=WAIT)
    index = dialog.form.target.findData(EXPIRED)
    assert "registration expired" in dialog.form.target.itemText(index)
    items = [dialog.form.targets.item(i) for i in range(dialog.form.targets.count())]
    flagged = next(i for i in items if i.data(Qt.ItemDataRole.UserRole) == EXPIRED)
    assert flagged.checkState() == Qt.CheckState.Unchecked and "⚠" in flagged.text()
    others = [i for i in items if i is not flagged]
    assert others and all(i.checkState() == Qt.CheckState.Checked for i in others)
    dialog.resize(760, 560)
    dialog.show()
    _shot(dialog, "transfer_dialog_expired_flag")
