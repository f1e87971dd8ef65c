"""ApplicationsPanel: the queue of therapist applications, the application beside its documents and
its history, and below them the decision form (`DecisionForm`: approve / reject / needs information).

The form is checked on the GUI thread with the service's own sentences; the person confirms an
approval; every call goes through `run_op`, and a refusal shows the error's own sentence.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.login import StaffSession
from backoffice.services.permissions import Permission
from backoffice.services.therapists import (
    Application,
    ApplicationRow,
    DecisionRow,
    get_application,
    list_applications,
    list_decisions,
)
from backoffice.ui.pages.decision_form import DecisionForm
from backoffice.ui.qt_helpers import choice_box, named
from backoffice.ui.service_call import call
from backoffice.ui.widgets.action_runner import ActionRunner, show_status
from backoffice.ui.widgets.record_table import record_table, select_record
from backoffice.ui.widgets.record_table_model import Column, RecordTableModel
from backoffice.values import date_text, datetime_text

Confirm = Callable[[QWidget, str], bool]
STATES = (
    ("Pending", "pending"),
    ("Needs information", "needs_information"),
    ("Approved", "approved"),
    ("Rejected", "rejected"),
    ("All", None),
)
COLUMNS: tuple[Column[ApplicationRow], ...] = (
    Column("Applicant", lambda a: a.full_name),
    Column("Email", lambda a: a.email),
    Column("Specialisations", lambda a: ", ".join(a.specialisations)),
    Column(
        "Years",
        lambda a: "" if a.years_of_experience is None else str(a.years_of_experience),
        numeric=True,
    ),
    Column(
        "Weekly capacity",
        lambda a: "" if a.weekly_capacity is None else str(a.weekly_capacity),
        numeric=True,
    ),
    Column("Submitted", lambda a: date_text(a.submitted_at)),
    Column("State", lambda a: a.state.replace("_", " ")),
)


def ask_to_confirm(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(parent, "Therapist application", text)
    return answer == QMessageBox.StandardButton.Yes


def describe(app: Application) -> str:
    """The application as the admin reads it (HTML, every value escaped)."""
    d = app.draft

    def line(label: str, value: object) -> str:
        return f"<tr><td><b>{label}</b></td><td>{html.escape(str(value or '—'))}</td></tr>"

    rows = [
        line("Email", d.email),
        line("Phone", d.phone),
        line("Registration", f"{d.registration_number or '—'} ({d.registration_council or '—'})"),
        line("Specialisations", ", ".join(d.specialisations)),
        line("Languages", ", ".join(d.languages)),
        line("Years of practice", d.years_of_experience),
        line("Weekly capacity", d.weekly_capacity),
        line("Submitted", datetime_text(app.submitted_at)),
        line("State", app.state.replace("_", " ")),
    ]
    if app.decision_message:
        rows.append(line("Last message", app.decision_message))
    bio = html.escape(d.bio or "")
    return f"<h3>{html.escape(d.full_name)}</h3><table>{''.join(rows)}</table><p>{bio}</p>"


def history_text(history: tuple[DecisionRow, ...]) -> str:
    """The decisions taken on an application, one a line (HTML, every value escaped)."""
    lines = [
        f"{datetime_text(d.occurred_at)} · {d.action.replace('_', ' ')} "
        f"by {html.escape(d.actor)}" + (f" · {html.escape(d.message)}" if d.message else "")
        for d in history
    ]
    return "<br>".join(lines) or "No decision yet."


class ApplicationsPanel(QWidget):
    decided = Signal(object)  # ApprovalResult or DecisionResult
    action_failed = Signal(str)  # the sentence shown

    def __init__(
        self,
        session: StaffSession,
        *,
        confirm: Confirm = ask_to_confirm,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self._confirm = session, confirm
        self.model: RecordTableModel[ApplicationRow] = RecordTableModel(COLUMNS)
        self.application: Application | None = None
        self._actions = ActionRunner(
            self, on_changed=self._update_actions, on_failed=self._on_action_failed
        )
        self._search_timer = QTimer(self, singleShot=True, interval=300)
        self._search_timer.timeout.connect(self.refresh)
        self._build()

    def _build(self) -> None:
        self.state_filter = choice_box("applications_state", STATES)
        self.state_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        self.search = named(
            QLineEdit(), "applications_search", placeholderText="Search name or email…"
        )
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.table = record_table("applications_table", self.model)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.status = named(QLabel(), "applications_status", wordWrap=True)
        self.count = named(QLabel(), "applications_count")
        self.decision = DecisionForm()
        self.decision.action_chosen.connect(self.act)
        self.decision.setVisible(self.session.actor.may(Permission.DECIDE_APPLICATIONS))
        layout = QVBoxLayout(self)
        layout.addLayout(self._filter_bar())
        layout.addWidget(self._application_split(), 1)
        layout.addWidget(self.decision)
        layout.addWidget(self.status)
        self._update_actions()

    def _filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.state_filter)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count)
        return bar

    def _application_split(self) -> QSplitter:
        """The queue, the application, and its documents above its history."""
        self.details = named(QTextBrowser(), "application_details", openExternalLinks=False)
        self.documents = named(QListWidget(), "application_documents")
        self.history = named(QLabel(), "application_history", wordWrap=True)
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        documents = QWidget()
        side = QVBoxLayout(documents)
        side.addWidget(QLabel("<b>Documents</b>"))
        side.addWidget(self.documents, 1)
        side.addWidget(QLabel("<b>History</b>"))
        side.addWidget(self.history)
        split = QSplitter(Qt.Orientation.Horizontal)
        for widget, stretch in ((self.table, 3), (self.details, 3), (documents, 2)):
            split.addWidget(widget)
            split.setStretchFactor(split.count() - 1, stretch)
        return split

    # --- loading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        state, search = self.state_filter.currentData(), self.search.text().strip() or None
        self._actions.start(
            lambda: call(self.session, list_applications, state=state, search=search),
            self._on_loaded,
        )

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def is_busy(self) -> bool:
        return self._actions.busy

    def selected(self) -> ApplicationRow | None:
        return self.model.record(self.table.currentIndex().row())

    def select_application(self, application_id: int) -> bool:
        return select_record(
            self.table, self.model, lambda app: app.application_id == application_id
        )

    def _on_loaded(self, rows: tuple[ApplicationRow, ...]) -> None:
        chosen = self.selected()
        self.model.set_records(rows)
        self.table.resizeColumnToContents(0)
        if not (chosen and self.select_application(chosen.application_id)) and rows:
            self.table.setCurrentIndex(self.model.index(0, 0))
        if not rows:
            self._show_application(None)
        self.count.setText(f"{len(rows)} applications" if rows else "No application here")

    def _on_table_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        row = self.model.record(current.row())
        self._show_application(None)
        if row is not None:
            app_id = row.application_id
            self._actions.start(
                lambda: (
                    call(self.session, get_application, application_id=app_id),
                    call(self.session, list_decisions, application_id=app_id),
                ),
                self._on_application_loaded,
            )

    def _on_application_loaded(self, loaded: tuple[Application, tuple[DecisionRow, ...]]) -> None:
        app, history = loaded
        current = self.selected()
        if current is None or current.application_id != app.application_id:
            return  # the person moved on meanwhile
        self._show_application(app)
        self.history.setText(history_text(history))

    def _show_application(self, app: Application | None) -> None:
        self.application = app
        self.details.setHtml(describe(app) if app else "")
        self.documents.clear()
        if app is not None:
            self.documents.addItems(
                [*app.draft.documents, *([f"Photo: {app.draft.photo}"] if app.draft.photo else [])]
            )
        else:
            self.history.setText("")
        self._update_actions()

    # --- deciding -------------------------------------------------------------------------------
    def _update_actions(self) -> None:
        pending = self.application is not None and self.application.state == "pending"
        may = self.session.actor.may(Permission.DECIDE_APPLICATIONS)
        self.decision.enable_actions(may and pending and not self.is_busy())

    def act(self, action: str) -> None:
        """Take `action` ("approve", "reject", "information") on the application shown."""
        app = self.application
        if app is None or app.state != "pending" or self.is_busy():
            return
        problem = self.decision.problem(action)
        if problem:
            show_status(self.status, problem, error=True)
            return
        if action == "approve" and not self._confirm(
            self, f"Approve {app.full_name} as a therapist?"
        ):
            return
        service, options = self.decision.decision(action)
        work = partial(call, self.session, service, application_id=app.application_id, **options)
        self._actions.start(work, self._on_decided)

    def _on_decided(self, result: Any) -> None:
        if hasattr(result, "therapist_id"):
            login = (
                f"; login {result.login_role}, temporary password" if result.login_created else ""
            )
            show_status(
                self.status,
                f"{result.therapist_name} approved as therapist {result.therapist_id}{login}.",
                error=False,
            )
        else:
            show_status(
                self.status,
                f"Application {result.application_id} is now {result.state.replace('_', ' ')}.",
                error=False,
            )
        self.decision.clear()
        self.decided.emit(result)

    # --- plumbing -------------------------------------------------------------------------------
    def _on_action_failed(self, message: str) -> None:
        show_status(self.status, message, error=True)
        self.action_failed.emit(message)
