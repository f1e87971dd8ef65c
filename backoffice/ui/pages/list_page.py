"""A page that is one lazy table over a browsable source: clients, appointments, bookings, audit log.

It loads when it is first shown, not when the window is built, so logging in costs one query, and
again when a workflow changed what its source shows. A source with a moment per row (appointments,
bookings) opens on what is to come, from today on, soonest first; "Past" and "All" are a click away.
Row actions (e.g. "Open chart", "Transfer client…") are shown to the roles whose permission they
name and are enabled only while a row is current; double-clicking a row runs the one marked for it;
what they did is said in the page's message area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from backoffice.services.browse import BrowseQuery, Browser, Filter, TableSource
from backoffice.services.login import StaffSession
from backoffice.services.permissions import Permission
from backoffice.ui.chart_links import open_chart
from backoffice.ui.qt_helpers import choice_box
from backoffice.ui.widgets.lazy_parts import LazyPage, LazyParts, Part
from backoffice.ui.widgets.lazy_table_view import LazyTableView
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.values import clinic_today

WHEN = (("To come, from today", "upcoming"), ("Past", "past"), ("All", "all"))


@dataclass(frozen=True)
class RowAction:
    label: str
    permission: Permission
    run: Callable[[ListPage, Any], None]  # (the page, the current row's key)
    on_double_click: bool = False  # what double-clicking a row does


def when_query(column: str, choice: str, today: dt.date) -> BrowseQuery:
    """The query of "to come" (from today's start, soonest first), "past" (latest first) or all."""
    start = dt.datetime.combine(today, dt.time())
    if choice == "upcoming":
        return BrowseQuery(sort=column, filters=(Filter(column, "range", low=start),))
    if choice == "past":
        before = start - dt.timedelta(microseconds=1)
        return BrowseQuery(
            sort=column, descending=True, filters=(Filter(column, "range", high=before),)
        )
    return BrowseQuery()


class ListPage(LazyPage):
    def __init__(
        self,
        session: StaffSession,
        source: TableSource,
        *,
        heading: str | None = None,
        row_actions: Sequence[RowAction] = (),
        when: str | None = None,
    ) -> None:
        super().__init__()
        self.session, self.when_column = session, when
        browser = Browser(session.unit_of_work, session.actor, source)
        self.table = LazyTableView(browser, parent=self)
        self.parts = LazyParts(
            self, [Part(source.shows, self.table.refresh, first_load=self._open)]
        )
        self.message = MessageArea("page_message")
        self.when = choice_box("when_filter", WHEN)
        self.when.setVisible(when is not None)
        self.when.currentIndexChanged.connect(lambda _index: self._apply_when())
        allowed = [a for a in row_actions if session.actor.may(a.permission)]
        layout = QVBoxLayout(self)
        layout.addLayout(self._header(heading or source.title, allowed))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self._connect(allowed)

    def _connect(self, allowed: Sequence[RowAction]) -> None:
        model, selection = self.table.model, self.table.table.selectionModel()
        selection.currentRowChanged.connect(self._update_actions)
        model.modelReset.connect(self._update_actions)
        model.loading_changed.connect(self._update_actions)
        self.message.clear_error_on(selection.currentRowChanged)
        self._default_action = next((a for a in allowed if a.on_double_click), None)
        self.table.table.doubleClicked.connect(self._on_table_double_clicked)

    def _header(self, heading: str, actions: Sequence[RowAction]) -> QHBoxLayout:
        """The heading, the "when" choice and a button per row action, enabled while a row is
        current."""
        header = QHBoxLayout()
        header.addWidget(QLabel(f"<h2>{heading}</h2>"), 1)
        header.addWidget(self.when)
        self.action_buttons: dict[str, QPushButton] = {}
        for action in actions:
            button = QPushButton(action.label)
            button.setEnabled(False)
            button.setToolTip("Select a row first.")
            button.clicked.connect(lambda _=False, a=action: self._run(a))
            header.addWidget(button)
            self.action_buttons[action.label] = button
        return header

    def _open(self) -> None:
        if self.when_column is None:
            self.table.open()
        else:
            self._apply_when()

    def _apply_when(self) -> None:
        if self.when_column is not None:
            choice = self.when.currentData()
            self.table.model.set_query(when_query(self.when_column, choice, clinic_today()))
            self.table.table.show_sort_indicator()

    def current_key(self) -> Any:
        index = self.table.table.currentIndex()
        return self.table.model.key(index.row()) if index.isValid() else None

    def focus_search(self) -> None:
        self.table.focus_search()

    def close_page(self) -> None:
        self.table.close_page()

    def _update_actions(self, *_args: object) -> None:
        """An action acts on the current row: off, and saying so, while there is none."""
        has_row = self.current_key() is not None and not self.table.model.loading
        for button in self.action_buttons.values():
            button.setEnabled(has_row)
            button.setToolTip("" if has_row else "Select a row first.")

    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        if self._default_action is not None:
            self._run(self._default_action)

    def _run(self, action: RowAction) -> None:
        key = self.current_key()
        if key is not None:
            self.message.clear()
            action.run(self, key)


def list_page(
    source: TableSource,
    heading: str | None = None,
    row_actions: Sequence[RowAction] = (),
    *,
    when: str | None = None,
) -> Callable[[StaffSession], ListPage]:
    """A registry factory: `factory=list_page(CLIENTS)`, `list_page(BOOKINGS, when="…")`."""

    def factory(session: StaffSession) -> ListPage:
        return ListPage(session, source, heading=heading, row_actions=row_actions, when=when)

    return factory


def transfer_client(page: ListPage, client_id: Any) -> None:
    """Open the transfer dialog for the client; the list reloads from the transfer's changes and
    the page says what moved."""
    from backoffice.ui.dialogs.transfer_dialog import TransferDialog, transfer_words

    dialog = TransferDialog(page.session, client_id=str(client_id), parent=page)
    dialog.transferred.connect(lambda result: page.message.show_info(transfer_words(result)))
    dialog.open()


TRANSFER_CLIENT = RowAction("Transfer client…", Permission.TRANSFER_CLIENTS, transfer_client)


def chart_action(target: str) -> RowAction:
    """ "Open chart" for rows whose key names a client, a session (booking) or a note."""

    def run(page: ListPage, key: Any) -> None:
        open_chart(page, **{target: key})

    return RowAction("Open chart", Permission.OPEN_CHARTS, run, on_double_click=True)


OPEN_CLIENT_CHART = chart_action("client_id")
OPEN_SESSION_CHART = chart_action("booking_id")
OPEN_NOTE_CHART = chart_action("note_id")
