"""ReportFields: the period, therapist or client, file format and page size of the report to run.

Only the fields the chosen report takes are shown (the page size only for a PDF); the page that
holds them runs the report with `arguments()`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QFormLayout, QLineEdit, QWidget

from backoffice.services.reports import PAGE_SIZES, ReportInfo
from backoffice.ui.qt_helpers import choice_box, named
from backoffice.values import date_text

FORMATS = (("PDF", "pdf"), ("CSV", "csv"), ("Excel workbook (XLSX)", "xlsx"))


class ReportFields(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        today = QDate.currentDate()
        first = QDate(today.year(), today.month(), 1).addMonths(-1)  # last month, by default
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
        self.form.addRow("Client id:", self.client)
        self.form.addRow("Format:", self.format)
        self.form.addRow("Page size:", self.page_size)

    def show_rows_for(self, info: ReportInfo | None) -> None:
        """Show the fields `info` takes; the page size only for a PDF."""
        self.form.setRowVisible(self.therapist, bool(info and info.takes_therapist))
        self.form.setRowVisible(self.client, bool(info and info.needs_client))
        self.form.setRowVisible(self.page_size, self.format.currentData() == "pdf")

    def set_editable(self, editable: bool) -> None:
        for widget in (
            self.from_date,
            self.to_date,
            self.therapist,
            self.client,
            self.format,
            self.page_size,
        ):
            widget.setEnabled(editable)

    def offer_therapists(self, therapists: tuple[tuple[str, str], ...]) -> None:
        for therapist_id, name in therapists:
            self.therapist.addItem(f"{name} ({therapist_id})", therapist_id)

    def file_name(self, info: ReportInfo) -> str:
        """The file a run of `info` is offered to be saved as: name, period and format."""
        start, end = _day(self.from_date), _day(self.to_date)
        return f"{info.name}_{date_text(start)}_{date_text(end)}.{self.format.currentData()}"

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


def _date_edit(value: QDate) -> QDateEdit:
    edit = QDateEdit(value)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _day(edit: QDateEdit) -> dt.date:
    day = edit.date().toPython()
    assert isinstance(day, dt.date)
    return day
