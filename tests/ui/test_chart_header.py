"""The chart's header shows names as written: HTML-escaped text in labels that read it as HTML."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from backoffice.services.chart import ClientChart
from backoffice.ui.pages.chart_header import ChartHeader

NAME = "Siobhán O'Connor & <Ryan>"


def _shown(label) -> str:
    if label.textFormat() != Qt.TextFormat.RichText:
        return label.text()
    document = QTextDocument()
    document.setHtml(label.text())
    return document.toPlainText()


def test_a_name_with_an_apostrophe_or_an_ampersand_reads_as_written(qtbot):
    header = ChartHeader()
    qtbot.addWidget(header)
    chart = ClientChart(
        "C1",
        NAME,
        None,
        "siobhan@example.com",
        None,
        None,
        None,
        (),
        (),
        (),
        dt.datetime(2026, 3, 2, 10, 0),
        None,
        False,
    )
    header.show_chart(chart, None)
    assert _shown(header.name) == NAME
