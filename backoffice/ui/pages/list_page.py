"""A page that is one lazy table over a browsable source: clients, appointments, bookings, audit log.

It loads when it is first shown, not when the window is built, so logging in costs one query.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from backoffice.services.browse import Browser
from backoffice.services.browse_types import TableSource
from backoffice.services.session import StaffSession
from backoffice.ui.widgets.lazy_table_view import LazyTableView


class ListPage(QWidget):
    def __init__(
        self, session: StaffSession, source: TableSource, *, heading: str | None = None
    ) -> None:
        super().__init__()
        browser = Browser(session.unit_of_work, session.actor, source)
        self.table = LazyTableView(browser, parent=self)
        self._opened = False
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{heading or source.title}</h2>"))
        layout.addWidget(self.table, 1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._opened:
            self._opened = True
            self.table.open()

    def refresh(self) -> None:
        self.table.refresh()

    def focus_search(self) -> None:
        self.table.focus_search()

    def close_page(self) -> None:
        self.table.close_page()


def list_page(source: TableSource, heading: str | None = None) -> Callable[[StaffSession], ListPage]:
    """A registry factory: `factory=list_page(CLIENTS)`."""

    def factory(session: StaffSession) -> ListPage:
        return ListPage(session, source, heading=heading)

    return factory
