"""ReportFields: the period, therapist or client, file format and page size of the report to run.

Only the fields the chosen report takes are shown (the page size only for a PDF; the password,
asked twice, only for a clinical report saved as PDF); the page that holds them runs the report
with `arguments()`, once `password()` has said whether the two entries make one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from backoffice.errors import ValidationError
from backoffice.services.reports import PAGE_SIZES, ReportInfo, check_report_password
from backoffice.ui.qt_helpers import choice_box, named
from backoffice.values import QT_DATE_FORMAT, clinic_today, iso_date

FORMATS = (("PDF", "pdf"), ("CSV", "csv"), ("Excel workbook (XLSX)", "xlsx"))
PASSWORD_WHY = (
    "The report holds clients' health information: whoever finds the file, on a lost laptop or "
    "in a forwarded email, needs this password to open it (AES-256). It is not stored anywhere; "
    "give it to the recipient another way, by phone rather than in the same email."
)


class ReportFields(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        today = clinic_today()
        first = QDate(today.year, today.month, 1).addMonths(-1)  # last month, by default
        self.from_date = named(_date_edit(first), "reports_from")
        self.to_date = named(_date_edit(first.addMonths(1).addDays(-1)), "reports_to")
        self.therapist = choice_box("reports_therapist", (("All therapists", None),))
        self.client = named(QLineEdit(), "reports_client", placeholderText="e.g. C100001")
        self.format = choice_box("reports_format", FORMATS)
        self.page_size = named(QComboBox(), "reports_page_size")
        self.page_size.addItems(list(PAGE_SIZES))
        self.form = QFormLayout(self)
        self.form.addRow("From:", self.from_date)
        self.form.addRow("To (included):", self.to_date)
        self.form.addRow("Therapist:", self.therapist)
        self.form.addRow("Client's id:", self.client)
        self.form.addRow("Format:", self.format)
        self.form.addRow("Page size:", self.page_size)
        self._password_rows()

    def _password_rows(self) -> None:
        self.protect = named(QCheckBox("Protect the PDF with a password"), "reports_protect")
        self.protect.setChecked(True)  # a clinical report is protected unless one says otherwise
        self.password_first = _password_edit("reports_password")
        self.password_again = _password_edit("reports_password_again")
        self.password_why = named(QLabel(PASSWORD_WHY), "reports_password_why", wordWrap=True)
        self.form.addRow("", self.protect)
        self.form.addRow("Password:", self.password_first)
        self.form.addRow("Same again:", self.password_again)
        self.form.addRow("", self.password_why)

    def show_rows_for(self, info: ReportInfo | None) -> None:
        """Show the fields `info` takes; the page size only for a PDF."""
        self.form.setRowVisible(self.therapist, bool(info and info.takes_therapist))
        self.form.setRowVisible(self.client, bool(info and info.needs_client))
        self.form.setRowVisible(self.page_size, self.format.currentData() == "pdf")
        protectable = bool(info and info.clinical) and self.format.currentData() == "pdf"
        self.form.setRowVisible(self.protect, protectable)
        for row in (self.password_first, self.password_again, self.password_why):
            self.form.setRowVisible(row, protectable and self.protect.isChecked())

    def password(self, info: ReportInfo) -> str | None:
        """The PDF's password when it is to be protected: both entries the same and a password
        `check_report_password` accepts; otherwise ValidationError with one sentence."""
        if not (info.clinical and self.format.currentData() == "pdf" and self.protect.isChecked()):
            return None
        first = self.password_first.text()
        if first != self.password_again.text():
            raise ValidationError("The two passwords differ: type the same password twice.")
        return check_report_password(first)

    def set_editable(self, editable: bool) -> None:
        for widget in (
            self.from_date,
            self.to_date,
            self.therapist,
            self.client,
            self.format,
            self.page_size,
            self.protect,
            self.password_first,
            self.password_again,
        ):
            widget.setEnabled(editable)

    def offer_therapists(self, therapists: tuple[tuple[str, str], ...]) -> None:
        for therapist_id, name in therapists:
            self.therapist.addItem(f"{name} ({therapist_id})", therapist_id)

    def file_name(self, info: ReportInfo) -> str:
        """The file a run of `info` is offered to be saved as: name, period and format."""
        start, end = _day(self.from_date), _day(self.to_date)
        return f"{info.name}_{iso_date(start)}_{iso_date(end)}.{self.format.currentData()}"

    def arguments(self, info: ReportInfo, path: Path) -> dict[str, Any]:
        """`run_report`'s arguments for `info` written to `path`, from the fields it takes."""
        return {
            "name": info.name,
            "path": path,
            "page_size": self.page_size.currentText(),
            "period_from": self.from_date.date().toPython(),
            "period_to": self.to_date.date().toPython(),
            "therapist_id": self.therapist.currentData() if info.takes_therapist else None,
            "client_id": (self.client.text().strip() or None) if info.needs_client else None,
        }


def _password_edit(name: str) -> QLineEdit:
    edit = named(QLineEdit(), name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _date_edit(value: QDate) -> QDateEdit:
    edit = QDateEdit(value)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(QT_DATE_FORMAT)
    return edit


def _day(edit: QDateEdit) -> dt.date:
    day = edit.date().toPython()
    assert isinstance(day, dt.date)
    return day
