"""The reports page: the role's reports, a run on a worker with progress, Cancel leaving no file,
"Saved …" with Open folder, and errors in their own words."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate

from backoffice.services.login import open_session
from backoffice.services.reports import run_report
from backoffice.ui.pages.reports_page import ReportsPage
from tests.conftest import DEMO_PASSWORDS

TIMEOUT_MS = 30_000


@pytest.fixture
def session_for(demo_clone):
    """A login on a private clinic: a report that runs to its end commits its audit event."""
    sessions = []

    def open_as(login: str):
        session = open_session(demo_clone.profile(), username=login, password=DEMO_PASSWORDS[login])
        sessions.append(session)
        return session

    yield open_as
    for session in sessions:
        session.close()


def shown_page(qtbot, session, **kwargs) -> ReportsPage:
    page = ReportsPage(session, **kwargs)
    qtbot.addWidget(page)
    page.show()
    # The therapists are loaded on a worker.
    qtbot.waitUntil(lambda: page.fields.therapist.count() > 1, timeout=TIMEOUT_MS)
    return page


def set_period(page: ReportsPage, start: dt.date, end: dt.date) -> None:
    page.fields.from_date.setDate(QDate(start.year, start.month, start.day))
    page.fields.to_date.setDate(QDate(end.year, end.month, end.day))


def test_finance_sees_its_reports_and_the_fields_each_one_takes(qtbot, session_for):
    page = shown_page(qtbot, session_for("demo_finance"))

    titles = [page.report_list.item(i).text() for i in range(page.report_list.count())]
    assert titles == ["Revenue", "Refunds", "Payment reconciliation", "Ledger"]
    fields, form = page.fields, page.fields.form
    assert form.isRowVisible(fields.therapist) and not form.isRowVisible(fields.client)
    page.select("refunds")
    assert not form.isRowVisible(fields.therapist)
    fields.format.setCurrentIndex(fields.format.findData("csv"))
    assert not form.isRowVisible(fields.page_size)


def test_a_run_shows_progress_then_saved_with_open_folder(qtbot, session_for, tmp_path):
    page = shown_page(qtbot, session_for("demo_finance"))
    page.select("ledger")
    set_period(page, dt.date(2020, 1, 1), dt.date(2030, 12, 31))
    progress: list[tuple[int, int]] = []
    target = tmp_path / "ledger.pdf"

    with qtbot.waitSignal(page.report_saved, timeout=TIMEOUT_MS) as saved:
        page.run_to(target)
        assert page.progress.isVisible() and page.cancel_button.isVisible()
        assert not page.run_button.isEnabled() and not page.report_list.isEnabled()
        page.progress.valueChanged.connect(lambda v: progress.append((v, page.progress.maximum())))

    assert saved.args[0].path == target and target.stat().st_size > 0
    assert progress and progress[-1][0] == progress[-1][1] > 1_000  # every ledger line counted
    assert page.status.text() == f"Saved {target}."
    assert page.open_folder_button.isVisible() and page.run_button.isEnabled()
    assert not page.progress.isVisible()


def test_cancel_leaves_no_file(qtbot, session_for, tmp_path):
    released = threading.Event()

    def slow_runner(*args, progress, **kwargs):
        def held(done: int, total: int) -> None:
            progress(done, total)
            released.wait(10)  # the worker waits here until the person has pressed Cancel

        return run_report(*args, progress=held, **kwargs)

    page = shown_page(qtbot, session_for("demo_finance"), runner=slow_runner)
    page.select("ledger")
    set_period(page, dt.date(2020, 1, 1), dt.date(2030, 12, 31))
    target = tmp_path / "ledger.pdf"

    with qtbot.waitSignal(page.report_failed, timeout=TIMEOUT_MS) as failed:
        page.run_to(target)
        qtbot.waitUntil(lambda: page.progress.value() > 0, timeout=TIMEOUT_MS)
        page.cancel_button.click()
        released.set()

    assert failed.args[0] == "The report was cancelled; no file was written."
    assert page.status.text() == failed.args[0] and not page.status.font().bold()
    assert list(tmp_path.iterdir()) == []
    assert page.run_button.isEnabled() and not page.cancel_button.isVisible()


def test_an_error_is_shown_in_its_own_words(qtbot, session_for, tmp_path):
    page = shown_page(qtbot, session_for("demo_admin"))
    page.select("client-history")
    page.fields.client.setText("C-0")
    page.fields.protect.setChecked(False)  # a clinical PDF asks for a password otherwise

    with qtbot.waitSignal(page.report_failed, timeout=TIMEOUT_MS) as failed:
        page.run_to(tmp_path / "history.pdf")

    assert failed.args[0] == "There is no client with the id 'C-0'."
    assert page.status.text() == failed.args[0] and page.status.font().bold()
    assert list(tmp_path.iterdir()) == []


def test_a_clinical_pdf_asks_for_its_password_twice_and_says_why(qtbot, session_for, tmp_path):
    page = shown_page(qtbot, session_for("demo_admin"))
    page.resize(900, 620)
    page.select("risk-review")
    set_period(page, dt.date(2020, 1, 1), dt.date(2030, 12, 31))
    fields, form = page.fields, page.fields.form
    assert fields.protect.isChecked()  # protected unless one says otherwise
    for row in (fields.protect, fields.password_first, fields.password_again, fields.password_why):
        assert form.isRowVisible(row)
    assert "needs this password to open it" in fields.password_why.text()
    fields.password_first.setText("handover-2026")
    fields.password_again.setText("handover-2062")
    page.run_to(tmp_path / "risk.pdf")
    assert page.status.text() == "The two passwords differ: type the same password twice."
    assert not page.is_running() and list(tmp_path.iterdir()) == []
    _grab(page, "reports-password.png")

    fields.password_again.setText("handover-2026")
    with qtbot.waitSignal(page.report_saved, timeout=TIMEOUT_MS) as saved:
        page.run_to(tmp_path / "risk.pdf")
    reader = PdfReader(saved.args[0].path)
    assert reader.is_encrypted and reader.decrypt("handover-2026")
    assert "(protected with its password)" in saved.args[0].message

    fields.format.setCurrentIndex(fields.format.findData("csv"))
    assert not form.isRowVisible(fields.protect) and not form.isRowVisible(fields.password_first)
    page.select("utilisation")
    fields.format.setCurrentIndex(fields.format.findData("pdf"))
    assert not form.isRowVisible(fields.protect)


def _grab(page: ReportsPage, name: str) -> None:
    folder = os.environ.get("BACKOFFICE_TEST_SCREENSHOTS")
    if folder:  # for a person to look at: BACKOFFICE_TEST_SCREENSHOTS=DIR
        page.grab().save(str(Path(folder) / name))


def test_a_period_that_ends_before_it_starts_is_refused_before_the_file_is_asked_for(
    qtbot, session_for, monkeypatch
):
    """Issue 15, item 9: the sentence comes first, and no Save dialog opens for a bad period."""
    from PySide6.QtWidgets import QFileDialog

    asked: list[object] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kwargs: (asked.append(args), ("", ""))[1]
    )
    page = shown_page(qtbot, session_for("demo_finance"))
    set_period(page, dt.date(2026, 3, 1), dt.date(2026, 2, 1))

    page.run_button.click()

    assert asked == []
    assert page.status.text() == "The period ends on 1 Feb 2026, before it starts on 1 Mar 2026."
    assert page.status.is_error
    page.fields.to_date.setDate(QDate(2026, 3, 31))  # fixed: the sentence goes
    assert page.status.text() == ""
    page.run_button.click()
    assert len(asked) == 1
