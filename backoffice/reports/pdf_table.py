"""A table section in the PDF, laid out one page at a time so rows stream through in flat memory."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from backoffice.reports import pdf_style as st
from backoffice.reports.feed import RowSource
from backoffice.reports.fonts import FontSet
from backoffice.reports.pdf_text import FontEncoder, encoder, fill_rects, text_block

Row = Sequence[str]
_SAMPLE_ROWS = 300  # rows measured to size the columns; later rows fit or are clipped
_MIN_ROWS_ON_PAGE = 3  # fewer rows than this at a page foot: start the table on the next page
_MIN_TEXT_WIDTH = 36.0
_EMPTY_HEIGHT = 18.0


@dataclass(frozen=True)
class TableLayout:
    """Column geometry, fixed once from the first rows so that every page lines up."""

    labels: tuple[str, ...]
    widths: tuple[float, ...]
    numeric: tuple[bool, ...]
    fonts: FontSet

    @property
    def width(self) -> float:
        return sum(self.widths)

    def height(self, rows: int, *, totals: bool) -> float:
        extra = st.TABLE_ROW_HEIGHT if totals else 0.0
        return st.TABLE_CAPTION_HEIGHT + st.TABLE_HEADER_HEIGHT + rows * st.TABLE_ROW_HEIGHT + extra

    def rows_fitting(self, height: float, *, totals: bool) -> int:
        room = height - self.height(0, totals=totals) + 1e-6
        return max(0, int(room // st.TABLE_ROW_HEIGHT))


def make_layout(source: RowSource, available_width: float, fonts: FontSet) -> TableLayout:
    columns = source.section.columns
    sample = source.peek(_SAMPLE_ROWS)
    size = st.TABLE_FONT_SIZE
    natural = []
    for i, column in enumerate(columns):
        values = max((stringWidth(row[i], fonts.regular, size) for row in sample), default=0.0)
        if column.numeric:  # room for totals and later rows larger than the sample's
            values = stringWidth("0,00", fonts.bold, size) + values
        header = stringWidth(column.label, fonts.bold, size)
        natural.append(max(values, header) + 2 * st.CELL_PADDING)
    numeric = tuple(c.numeric for c in columns)
    widths = _fit_widths(natural, [c.kind == "text" for c in columns], available_width)
    return TableLayout(tuple(c.label for c in columns), tuple(widths), numeric, fonts)


def _fit_widths(natural: list[float], flexible: list[bool], total: float) -> list[float]:
    """Fill the frame: text columns stretch, or the widest of them give way first."""
    if not any(flexible):
        flexible = [True] * len(natural)
    room = total - sum(w for w, f in zip(natural, flexible, strict=True) if not f)
    wanted = [w for w, f in zip(natural, flexible, strict=True) if f]
    if room < _MIN_TEXT_WIDTH * len(wanted):  # not even the fixed columns fit: scale all
        return [w * total / sum(natural) for w in natural]
    if sum(wanted) <= room:
        scale = room / sum(wanted)
        return [w * scale if f else w for w, f in zip(natural, flexible, strict=True)]
    cap = _width_cap(wanted, room)
    return [min(w, cap) if f else w for w, f in zip(natural, flexible, strict=True)]


def _width_cap(widths: list[float], room: float) -> float:
    """The widest a column may be so that the capped widths add up to room."""
    remaining, ordered = room, sorted(widths)
    for i, width in enumerate(ordered):
        share = remaining / (len(ordered) - i)
        if width > share:
            return share
        remaining -= width
    return ordered[-1]


def _clip(text: str, width: float, enc: FontEncoder, size: float) -> str:
    key = (text, width)
    if key not in enc.clipped:
        if len(enc.clipped) > 10_000:  # bounded: unique long texts must not pile up
            enc.clipped.clear()
        enc.clipped[key] = _clip_uncached(text, width, enc, size)
    return enc.clipped[key]


def _clip_uncached(text: str, width: float, enc: FontEncoder, size: float) -> str:
    low, high = 0, len(text)
    while low < high:  # longest prefix that fits with an ellipsis
        mid = (low + high + 1) // 2
        if enc.width(text[:mid] + "…", size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low] + "…"


def draw_block(
    canv: Canvas,
    layout: TableLayout,
    caption: str,
    rows: Sequence[Row],
    totals: Row | None,
    top: float,
) -> None:
    """Caption, header, rows and totals, drawn downwards from y=top; x=0 is the table's left."""
    _draw_caption(canv, layout.fonts, caption, top)
    header_y = top - st.TABLE_CAPTION_HEIGHT - st.TABLE_HEADER_HEIGHT
    canv.setFillColor(st.ACCENT)
    canv.rect(0, header_y, layout.width, st.TABLE_HEADER_HEIGHT, stroke=0, fill=1)
    _draw_cells(canv, layout, [layout.labels], header_y + 5, layout.fonts.bold, st.WHITE)
    rows_end = _draw_rows(canv, layout, rows, header_y)
    if totals is not None:
        _draw_totals(canv, layout, totals, rows_end)


def _draw_caption(canv: Canvas, fonts: FontSet, caption: str, top: float) -> None:
    canv.setFont(fonts.bold, 9.5)
    canv.setFillColor(st.INK)
    canv.drawString(0, top - 12, caption)


