"""ConsistencyPanel: every disagreement between therapists, users, staff accounts, approved applications
and booking counters, each with what a repair would do; repair the selected one, or all."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.changes import Area
from backoffice.services.login import StaffSession
from backoffice.services.permissions import Permission
from backoffice.services.therapists import (
    SESSIONS_BOOKED_DEFINITIONS,
    ConsistencyReport,
    Inconsistency,
    RepairResult,
    check_consistency,
    choose_sessions_booked_definition,
    repair_inconsistency,
)
from backoffice.ui.qt_helpers import named
from backoffice.ui.service_call import call
from backoffice.ui.widgets.action_runner import ActionRunner
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.ui.widgets.record_table import fit_columns, record_table
from backoffice.ui.widgets.record_table_model import Column, RecordTableModel
from backoffice.values import counted

COLUMNS: tuple[Column[Inconsistency], ...] = (
    Column("Problem", lambda i: i.description),
    Column("Repair", lambda i: i.repair),
    Column("Therapist id", lambda i: i.therapist_id or ""),
)


class ConsistencyPanel(QWidget):
    repaired = Signal(object)  # the RepairResult
    shows = frozenset({Area.THERAPISTS, Area.STAFF, Area.APPLICATIONS})  # what the check compares

    def __init__(self, session: StaffSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model: RecordTableModel[Inconsistency] = RecordTableModel(COLUMNS)
        self._actions = ActionRunner(
            self, on_changed=self._update_actions, on_failed=self._on_action_failed
        )
        self.table = record_table("consistency_table", self.model)
        self.table.setWordWrap(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        self.summary = named(QLabel(), "consistency_summary", wordWrap=True)
        self.status = MessageArea("consistency_status")
        self.status.clear_error_on(self.table.selectionModel().currentRowChanged)
        self.repair_one = named(QPushButton("Repair selected"), "consistency_repair")
        self.repair_all = named(QPushButton("Repair all"), "consistency_repair_all")
        may_repair = session.actor.may(Permission.MANAGE_THERAPISTS)
        for button, everything in ((self.repair_one, False), (self.repair_all, True)):
            button.setVisible(may_repair)
            button.clicked.connect(lambda _checked=False, e=everything: self.repair(everything=e))
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        for button in (self._counts_button(may_repair), self.repair_one, self.repair_all):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._update_actions()

    def _counts_button(self, visible: bool) -> QPushButton:
        self.counts = named(QPushButton("Sessions booked counts…"), "consistency_counts")
        self.counts.setToolTip("What therapists' 'sessions booked' counts in this clinic")
        self.counts.setVisible(visible)
        self.counts.clicked.connect(self.ask_what_sessions_booked_counts)
        self.counts_dialog: QInputDialog | None = None
        return self.counts

    def ask_what_sessions_booked_counts(self) -> None:
        """An admin says what the clinic's counter means; the check then compares with it."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle("What sessions booked counts")
        dialog.setLabelText("In this clinic, a therapist's 'sessions booked' counts:")
        dialog.setComboBoxItems([d.description for d in SESSIONS_BOOKED_DEFINITIONS])
        dialog.textValueSelected.connect(self._on_counts_chosen)
        self.counts_dialog = dialog
        dialog.open()

    def _on_counts_chosen(self, description: str) -> None:
        chosen = next(d for d in SESSIONS_BOOKED_DEFINITIONS if d.description == description)
        work = partial(call, self.session, choose_sessions_booked_definition, definition=chosen.key)
        self._actions.start(work, lambda _result: self.refresh())

    def refresh(self) -> None:
        self._actions.start(partial(call, self.session, check_consistency), self._on_checked)

    def is_busy(self) -> bool:
        return self._actions.busy

    def _on_checked(self, report: ConsistencyReport) -> None:
        self.model.set_records(report.issues)
        fit_columns(self.table, widest=480)
        self.table.resizeRowsToContents()
        self.summary.setText(
            f"{counted(report.therapists_checked, 'therapist')} checked: "
            + (
                f"{counted(len(report.issues), 'disagreement')}."
                if report.issues
                else "everything agrees."
            )
        )

    def repair(self, *, everything: bool) -> None:
        chosen = self.model.record(self.table.currentIndex().row())
        if self.is_busy() or (chosen is None and not everything):
            return
        options: dict[str, Any] = {"repair_all": True} if everything else {"key": chosen.key}  # type: ignore[union-attr]
        self._actions.start(
            partial(call, self.session, repair_inconsistency, **options), self._on_repaired
        )

    def _on_repaired(self, result: RepairResult) -> None:
        self.status.show_info(f"Repaired {counted(len(result.repaired), 'disagreement')}.")
        self.repaired.emit(result)

    def _update_actions(self) -> None:
        chosen = self.model.record(self.table.currentIndex().row())
        self.repair_one.setEnabled(chosen is not None and chosen.repairable and not self.is_busy())
        repairable = any(issue.repairable for issue in self.model.records)
        self.repair_all.setEnabled(repairable and not self.is_busy())
        self.counts.setEnabled(not self.is_busy())

    def _on_action_failed(self, message: str) -> None:
        self.status.show_error(message)
