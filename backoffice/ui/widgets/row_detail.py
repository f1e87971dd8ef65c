"""RowDetail: the current row of a browsable table, in full: one labelled value per column.

A read-only text view that wraps anywhere, so a long email or reference never widens the pane
and pushes the table aside; with no current row it says how to fill it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget

from backoffice.services.browse import SourceColumn

PLACEHOLDER = "Select a row to see all of it here."


class RowDetail(QTextBrowser):
    def __init__(self, columns: Sequence[SourceColumn], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("row_detail")
        self.labels = tuple(c.label for c in columns)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.setMinimumWidth(160)
        self._texts: tuple[str, ...] | None = None
        self.show_texts(None)

    def show_texts(self, texts: Sequence[str] | None) -> None:
        """Each column's display text, or the placeholder when no row is current (or loaded)."""
        self._texts = tuple(texts) if texts is not None else None
        if self._texts is None:
            self.setHtml(f"<p style='color: gray'>{html.escape(PLACEHOLDER)}</p>")
            return
        rows = "".join(
            f"<tr><td style='padding-right: 8px'><b>{html.escape(label)}</b></td>"
            f"<td>{html.escape(text) or '—'}</td></tr>"
            for label, text in zip(self.labels, self._texts, strict=True)
        )
        self.setHtml(f"<table cellspacing='0' cellpadding='2'>{rows}</table>")

    def texts(self) -> tuple[str, ...] | None:
        """What is shown, column by column; None while the placeholder is."""
        return self._texts

    def is_empty(self) -> bool:
        return self._texts is None
