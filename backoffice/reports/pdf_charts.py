"""Bar and line charts of a small DataFrame, drawn with reportlab.graphics."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker

from backoffice.reports import pdf_style as st
from backoffice.reports.fonts import FontSet
from backoffice.reports.formatting import currency_prefix, display_formatter, is_missing
from backoffice.reports.spec import ChartSection, Column

CHART_HEIGHT = 200.0
_LEFT, _TOP = 56.0, 26.0  # room for the value labels and the legend
_BOTTOM, _BOTTOM_SLANTED = 22.0, 48.0  # room for the category labels
_MANY_CATEGORIES = 8  # beyond this, category labels are slanted so they do not collide


def chart_drawing(section: ChartSection, fonts: FontSet, width: float) -> Drawing:
    drawing = Drawing(width, CHART_HEIGHT)
    chart = VerticalBarChart() if section.kind == "bar" else HorizontalLineChart()
    bottom = _BOTTOM_SLANTED if len(section.data) > _MANY_CATEGORIES else _BOTTOM
    chart.x, chart.y = _LEFT, bottom
    chart.width, chart.height = width - _LEFT - 8, CHART_HEIGHT - bottom - _TOP
    # Floats are fine here: a chart is a picture, the exact figures are in the tables.
    chart.data = [tuple(_plot_value(v) for v in section.data[c.key].tolist()) for c in section.y]
    _style_category_axis(chart, section, fonts)
    _style_value_axis(chart, section.y[0], fonts)
    _style_series(chart, section)
    drawing.add(chart)
    drawing.add(_legend(section, fonts))
    return drawing


def _plot_value(value: object) -> float | None:
    if is_missing(value):
        return None
    return float(value) if isinstance(value, Decimal | int | float) else None


def _style_category_axis(
    chart: VerticalBarChart | HorizontalLineChart, section: ChartSection, fonts: FontSet
) -> None:
    to_text = display_formatter(section.x, lambda _: True)
    names = [to_text(v) for v in section.data[section.x.key].tolist()]
    axis = chart.categoryAxis
    axis.categoryNames = names
    axis.strokeColor = st.RULE
    axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = fonts.regular, 7, st.INK
    if len(names) > _MANY_CATEGORIES:
        axis.labels.angle, axis.labels.boxAnchor, axis.labels.dy = 30, "ne", -2
    else:
        axis.labels.boxAnchor, axis.labels.dy = "n", -4


def _style_value_axis(
    chart: VerticalBarChart | HorizontalLineChart, column: Column, fonts: FontSet
) -> None:
    axis = chart.valueAxis
    values = [v for series in chart.data for v in series if v is not None]
    axis.valueMin = min(0.0, *values) if values else 0.0
    if values and max(values) <= axis.valueMin:
        axis.valueMax = axis.valueMin + 1  # all zero: give the axis a height
    axis.labelTextFormat = _axis_format(column, fonts)
    axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = fonts.regular, 7, st.MUTED
    axis.strokeColor = st.RULE
    axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = True, st.RULE, 0.3


def _axis_format(column: Column, fonts: FontSet) -> Callable[[float], str]:
    if column.kind == "money":
        prefix = currency_prefix(column.currency, fonts.can_draw)
        return lambda v: f"-{prefix}{-v:,.0f}" if v < 0 else f"{prefix}{v:,.0f}"
    if column.kind == "percent":
        return lambda v: f"{v * 100:.0f}%"
    return lambda v: f"{v:,.0f}" if v == int(v) else f"{v:,.1f}"


def _style_series(chart: VerticalBarChart | HorizontalLineChart, section: ChartSection) -> None:
    for i in range(len(section.y)):
        colour = st.SERIES[i % len(st.SERIES)]
        if isinstance(chart, VerticalBarChart):
            chart.bars[i].fillColor, chart.bars[i].strokeColor = colour, None
        else:
            chart.lines[i].strokeColor, chart.lines[i].strokeWidth = colour, 1.6
            chart.lines[i].symbol = makeMarker(
                "FilledCircle", size=3.5, fillColor=colour, strokeColor=colour
            )
    if isinstance(chart, VerticalBarChart):
        chart.groupSpacing, chart.barSpacing = 6, 1


def _legend(section: ChartSection, fonts: FontSet) -> Legend:
    legend = Legend()
    legend.x, legend.y, legend.boxAnchor = _LEFT, CHART_HEIGHT - 4, "nw"
    legend.columnMaximum = 1  # one item per column: the legend runs left to right
    legend.alignment = "right"  # swatch first, then its name
    legend.fontName, legend.fontSize, legend.fillColor = fonts.regular, 7.5, st.INK
    legend.dx, legend.dy, legend.deltax, legend.strokeColor = 7, 7, 90, None
    legend.colorNamePairs = [
        (st.SERIES[i % len(st.SERIES)], c.label) for i, c in enumerate(section.y)
    ]
    return legend
