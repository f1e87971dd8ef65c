"""The window of an offline login: My caseload and the client chart read from the copy on this
computer, the drafts written in it, the copy's age and expiry in the status bar. Pages that need
the server are absent, not broken.

Sync (when the server answers again) uploads the drafts and replaces the copy; logging out wipes
it (asking first when drafts would be lost); closing the window keeps it for next time.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from backoffice.services.changes import Area, Changes
from backoffice.services.clock import clinic_time_of
from backoffice.services.offline import CopyInfo, OfflineCopy, SyncResult, list_copies, wipe_copy
from backoffice.ui.dialogs.offline_dialogs import confirm_wipe
from backoffice.ui.offline_session import OfflineCharts, OfflineSession, sync_now, sync_summary
from backoffice.ui.pages.caseload_page import CaseloadPage
from backoffice.ui.pages.drafts_page import DraftsPage
from backoffice.ui.pages.offline_chart_page import OfflineChartPage
from backoffice.ui.qt_helpers import menu_action, named
from backoffice.ui.tasks import run_op, user_message
from backoffice.ui.theme import page_icon
from backoffice.values import moment_text

EVERYTHING = Changes.of(Area.CLIENTS, Area.APPOINTMENTS, Area.NOTES, Area.ADDITIONAL_NOTES)
EXPIRY_CHECK_MS = 60_000


def copy_text(copy: OfflineCopy, now: dt.datetime) -> str:
    """The status bar's words: offline, the copy's age, until when it may be read."""
    expires = moment_text(clinic_time_of(copy.info.expires_at))
    state = "expired on" if now >= copy.info.expires_at else "readable until"
    return (
        f"Offline · copy taken {moment_text(copy.taken_at)} "
        f"({_age(now - copy.info.taken_at)} ago) · {state} {expires} (clinic time)"
    )


def _age(delta: dt.timedelta) -> str:
    hours = max(int(delta.total_seconds() // 3600), 0)
    if hours < 1:
        return "less than an hour"
    return f"{hours} hour(s)" if hours < 48 else f"{hours // 24} days"


class OfflineWindow(QMainWindow):
    logout_requested = Signal()  # the copy was wiped: back to the login window
    changes_published = Signal(object)  # what changed (drafts, or the whole copy after a sync)
    synced = Signal(object)  # the SyncResult
    sync_failed = Signal(str)

    def __init__(self, session: OfflineSession, *, settings: QSettings) -> None:
        super().__init__()
        self.setObjectName("offline_window")
        self.session, self._settings = session, settings
        actor = session.copy.actor
        self.setWindowTitle(
            f"Clinic back-office — {actor.display_name} (therapist) — offline, "
            f"{session.profile.label}"
        )
        self._build_pages()
        self._build_status()
        self._build_menus()
        self.resize(1280, 800)
        self.sidebar.setCurrentRow(0)

    def _build_pages(self) -> None:
        self.pages: dict[str, QWidget] = {
            "caseload": named(CaseloadPage(OfflineCharts(self.session)), "page_caseload"),
            "drafts": named(DraftsPage(self.session), "page_drafts"),
        }
        self.sidebar = named(QListWidget(), "sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.stack = named(QStackedWidget(), "pages")
        for key, title in (("caseload", "My caseload"), ("drafts", "Drafts")):
            self.stack.addWidget(self.pages[key])
            self.changes_published.connect(self.pages[key].on_changes)  # type: ignore[attr-defined]
            item = QListWidgetItem(page_icon("my_notes" if key == "drafts" else key), title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sidebar.addItem(item)
        self.chart_page = named(OfflineChartPage(self.session), "page_chart")
        self.chart_page.back_requested.connect(self._on_chart_back_requested)
        self.changes_published.connect(self.chart_page.on_changes)
        self.stack.addWidget(self.chart_page)
        self._chart_return: QWidget | None = None
        splitter = named(QSplitter(Qt.Orientation.Horizontal), "main_splitter")
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 1060])
        self.setCentralWidget(splitter)
        self.sidebar.currentRowChanged.connect(self._on_sidebar_current_row_changed)

    def _build_status(self) -> None:
        self.copy_state = named(QLabel(""), "copy_state")
        self.statusBar().addPermanentWidget(self.copy_state)
        self.expiry_timer = QTimer(self, interval=EXPIRY_CHECK_MS)
        self.expiry_timer.timeout.connect(self.check_expiry)
        self.expiry_timer.start()
        self.check_expiry()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.sync_action = menu_action(self, file_menu, "Sync now", self.sync, "Ctrl+Shift+S")
        menu_action(self, file_menu, "Wipe the offline copy…", self._on_wipe_triggered)
        menu_action(self, file_menu, "Log out…", self._on_logout_triggered, "Ctrl+Shift+Q")
        menu_action(
            self, file_menu, "Quit (keep the copy)", self.close, QKeySequence.StandardKey.Quit
        )
        view = self.menuBar().addMenu("&View")
        menu_action(self, view, "Refresh", lambda: self._current_call("refresh"), "F5")
        menu_action(self, view, "Search", lambda: self._current_call("focus_search"), "Ctrl+F")

    # --- pages ------------------------------------------------------------------------------
    def page_keys(self) -> list[str]:
        return list(self.pages)

    def show_page(self, key: str) -> None:
        self.sidebar.setCurrentRow(list(self.pages).index(key))

    def current_page_key(self) -> str:
        if self.stack.currentWidget() is self.chart_page:
            return "chart"
        return list(self.pages)[self.stack.currentIndex()]

    def open_chart(self, **target: object) -> None:
        """Show a client's chart from the copy in place of the page (`chart_links.open_chart`)."""
        if self.stack.currentWidget() is not self.chart_page:
            self._chart_return = self.stack.currentWidget()
        self.chart_page.show_chart(**target)
        self.stack.setCurrentWidget(self.chart_page)

    def _on_chart_back_requested(self) -> None:
        self.stack.setCurrentWidget(self._chart_return or self.pages["caseload"])

    def _on_sidebar_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            self.stack.setCurrentWidget(list(self.pages.values())[row])

    def _current_call(self, name: str) -> None:
        method = getattr(self.stack.currentWidget(), name, None)
        if callable(method):
            method()

    # --- the copy: expiry, sync, wipe -------------------------------------------------------
    def check_expiry(self) -> None:
        now = dt.datetime.now(dt.UTC)
        self.copy_state.setText(copy_text(self.session.copy, now))
        expired = now >= self.session.expires_at
        self.stack.setEnabled(not expired)
        if expired:
            self.statusBar().showMessage(
                "The offline copy has expired and can no longer be read: sync or wipe it."
            )

    def sync(self) -> None:
        self.sync_action.setEnabled(False)
        self.stack.setEnabled(False)  # no draft is saved while the copy is replaced
        self.statusBar().showMessage("Syncing: uploading your drafts, then taking a fresh copy…")
        session = self.session
        run_op(
            lambda: sync_now(session),
            on_success=self._on_synced,
            on_failure=self._on_sync_failed,
            context=self,
        )

    def _on_synced(self, done: tuple[SyncResult, OfflineCopy]) -> None:
        result, copy = done
        self.session.copy = copy
        self.sync_action.setEnabled(True)
        self.check_expiry()
        self.statusBar().showMessage(sync_summary(result))
        self.changes_published.emit(EVERYTHING)
        self.synced.emit(result)

    def _on_sync_failed(self, error: BaseException) -> None:
        sentence = user_message(error)
        self.sync_action.setEnabled(True)
        self.check_expiry()
        self.statusBar().showMessage(f"{sentence} Your drafts stay on this computer.")
        self.sync_failed.emit(sentence)

    def _copy_info(self) -> CopyInfo:
        found = [c for c in list_copies(self.session.login) if c.server == self.session.profile.key]
        return found[0] if found else self.session.copy.info

    def _on_wipe_triggered(self) -> None:
        if confirm_wipe(self, self._copy_info()):
            self.wipe()

    def _on_logout_triggered(self) -> None:
        if confirm_wipe(self, self._copy_info(), logging_out=True):
            self.wipe()

    def wipe(self) -> None:
        """Wipe the copy (the keyring's secret first, then the files) and log out."""
        self.stack.setEnabled(False)
        server, login = self.session.profile.key, self.session.login
        run_op(
            lambda: wipe_copy(server=server, login=login),
            on_success=self._on_wiped,
            on_failure=lambda error: self.statusBar().showMessage(user_message(error)),
            context=self,
        )

    def _on_wiped(self, note: str | None) -> None:
        if note:
            self.statusBar().showMessage(note)
        self.logout_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.expiry_timer.stop()
        super().closeEvent(event)