def _draw_rows(canv: Canvas, layout: TableLayout, rows: Sequence[Row], top: float) -> float:
    """The rows below y=top and the rule under them; returns the y of that rule."""
    row_h = st.TABLE_ROW_HEIGHT
    # Shade every other row so that the eye can follow a long row across.
    fill_rects(
        canv,
        st.ZEBRA,
        ((0, top - (i + 1) * row_h, layout.width, row_h) for i in range(1, len(rows), 2)),
    )
    _draw_cells(canv, layout, rows, top - row_h + 3.5, layout.fonts.regular, st.INK)
    bottom = top - len(rows) * row_h
    canv.setStrokeColor(st.RULE)
    canv.setLineWidth(0.5)
    canv.line(0, bottom, layout.width, bottom)
    return bottom


def _draw_totals(canv: Canvas, layout: TableLayout, totals: Row, top: float) -> None:
    row_h = st.TABLE_ROW_HEIGHT
    canv.setFillColor(st.ACCENT_LIGHT)
    canv.rect(0, top - row_h, layout.width, row_h, stroke=0, fill=1)
    canv.setStrokeColor(st.ACCENT)
    canv.setLineWidth(0.8)
    canv.line(0, top, layout.width, top)
    _draw_cells(canv, layout, [totals], top - row_h + 3.5, layout.fonts.bold, st.INK)


def _draw_cells(
    canv: Canvas, layout: TableLayout, rows: Sequence[Row], baseline: float, font: str, color: Color
) -> None:
    size, pad, step = st.TABLE_FONT_SIZE, st.CELL_PADDING, st.TABLE_ROW_HEIGHT
    enc = encoder(canv, font)
    edges = [0.0, *accumulate(layout.widths)]
    columns = [
        (numeric, left + pad, right - pad, right - left - 2 * pad)
        for numeric, left, right in zip(layout.numeric, edges, edges[1:], strict=False)
    ]
    lines = []
    for r, row in enumerate(rows):
        y = f"{baseline - r * step:.2f}"
        for (numeric, left, right, room), cell in zip(columns, row, strict=True):
            if not cell:
                continue
            width, shown = enc.encode(cell, size)
            if numeric:  # right-aligned and never clipped: a cut number misleads
                x = right - width * size
            else:
                x = left
                if width * size > room + 0.01:  # 0.01: a column sized to its text fits it
                    shown = enc.encode(_clip(cell, room, enc, size), size)[1]
            lines.append(f"1 0 0 1 {x:.2f} {y} Tm {shown}")
    text_block(canv, enc, size, color, lines)


class TableBlock(Flowable):
    """One page's share of a table."""

    def __init__(
        self, layout: TableLayout, caption: str, rows: Sequence[Row], totals: Row | None
    ) -> None:
        super().__init__()
        self.layout, self.caption, self.rows, self.totals = layout, caption, rows, totals
        self.height = layout.height(len(rows), totals=totals is not None)
        self.width = layout.width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_block(self.canv, self.layout, self.caption, self.rows, self.totals, self.height)


class StreamingTable(Flowable):
    """A whole table section; platypus splits it page by page and it pulls rows as it goes."""

    def __init__(
        self,
        source: RowSource,
        fonts: FontSet,
        layout: TableLayout | None = None,
        continued: bool = False,
    ) -> None:
        super().__init__()
        self.source, self.fonts, self.layout, self.continued = source, fonts, layout, continued
        self.spaceAfter = 10
        self._final_rows = 0  # set by wrap() when the rest of the table fits

    @property
    def caption(self) -> str:
        title = self.source.section.title
        return f"{title} (continued)" if self.continued else title

    @property
    def _has_totals(self) -> bool:
        return self.source.totals is not None

    def _is_empty(self) -> bool:
        return not self.continued and self.source.exhausted_within(0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.layout is None:
            self.layout = make_layout(self.source, availWidth, self.fonts)
        if self._is_empty():
            return availWidth, st.TABLE_CAPTION_HEIGHT + _EMPTY_HEIGHT
        fit = self.layout.rows_fitting(availHeight, totals=self._has_totals)
        if self.source.exhausted_within(fit):
            self._final_rows = len(self.source.peek(fit))
            return self.layout.width, self.layout.height(self._final_rows, totals=self._has_totals)
        return availWidth, availHeight + 1  # too tall: the frame will call split()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        assert self.layout is not None  # wrap() always runs first
        fit = self.layout.rows_fitting(availHeight, totals=False)
        ahead = len(self.source.peek(fit + _MIN_ROWS_ON_PAGE))
        # What goes on to the next page is never a lone row (or a lone totals row): at least
        # _MIN_ROWS_ON_PAGE rows of the table, or all of it.
        count = fit if ahead >= fit + _MIN_ROWS_ON_PAGE else ahead - _MIN_ROWS_ON_PAGE
        if count < max(1, min(_MIN_ROWS_ON_PAGE, ahead)):
            return []  # not worth a page foot: the table moves on to the next page
        block = TableBlock(self.layout, self.caption, self.source.take(count), None)
        return [block, StreamingTable(self.source, self.fonts, self.layout, continued=True)]

    def draw(self) -> None:
        if self._is_empty():
            self._draw_empty()
            return
        assert self.layout is not None
        rows = self.source.take(self._final_rows)
        height = self.layout.height(len(rows), totals=self._has_totals)
        draw_block(self.canv, self.layout, self.caption, rows, self.source.totals_row(), height)

    def _draw_empty(self) -> None:
        canv = self.canv
        top = st.TABLE_CAPTION_HEIGHT + _EMPTY_HEIGHT
        _draw_caption(canv, self.fonts, self.caption, top)
        canv.setFont(self.fonts.italic, 9)
        canv.setFillColor(st.MUTED)
        canv.drawString(0, top - st.TABLE_CAPTION_HEIGHT - 11, self.source.section.empty_text)
