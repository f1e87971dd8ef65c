"""A page that is one lazy table over a browsable source: clients, appointments, bookings, audit log.

It loads when it is first shown, not when the window is built, so logging in costs one query, and
again when a workflow changed what its source shows.
Row actions (e.g. "Open chart", "Transfer client…") are shown to the roles whose permission they
name and are enabled while a row is current; double-clicking a row runs the one marked for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from backoffice.services.browse import Browser, TableSource
from backoffice.services.login import StaffSession
from backoffice.services.permissions import Permission
from backoffice.ui.chart_links import open_chart
from backoffice.ui.widgets.lazy_parts import LazyPage, LazyParts, Part
from backoffice.ui.widgets.lazy_table_view import LazyTableView


@dataclass(frozen=True)
class RowAction:
    label: str
    permission: Permission
    run: Callable[[ListPage, Any], None]  # (the page, the current row's key)
    on_double_click: bool = False  # what double-clicking a row does


class ListPage(LazyPage):
    def __init__(
        self,
        session: StaffSession,
        source: TableSource,
        *,
        heading: str | None = None,
        row_actions: Sequence[RowAction] = (),
    ) -> None:
        super().__init__()
        self.session = session
        browser = Browser(session.unit_of_work, session.actor, source)
        self.table = LazyTableView(browser, parent=self)
        self.parts = LazyParts(
            self, [Part(source.shows, self.table.refresh, first_load=self.table.open)]
        )
        allowed = [a for a in row_actions if session.actor.may(a.permission)]
        layout = QVBoxLayout(self)
        layout.addLayout(self._header(heading or source.title, allowed))
        layout.addWidget(self.table, 1)
        self.table.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self._default_action = next((a for a in allowed if a.on_double_click), None)
        self.table.table.doubleClicked.connect(self._on_table_double_clicked)

    def _header(self, heading: str, actions: Sequence[RowAction]) -> QHBoxLayout:
        """The heading and a button per row action, enabled while a row is current."""
        header = QHBoxLayout()
        header.addWidget(QLabel(f"<h2>{heading}</h2>"), 1)
        self.action_buttons: dict[str, QPushButton] = {}
        for action in actions:
            button = QPushButton(action.label)
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, a=action: self._run(a))
            header.addWidget(button)
            self.action_buttons[action.label] = button
        return header

    def current_key(self) -> Any:
        index = self.table.table.currentIndex()
        return self.table.model.key(index.row()) if index.isValid() else None

    def focus_search(self) -> None:
        self.table.focus_search()

    def close_page(self) -> None:
        self.table.close_page()

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        for button in self.action_buttons.values():
            button.setEnabled(current.isValid() and self.current_key() is not None)

    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        if self._default_action is not None:
            self._run(self._default_action)

    def _run(self, action: RowAction) -> None:
        key = self.current_key()
        if key is not None:
            action.run(self, key)


def list_page(
    source: TableSource, heading: str | None = None, row_actions: Sequence[RowAction] = ()
) -> Callable[[StaffSession], ListPage]:
    """A registry factory: `factory=list_page(CLIENTS)`."""

    def factory(session: StaffSession) -> ListPage:
        return ListPage(session, source, heading=heading, row_actions=row_actions)

    return factory


def transfer_client(page: ListPage, client_id: Any) -> None:
    """Open the transfer dialog for the client; the list reloads from the transfer's changes."""
    from backoffice.ui.dialogs.transfer_dialog import TransferDialog

    TransferDialog(page.session, client_id=str(client_id), parent=page).open()


TRANSFER_CLIENT = RowAction("Transfer client…", Permission.TRANSFER_CLIENTS, transfer_client)


def chart_action(target: str) -> RowAction:
    """ "Open chart" for rows whose key names a client, a session (booking) or a note."""

    def run(page: ListPage, key: Any) -> None:
        open_chart(page, **{target: key})

    return RowAction("Open chart", Permission.OPEN_CHARTS, run, on_double_click=True)


OPEN_CLIENT_CHART = chart_action("client_id")
OPEN_SESSION_CHART = chart_action("booking_id")
OPEN_NOTE_CHART = chart_action("note_id")
