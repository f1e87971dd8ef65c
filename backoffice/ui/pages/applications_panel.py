"""ApplicationsPanel: the queue of therapist applications, the application beside its photo,
documents and history, and below them the decision form (`DecisionForm`: approve / reject / needs
information).

The form is checked on the GUI thread with the service's own sentences; the person confirms an
approval; every call goes through `run_op`; the panel's message area says what was decided, or the
refusal's own sentence. The form empties whenever another application is shown or one is decided,
so nothing typed for one applicant reaches the next.
"""

from __future__ import annotations

import html
from functools import partial
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from backoffice.ui.dialogs.questions import Confirm, confirm
from backoffice.ui.pages.decision_form import DecisionForm
from backoffice.ui.qt_helpers import choice_box, named
from backoffice.ui.service_call import call
from backoffice.ui.widgets.action_runner import ActionRunner
from backoffice.ui.widgets.applicant_files import ApplicantFiles
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.ui.widgets.record_table import fit_columns, record_table, select_record
from backoffice.ui.widgets.record_table_model import Column, RecordTableModel
from backoffice.values import counted, date_text, datetime_text

DECIDE_WORDS = {"approve": "Approve", "reject": "Reject", "information": "Ask"}
STATES = (
    ("Pending", "pending"),
    ("Needs information", "needs_information"),
    ("Approved", "approved"),
    ("Rejected", "rejected"),
    ("All", None),
)
COLUMNS: tuple[Column[ApplicationRow], ...] = (
    Column("Applicant", lambda a: a.full_name),
    Column("Submitted", lambda a: date_text(a.submitted_at)),
    Column("State", lambda a: a.state.replace("_", " ")),
    Column(
        "Years in practice",
        lambda a: "" if a.years_of_experience is None else str(a.years_of_experience),
        numeric=True,
    ),
    Column("Specialisations", lambda a: ", ".join(a.specialisations)),
)


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
        line("Submitted", datetime_text(app.submitted_at, zone=True)),
        line("State", app.state.replace("_", " ")),
    ]
    if app.decision_message:
        rows.append(line("Last message", app.decision_message))
    bio = html.escape(d.bio or "")
    return f"<h3>{html.escape(d.full_name)}</h3><table>{''.join(rows)}</table><p>{bio}</p>"


def history_text(history: tuple[DecisionRow, ...]) -> str:
    """The decisions taken on an application, one a line (HTML, every value escaped)."""
    lines = [
        f"{datetime_text(d.occurred_at, zone=True)} · {d.action.replace('_', ' ')} "
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
        confirm: Confirm = confirm,
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
        self.status = MessageArea("applications_status")
        self.count = named(QLabel(), "applications_count")
        self.decision = DecisionForm()
        self.decision.action_chosen.connect(self.act)
        self.decision.setVisible(self.session.actor.may(Permission.DECIDE_APPLICATIONS))
        self.status.clear_error_on(
            self.table.selectionModel().currentRowChanged, self.decision.edited
        )
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
        """The queue, the application, and its photo and documents above its history."""
        self.details = named(QTextBrowser(), "application_details", openExternalLinks=False)
        self.files = ApplicantFiles(self.session)
        self.files.message.connect(self.status.show_message)
        self.documents, self.history = self.files.documents, self.files.history
        split = named(QSplitter(Qt.Orientation.Horizontal), "applications_split")
        for widget, stretch in ((self.table, 4), (self.details, 3), (self.files, 2)):
            split.addWidget(widget)
            split.setStretchFactor(split.count() - 1, stretch)
        split.setChildrenCollapsible(False)
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
        """Anything on its way: a load, a decision, a photo."""
        return self._actions.busy or self.files.is_busy()

    def selected(self) -> ApplicationRow | None:
        return self.model.record(self.table.currentIndex().row())

    def select_application(self, application_id: int) -> bool:
        return select_record(
            self.table, self.model, lambda app: app.application_id == application_id
        )

    def _on_loaded(self, rows: tuple[ApplicationRow, ...]) -> None:
        chosen = self.selected()
        self.model.set_records(rows)
        fit_columns(self.table, widest=220)
        if not (chosen and self.select_application(chosen.application_id)) and rows:
            self.table.setCurrentIndex(self.model.index(0, 0))
        if not rows:
            self._show_application(None)
        self.count.setText(counted(len(rows), "application") if rows else "No application here")

    def _on_table_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        row = self.model.record(current.row())
        self._show_application(None)
        self.decision.clear()  # what was typed for the last applicant is not for this one
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
        self._show_application(app, history_text(history))

    def _show_application(self, app: Application | None, history: str = "") -> None:
        self.application = app
        empty = "Select an application to read it." if self.model.records else ""
        self.details.setHtml(describe(app) if app else f"<p style='color: gray'>{empty}</p>")
        self.files.show_application(app, history)
        self._update_actions()

    # --- deciding -------------------------------------------------------------------------------
    def _update_actions(self) -> None:
        pending = self.application is not None and self.application.state == "pending"
        may = self.session.actor.may(Permission.DECIDE_APPLICATIONS)
        self.decision.enable_actions(may and pending and not self._actions.busy)

    def act(self, action: str) -> None:
        """Take `action` ("approve", "reject", "information") on the application shown."""
        app = self.application
        if app is None or app.state != "pending" or self._actions.busy:
            return
        problem = self.decision.problem(action)
        if problem:
            self.status.show_error(problem)
            return
        question = self.decision.question(action, app.full_name)
        if question and not self._confirm(
            self, question, title="Therapist application", action=DECIDE_WORDS[action]
        ):
            return
        service, options = self.decision.decision(action)
        work = partial(call, self.session, service, application_id=app.application_id, **options)
        self._actions.start(work, self._on_decided)

    def _on_decided(self, result: Any) -> None:
        if hasattr(result, "therapist_id"):
            login = (
                f" They log in to the back-office as {result.login_role} with the temporary "
                "password, and choose their own at the first login."
                if result.login_created
                else ""
            )
            self.status.show_info(
                f"{result.therapist_name} is now a therapist of the clinic.{login}"
            )
        else:
            name = self.application.full_name if self.application else "The applicant"
            said = {"rejected": "is rejected", "needs_information": "is asked for more information"}
            self.status.show_info(f"{name} {said.get(result.state, 'is ' + result.state)}.")
        self.decision.clear()
        self.decided.emit(result)

    # --- plumbing -------------------------------------------------------------------------------
    def _on_action_failed(self, message: str) -> None:
        self.status.show_error(message)
        self.action_failed.emit(message)
