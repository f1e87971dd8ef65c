"""Dashboard tiles: a caption, a big right-aligned figure and a line of detail, in palette colours.

Money is written as everywhere (`backoffice.values.money_text`): the ISO code, then the amount
with thousands separators ("INR 426,500.00"), so that several currencies side by side stay
unambiguous.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from backoffice import values
from backoffice.services.dashboard import Money
from backoffice.ui.qt_helpers import named

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def money_text(amount: Decimal, currency: str) -> str:
    """The money formatter's text with a no-break space after the ISO code: a line may wrap
    between two amounts, never inside one."""
    return values.money_text(amount, currency, prefix=f"{currency}\N{NO-BREAK SPACE}")


def monies_text(totals: Sequence[Money], *, limit: int | None = None) -> str:
    """Amounts in several currencies on one line; past `limit`, "and N more"."""
    shown = totals if limit is None else totals[:limit]
    text = " · ".join(money_text(m.amount, m.currency) for m in shown)
    hidden = len(totals) - len(shown)
    return f"{text} and\N{NO-BREAK SPACE}{hidden}\N{NO-BREAK SPACE}more" if hidden else text


def muted(label: QLabel) -> QLabel:
    """Secondary text: the palette's placeholder colour, so it follows light and dark themes."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


class Tile(QFrame):
    """A framed panel on the palette's base colour; subclasses and callers fill `body`."""

    def __init__(self, key: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, f"tile_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 10, 14, 12)
        self.body.setSpacing(4)
        self.caption = named(QLabel(caption), f"{key}_caption", wordWrap=True)
        self.caption.setFont(scaled_font(self, 1.0, bold=True))
        self.body.addWidget(self.caption)


class FigureTile(Tile):
    """One figure: `tile.value.text()` is what the person reads.

    The detail has room for two lines in every tile, so that tiles side by side keep their
    figures level; a longer explanation belongs in `explanation` (the tooltip).
    """

    def __init__(
        self,
        key: str,
        caption: str,
        value: str,
        detail: str = "",
        explanation: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(key, caption, parent)
        self.setToolTip(explanation)
        self.value = named(QLabel(value), f"{key}_value")
        self.value.setAlignment(RIGHT)
        self.value.setFont(scaled_font(self, 2.2, bold=True))
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = muted(named(QLabel(detail), f"{key}_detail", wordWrap=True))
        self.detail.setAlignment(RIGHT)
        self.detail.setMinimumHeight(2 * self.detail.fontMetrics().lineSpacing())
        self.body.addWidget(self.value)
        self.body.addWidget(self.detail)
        self.body.addStretch(1)


class TableTile(Tile):
    """A small table of figures: a header row, then rows whose numbers are right-aligned.

    Cell labels are named `<key>_<row id>_<column id>` for tests and stylesheets.
    """

    def __init__(
        self,
        key: str,
        caption: str,
        columns: Sequence[tuple[str, str]],
        rows: Sequence[tuple[str, Sequence[str]]],
        empty: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(key, caption, parent)
        if not rows:
            self.body.addWidget(muted(named(QLabel(empty), f"{key}_empty", wordWrap=True)))
            return
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(2)
        for col, (_column_id, title) in enumerate(columns):
            header = muted(QLabel(title))
            header.setAlignment(RIGHT if col else LEFT)
            grid.addWidget(header, 0, col)
        for r, (row_id, cells) in enumerate(rows, start=1):
            for col, ((column_id, _title), text) in enumerate(zip(columns, cells, strict=True)):
                cell = named(QLabel(text), f"{key}_{row_id}_{column_id}")
                cell.setFont(scaled_font(self, 1.25, bold=not col))
                cell.setAlignment(RIGHT if col else LEFT)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(cell, r, col)
        grid.setColumnMinimumWidth(0, 6 * self.fontMetrics().averageCharWidth())
        grid.setColumnStretch(len(columns), 1)  # a compact table, its rows easy to follow
        self.body.addLayout(grid)
