"""The main window: a sidebar with the pages of the person's role, and the page beside it.

The window title names the person, their role and the server, never a secret. QSettings keeps
the geometry and the splitter. The window locks (Ctrl+L, or after the idle time): its content,
its dialogs and the title's person give way to a lock page until the password is typed. What a workflow
changed is published on `changes_published` (by `ui.tasks.run_op`), and every page that shows it
reloads its part (`on_changes`).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolTip,
    QWidget,
)

from backoffice.services.login import StaffSession
from backoffice.ui.connection_monitor import ConnectionMonitor
from backoffice.ui.dialogs.questions import ENDS_WHEN_LOCKED
from backoffice.ui.help_menu import HelpMenu
from backoffice.ui.idle_lock import IdleLock
from backoffice.ui.lock_page import LockPage
from backoffice.ui.offline_actions import add_offline_menu
from backoffice.ui.pages.chart_page import ChartPage
from backoffice.ui.pages.empty_page import EmptyPage
from backoffice.ui.pages.registry import PageSpec, pages_for
from backoffice.ui.qt_helpers import menu_action, named
from backoffice.ui.theme import page_icon


class MainWindow(QMainWindow):
    logout_requested = Signal(bool)  # forget the remembered password?
    changes_published = Signal(object)  # the Changes a workflow made, for every page to reload

    def __init__(
        self, session: StaffSession, *, settings: QSettings, idle_minutes: int = 15
    ) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.session, self._settings = session, settings
        actor = session.actor
        self._title = f"Clinic back-office — {actor.display_name} ({actor.role.value}) — {session.profile.label}"
        self.setWindowTitle(self._title)
        self._build_pages()
        self._build_screens()
        self._watch_connection()
        self._build_menus()
        self.idle_lock = IdleLock(self, minutes=idle_minutes)
        self.idle_lock.idle.connect(self.lock)
        self._restore_layout()
        self.sidebar.setCurrentRow(0)

    def _build_pages(self) -> None:
        """The sidebar of the pages the person's role may see, beside the page chosen."""
        self.pages: dict[str, QWidget] = {}
        self.sidebar = named(QListWidget(), "sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setSpacing(2)
        self.stack = named(QStackedWidget(), "pages")
        for spec in pages_for(self.session.actor):
            self._add_page(spec)
        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "main_splitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.sidebar.currentRowChanged.connect(self._on_sidebar_current_row_changed)
        self.sidebar.itemClicked.connect(lambda _item: self._on_sidebar_current_row_changed())
        self.chart_page: ChartPage | None = None
        self._chart_return: QWidget | None = None

    def _build_screens(self) -> None:
        """The content, or in its place the lock page."""
        self.lock_page = LockPage(self.session)
        self.lock_page.unlocked.connect(self.unlock)
        self.screens = named(QStackedWidget(), "screens")
        self.screens.addWidget(self.splitter)
        self.screens.addWidget(self.lock_page)
        self.setCentralWidget(self.screens)
        self._hidden_dialogs: list[QDialog] = []

    def _watch_connection(self) -> None:
        """The connection's state in the status bar; the page reloads once it is back."""
        self.connection = ConnectionMonitor(self.session, self)
        self.connection_state = named(QLabel(self.connection.text), "connection_state")
        self.connection.state_changed.connect(self.connection_state.setText)
        self.connection.reconnected.connect(self._on_refresh_triggered)
        self.statusBar().addPermanentWidget(self.connection_state)

    def page_keys(self) -> list[str]:
        return list(self.pages)

    def show_page(self, key: str) -> None:
        self.sidebar.setCurrentRow(list(self.pages).index(key))

    def current_page_key(self) -> str:
        if self.chart_page is not None and self.stack.currentWidget() is self.chart_page:
            return "chart"
        return list(self.pages)[self.stack.currentIndex()]

    def _on_sidebar_current_row_changed(self, _row: int = -1) -> None:
        row = self.sidebar.currentRow()
        if 0 <= row < len(self.pages):
            self.stack.setCurrentWidget(list(self.pages.values())[row])

    def open_chart(self, **target: object) -> None:
        """Show a client's chart in place of the page (`chart_links.open_chart` asks for it);
        Back returns to the page it was opened from."""
        chart = self._chart()
        if self.stack.currentWidget() is not chart:
            self._chart_return = self.stack.currentWidget()
        chart.show_chart(**target)
        self.stack.setCurrentWidget(chart)

    def _chart(self) -> ChartPage:
        if self.chart_page is None:
            self.chart_page = named(ChartPage(self.session), "page_chart")
            self.chart_page.back_requested.connect(self._on_chart_back_requested)
            self.changes_published.connect(self.chart_page.on_changes)
            self.stack.addWidget(self.chart_page)
        return self.chart_page

    def _on_chart_back_requested(self) -> None:
        back = self._chart_return
        if back is None:
            self._on_sidebar_current_row_changed()
        else:
            self.stack.setCurrentWidget(back)

    def _add_page(self, spec: PageSpec) -> None:
        page = (
            spec.factory(self.session) if spec.factory else EmptyPage(spec.title, spec.empty_state)
        )
        page.setObjectName(f"page_{spec.key}")
        self.pages[spec.key] = page
        self.stack.addWidget(page)
        on_changes = getattr(page, "on_changes", None)
        if callable(on_changes):
            self.changes_published.connect(on_changes)
        item = QListWidgetItem(page_icon(spec.key), spec.title)
        item.setData(Qt.ItemDataRole.UserRole, spec.key)
        self.sidebar.addItem(item)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        menu_action(
            self, file_menu, "Log out…", self._on_logout_triggered, QKeySequence("Ctrl+Shift+Q")
        )
        self.lock_action = menu_action(self, file_menu, "Lock", self.lock, QKeySequence("Ctrl+L"))
        menu_action(self, file_menu, "Quit", self.close, QKeySequence.StandardKey.Quit)
        view_menu = self.menuBar().addMenu("&View")
        self.refresh_action = menu_action(
            self, view_menu, "Refresh", self._on_refresh_triggered, QKeySequence("F5")
        )
        self.refresh_action.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+R")])
        menu_action(
            self, view_menu, "Search", self._on_search_triggered, QKeySequence.StandardKey.Find
        )
        menu_action(
            self, view_menu, "Next page", lambda: self._step(1), QKeySequence("Ctrl+PgDown")
        )
        menu_action(
            self, view_menu, "Previous page", lambda: self._step(-1), QKeySequence("Ctrl+PgUp")
        )
        self.view_menu = view_menu
        self.offline_menu = add_offline_menu(self, self.session)
        self.help = HelpMenu(self, self.session.actor, self._settings)
        self.menuBar().addMenu(self.help.menu)

    def _current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _on_refresh_triggered(self) -> None:
        refresh = getattr(self._current_page(), "refresh", None)
        if callable(refresh):
            refresh()

    def _on_search_triggered(self) -> None:
        focus_search = getattr(self._current_page(), "focus_search", None)
        if callable(focus_search):
            focus_search()

    def _step(self, delta: int) -> None:
        row = (self.sidebar.currentRow() + delta) % max(self.sidebar.count(), 1)
        self.sidebar.setCurrentRow(row)

    # --- the lock ---------------------------------------------------------------------------------
    def is_locked(self) -> bool:
        return self.screens.currentWidget() is self.lock_page

    def lock(self) -> None:
        """Hide everything of the clinic (pages, open dialogs, passing messages) behind the lock page."""
        if self.is_locked():
            return
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        QToolTip.hideText()
        shown = [d for d in self.findChildren(QDialog) if d.isVisible()]
        for dialog in shown:
            dialog.hide()  # a question waiting in exec() ends, as if cancelled
        self._hidden_dialogs = [d for d in shown if not d.property(ENDS_WHEN_LOCKED)]
        self.statusBar().clearMessage()
        self.screens.setCurrentWidget(self.lock_page)
        self.setWindowTitle("Clinic back-office — locked")
        self._set_menus_enabled(False)
        self.idle_lock.pause()
        self.lock_page.begin()

    def unlock(self) -> None:
        self.screens.setCurrentWidget(self.splitter)
        self.setWindowTitle(self._title)
        self._set_menus_enabled(True)
        for dialog in self._hidden_dialogs:
            if shiboken6.isValid(dialog):  # a file dialog deletes itself once answered
                dialog.show()
        self._hidden_dialogs = []
        self.idle_lock.resume()

    def _set_menus_enabled(self, enabled: bool) -> None:
        """Locked, only File (log out, quit) and Help stay: nothing of the clinic's is reached."""
        self.lock_action.setEnabled(enabled)
        for menu in (self.view_menu, self.offline_menu):
            if menu is not None:
                menu.setEnabled(enabled)
                for action in menu.actions():
                    action.setEnabled(enabled)

    def _on_logout_triggered(self) -> None:
        from backoffice.ui.dialogs.logout_dialog import LogoutDialog
        from backoffice.ui.offline_actions import copy_here, wipe_in_background

        dialog = LogoutDialog(self, offline_copy=copy_here(self.session))
        if dialog.exec():
            if dialog.wipe_offline_copy():
                wipe_in_background(self.session)
            self.logout_requested.emit(dialog.forget_password())

    def _restore_layout(self) -> None:
        geometry = self._settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        splitter = self._settings.value("main_window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([220, 1060])

    def save_layout(self) -> None:
        self._settings.setValue("main_window/geometry", self.saveGeometry())
        self._settings.setValue("main_window/splitter", self.splitter.saveState())
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.idle_lock.stop()
        self.connection.stop()
        super().closeEvent(event)
