"""Colours, sizes and paragraph styles shared by every part of a PDF report."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from backoffice.reports.fonts import FontSet
from backoffice.reports.spec import ReportDocument

INK = HexColor("#1E293B")
MUTED = HexColor("#64748B")
ACCENT = HexColor("#1F6F7F")
ACCENT_LIGHT = HexColor("#E3F0F2")
ZEBRA = HexColor("#F3F6F8")
RULE = HexColor("#CBD5E1")
WARNING = HexColor("#A61B1B")
WHITE = HexColor("#FFFFFF")
SERIES = (
    ACCENT,
    HexColor("#E08E2B"),
    HexColor("#5B8C3A"),
    HexColor("#8E5BA8"),
    HexColor("#C2475B"),
    HexColor("#3B6FB6"),
)

MARGIN = 15 * mm
HEADER_BAND = 12 * mm  # running header on pages after the first
FOOTER_BAND = 14 * mm

TABLE_FONT_SIZE = 7.5
TABLE_ROW_HEIGHT = 12.0
TABLE_HEADER_HEIGHT = 16.0
TABLE_CAPTION_HEIGHT = 18.0
CELL_PADDING = 4.0


def page_size(document: ReportDocument) -> tuple[float, float]:
    size = A4 if document.page_size == "A4" else LETTER
    return landscape(size) if document.landscape else size


@dataclass(frozen=True)
class Theme:
    """The fonts found on this machine, and the paragraph styles made from them."""

    fonts: FontSet

    def style(self, name: str) -> ParagraphStyle:
        return _STYLES[name](self.fonts)


def _style(
    font: str,
    size: float,
    color: Color = INK,
    leading: float | None = None,
    space_after: float = 0,
    space_before: float = 0,
) -> ParagraphStyle:
    return ParagraphStyle(
        name=f"{font}-{size}",
        fontName=font,
        fontSize=size,
        textColor=color,
        leading=leading or size * 1.25,
        spaceAfter=space_after,
        spaceBefore=space_before,
    )


_STYLES = {
    "clinic": lambda f: _style(f.bold, 15, ACCENT, leading=18),
    "title": lambda f: _style(f.bold, 13, INK, leading=16),
    "meta": lambda f: _style(f.regular, 8.5, MUTED, leading=11),
    "heading": lambda f: _style(f.bold, 10.5, INK, space_before=8, space_after=4),
    "body": lambda f: _style(f.regular, 9, INK, leading=12, space_after=6),
    "note": lambda f: _style(f.italic, 8, MUTED, leading=10, space_after=6),
    "empty": lambda f: _style(f.italic, 9, MUTED, leading=12, space_after=8),
    "figure_label": lambda f: _style(f.regular, 7.5, MUTED, leading=9),
    "figure_value": lambda f: _style(f.bold, 12.5, INK, leading=15),
}
