"""Driven by tests/e2e/test_a_day_of_each_role.py in a child process on a real X server (Xvfb): one
role's day through the real window, typed and clicked as a person would, with screenshots.

Usage: python -m tests.e2e.drive_day HOST PORT DATABASE OUT_DIR LOOK ROLE [ARGS...]
  LOOK: light | dark
  ROLE admin: approve the first pending application with a login, transfer the first client,
        review the first (high-risk) note.
  ROLE finance PAYMENT_ID: request a refund of INR 2,500.00 of the payment, have demo_admin
        approve it (four eyes), complete it, export last month's revenue PDF.
  ROLE therapist: open a chart from the dashboard, lock (Ctrl+L), a wrong password, unlock.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from backoffice.ui.dialogs.transfer_dialog import TransferDialog
from backoffice.ui.main_window import MainWindow
from tests.e2e.day_helpers import Day, answer_next, save_as_next, until, visible_texts
from tests.e2e.drive_demo_window import settle

NEW_PASSWORD = "first-password-42"


# --- admin ---------------------------------------------------------------------------------------
def approve_application(day: Day, window: MainWindow) -> None:
    window.show_page("therapists")
    panel = window.pages["therapists"].applications
    until(lambda: panel.application is not None and not panel.is_busy(), "an application")
    day.shot("admin-application")
    form = panel.decision
    form.with_login.click()
    # Logins are the server's, shared by every database on it: one a run.
    QTest.keyClicks(form.login_name, f"t_new_colleague_{day.look}")
    QTest.keyClicks(form.password, NEW_PASSWORD)
    asked = answer_next(day, "Approve", shot="admin-approve-question")
    form.buttons["approve"].click()
    until(lambda: "now a therapist" in panel.status.text(), "the approval said")
    print(f"asked: {asked[0]}", flush=True)
    print(f"approved: {panel.status.text()}", flush=True)
    assert not form.with_login.isChecked() and form.login_name.text() == ""
    day.shot("admin-approved")


def transfer_client(day: Day, window: MainWindow) -> None:
    window.show_page("clients")
    page = window.pages["clients"]
    table = page.table
    until(lambda: table.model.rowCount() > 0 and not table.model.loading, "the clients")
    table.table.setCurrentIndex(table.model.index(0, 0))
    page.action_buttons["Transfer client…"].click()
    dialog = page.findChild(TransferDialog)
    until(lambda: dialog.form.target.count() > 0 and not dialog.is_busy(), "the therapists")
    assert dialog.form.target.currentIndex() == -1, "nobody is chosen for the person"
    dialog.form.target.setCurrentIndex(0)
    QTest.keyClicks(dialog.form.reason, "Moving closer to the clinic's other branch")
    day.shot("admin-transfer-dialog")
    asked = answer_next(day, "Transfer", shot="admin-transfer-question")
    QTest.keyClick(dialog.form.reason, Qt.Key.Key_Return)  # Enter is Transfer…, never Close
    until(lambda: page.message.text() != "", "the transfer said")
    print(f"asked: {asked[0]}", flush=True)
    print(f"transferred: {page.message.text()}", flush=True)
    day.shot("admin-transferred")


def review_note(day: Day, window: MainWindow) -> None:
    window.show_page("notes")
    page = window.pages["notes"]
    until(lambda: page.model.rowCount() > 0, "the review queue")
    count_before = page.count.text()
    page.select_row(0)
    until(lambda: page.note_view.detail is not None, "the note")
    detail = page.note_view.detail
    assert detail is not None and detail.high_risk
    day.shot("admin-note")
    page.outcome.setCurrentIndex(page.outcome.findData("safety_plan"))
    QTest.keyClicks(page.comment, "Safety plan agreed with the therapist by phone.")
    page.submit.click()
    until(lambda: page.count.text() != count_before, "the queue's count went down")
    print(f"reviewed note: {detail.note_id}", flush=True)
    print(f"queue: {count_before} -> {page.count.text()}", flush=True)
    day.shot("admin-reviewed")


def admin_day(day: Day) -> None:
    window = day.log_in("demo_admin")
    day.shot("admin-dashboard")
    approve_application(day, window)
    transfer_client(day, window)
    review_note(day, window)
    day.log_out()


# --- finance -------------------------------------------------------------------------------------
def request_refund(day: Day, window: MainWindow, payment_id: int) -> None:
    window.show_page("payments")
    page = window.pages["payments"]
    table = page.payments
    until(lambda: table.model.rowCount() > 0 and not table.model.loading, "the payments")
    QTest.keyClicks(table.search_box, str(payment_id))
    QTest.keyClick(table.search_box, Qt.Key.Key_Return)
    until(lambda: table.model.rowCount() == 1 and not table.model.loading, "the payment found")
    table.table.setCurrentIndex(table.model.index(0, 0))
    page.refund_button.click()
    dialog = page.dialog
    until(lambda: dialog.summary is not None and not dialog.is_busy(), "the refund dialog")
    dialog.part.click()
    QTest.keyClicks(dialog.amount, "2,500.00")  # as the window writes amounts
    QTest.keyClicks(dialog.note, "Session cancelled by the clinic; client asked for a refund.")
    day.shot("finance-refund-dialog")
    asked = answer_next(day, "Request refund", shot="finance-refund-question")
    dialog.submit.click()
    until(lambda: "requested" in page.status.text(), "the request said")
    print(f"asked: {asked[0]}", flush=True)
    print(f"requested: {page.status.text()}", flush=True)


def refunds_tab(window: MainWindow, state: str = "requested"):  # type: ignore[no-untyped-def]
    """The Refunds tab, showing the refunds in `state`, the newest selected."""
    window.show_page("payments")
    page = window.pages["payments"]
    page.tabs.setCurrentWidget(page.refunds)
    panel = page.refunds
    panel.state_filter.setCurrentIndex(panel.state_filter.findData(state))
    until(lambda: panel.model.rowCount() > 0 and not panel.is_busy(), "the refunds")
    panel.table.setCurrentIndex(panel.model.index(0, 0))  # the newest first
    until(lambda: not panel.is_busy(), "the refund's ledger")
    return panel


def approve_as_admin(day: Day) -> None:
    window = day.log_in("demo_admin")
    day.shot("admin-dashboard-refund-waiting")
    panel = refunds_tab(window)
    asked = answer_next(day, "Approve", shot="admin-refund-approve-question")
    panel.buttons["approve"].click()
    until(lambda: "approved" in panel.status.text(), "the approval said")
    print(f"asked: {asked[0]}", flush=True)
    print(f"approved: {panel.status.text()}", flush=True)
    day.log_out()


def complete_refund(day: Day, window: MainWindow) -> None:
    panel = refunds_tab(window, "approved")
    reference = "rfnd_DEMO2500"
    answer_next(day, "Complete", text=reference, name="text_question")
    panel.buttons["complete"].click()
    until(lambda: "completed" in panel.status.text(), "the completion said")
    print(f"completed: {panel.status.text()}", flush=True)
    day.shot("finance-refund-completed")


def export_revenue(day: Day, window: MainWindow) -> Path:
    window.show_page("reports")
    page = window.pages["reports"]
    page.select("revenue")
    today = dt.date.today()
    last = today.replace(day=1) - dt.timedelta(days=1)
    page.fields.from_date.setDate(QDate(last.year, last.month, 1))
    page.fields.to_date.setDate(QDate(last.year, last.month, last.day))
    page.fields.format.setCurrentIndex(page.fields.format.findData("pdf"))
    path = day.out / "revenue.pdf"
    save_as_next(path)
    page.run_button.click()
    until(lambda: path.exists() and not page.is_running(), "the report written", 120)
    print(f"report: {page.status.text()}", flush=True)
    day.shot("finance-report")
    return path


def finance_day(day: Day, payment_id: int) -> None:
    window = day.log_in("demo_finance")
    request_refund(day, window, payment_id)
    panel = refunds_tab(window)
    assert not panel.buttons["approve"].isEnabled() and panel.hint.isVisible()
    print(f"why not: {panel.hint.text()}", flush=True)
    day.shot("finance-refund-four-eyes")
    day.log_out()
    approve_as_admin(day)
    window = day.log_in("demo_finance")
    complete_refund(day, window)
    export_revenue(day, window)
    day.log_out()


# --- therapist -----------------------------------------------------------------------------------
def press_ctrl_l(window: MainWindow) -> None:
    """Ctrl+L, as typed on the keyboard, into the active window (a shortcut needs it active)."""
    window.activateWindow()
    until(window.isActiveWindow, "the window active")
    focus = window.focusWidget() or window
    QTest.keyClick(focus, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    until(window.is_locked, "the window locked by Ctrl+L")


def therapist_day(day: Day) -> None:
    window = day.log_in("demo_therapist")
    dashboard = window.pages["dashboard"]
    until(lambda: getattr(dashboard, "dashboard", None) is not None, "the dashboard")
    settle()
    day.shot("therapist-dashboard")
    buttons = [b for b in dashboard.findChildren(QPushButton) if b.objectName().endswith("_chart")]
    buttons[0].click()  # Open chart, beside the first line
    chart = window.chart_page
    assert chart is not None
    until(lambda: chart.chart is not None and not chart.is_busy(), "the chart")
    client = chart.header.name.text()
    day.shot("therapist-chart")
    press_ctrl_l(window)
    shown = " ".join(visible_texts(window))
    print(f"locked title: {window.windowTitle()}", flush=True)
    print(f"client shown while locked: {client in shown or client in window.windowTitle()}")
    print(f"client: {client}", flush=True)
    day.shot("therapist-locked")
    lock = window.lock_page
    QTest.keyClicks(lock.password, "not-my-password")
    QTest.keyClick(lock.password, Qt.Key.Key_Return)
    until(lambda: lock.message.is_error and not lock.is_checking(), "the wrong password said")
    print(f"wrong password: {lock.message.text()}", flush=True)
    day.shot("therapist-wrong-password")
    lock.password.clear()
    QTest.keyClicks(lock.password, "demo-therapist-pass")
    QTest.keyClick(lock.password, Qt.Key.Key_Return)
    until(lambda: not window.is_locked(), "the window unlocked")
    print(f"unlocked: {window.windowTitle()}", flush=True)
    day.shot("therapist-unlocked")
    day.log_out()


def main(
    host: str, port: str, database: str, out_dir: str, look: str, role: str, *args: str
) -> int:
    day = Day(host, port, database, out_dir, look)
    if role == "admin":
        admin_day(day)
    elif role == "finance":
        finance_day(day, int(args[0]))
    else:
        therapist_day(day)
    return day.finish()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
