"""RegistrationDialog: a therapist's registration (body, number, expiry) and its history; an admin
records a renewed or corrected one, which replaces the current one (the old one stays listed).

Loading and saving run on workers (`therapists.list_registrations`, `record_registration`); a
refusal is shown as the service's own sentence and the dialog stays open.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.login import StaffSession
from backoffice.services.therapists import (
    Registration,
    RegistrationResult,
    list_registrations,
    record_registration,
)
from backoffice.ui.qt_helpers import named
from backoffice.ui.service_call import call
from backoffice.ui.widgets.action_runner import ActionRunner
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.values import date_text


def registration_line(r: Registration) -> str:
    """One line of the history: "RCI A12345, expires 2027-01-31 (current: within 30 days)"."""
    when = "current" if r.is_current else "replaced"
    state = f": {r.state}" if r.is_current else ""
    return (
        f"{r.body} {r.number}, expires {date_text(r.expires_on)} ({when}{state}); "
        f"recorded by {r.recorded_by}"
    )


class RegistrationDialog(QDialog):
    recorded = Signal(object)  # the RegistrationResult

    def __init__(
        self, session: StaffSession, *, therapist_id: str, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Registration of {name}")
        self.session, self.therapist_id = session, therapist_id
        self.history: tuple[Registration, ...] = ()
        self._actions = ActionRunner(self, on_changed=self._update, on_failed=self._on_failed)
        self._build()
        self._actions.start(
            partial(call, session, list_registrations, therapist_id=therapist_id, history=True),
            self._on_loaded,
        )

    def _build(self) -> None:
        self.body = named(QLineEdit(), "registration_body", placeholderText="Professional body")
        self.number = named(QLineEdit(), "registration_number")
        self.expires = named(QDateEdit(), "registration_expires", calendarPopup=True)
        self.expires.setDisplayFormat("yyyy-MM-dd")
        self.expires.setDate(QDate.currentDate().addYears(1))
        self.list = named(QListWidget(), "registration_history")
        self.status = MessageArea("registration_status")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Registered with:", self.body)
        form.addRow("Number:", self.number)
        form.addRow("Expires on:", self.expires)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("History (newest first):"))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def is_busy(self) -> bool:
        return self._actions.busy

    def _on_loaded(self, history: tuple[Registration, ...]) -> None:
        self.history = history
        self.list.clear()
        self.list.addItems([registration_line(r) for r in history])
        current = next((r for r in history if r.is_current), None)
        if current is not None:
            self.body.setText(current.body)
            self.number.setText(current.number)
            e = current.expires_on
            self.expires.setDate(QDate(e.year, e.month, e.day))
            self._say(f"Current: {registration_line(current)}.", error=current.expired)
        else:
            self._say("No registration recorded yet.", error=False)

    def save(self) -> None:
        """Record what the form says; it replaces the current registration."""
        if self.is_busy():
            return
        expires: dt.date = self.expires.date().toPython()  # type: ignore[assignment]
        work = partial(
            call,
            self.session,
            record_registration,
            therapist_id=self.therapist_id,
            body=self.body.text(),
            number=self.number.text(),
            expires_on=expires,
        )
        self._actions.start(work, self._on_recorded)

    def _on_recorded(self, result: RegistrationResult) -> None:
        self.recorded.emit(result)
        self.accept()

    def _on_failed(self, message: str) -> None:
        self._say(message, error=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.status.show_message(text, error=error)  # its "error" property, for tests

    def _update(self) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not self.is_busy())
