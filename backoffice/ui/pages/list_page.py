"""A page that is one lazy table over a browsable source: clients, appointments, bookings, audit log.

It loads when it is first shown, not when the window is built, so logging in costs one query, and
again when a workflow changed what its source shows.
Row actions (e.g. "Transfer client…") are shown to the roles whose permission they name and are
enabled while a row is current.
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
from backoffice.ui.widgets.lazy_parts import LazyPage, LazyParts, Part
from backoffice.ui.widgets.lazy_table_view import LazyTableView


@dataclass(frozen=True)
class RowAction:
    label: str
    permission: Permission
    run: Callable[[ListPage, Any], None]  # (the page, the current row's key)


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
        header = QHBoxLayout()
        header.addWidget(QLabel(f"<h2>{heading or source.title}</h2>"), 1)
        self.action_buttons: dict[str, QPushButton] = {}
        for action in row_actions:
            if session.actor.may(action.permission):
                button = QPushButton(action.label)
                button.setEnabled(False)
                button.clicked.connect(lambda _=False, a=action: self._run(a))
                header.addWidget(button)
                self.action_buttons[action.label] = button
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.table, 1)
        self.table.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

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
