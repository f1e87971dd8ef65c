"""A Qt Charts bar chart that takes its colours from the widget palette (light or dark)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import SupportsFloat

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from backoffice.ui.qt_helpers import named

PREFERRED_SIZE = QSize(480, 300)  # the layout gives it what room is left, beyond this
BarSets = Sequence[tuple[str, Sequence[SupportsFloat]]]  # (legend label, one value per category)


class BarChart(QChartView):
    """Grouped bars: one set per legend entry, one group per category.

    `horizontal=True` lays the categories down the left edge, for long names. The numbers are for
    drawing only: the figures themselves stay Decimal in the tiles.
    """

    def __init__(
        self,
        name: str,
        categories: Sequence[str],
        sets: BarSets,
        *,
        horizontal: bool = False,
        value_format: str = "%d",
        bar_labels: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        named(self, name)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        chart = _plain_chart(self.palette())
        self.series = _bar_series(sets, horizontal=horizontal, bar_labels=bar_labels)
        chart.addSeries(self.series)
        self.category_axis = QBarCategoryAxis()
        self.category_axis.append(list(categories))
        self.value_axis = _value_axis(sets, value_format)
        self._attach_axes(chart, horizontal=horizontal)
        chart.legend().setVisible(len(sets) > 1)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        self.setChart(chart)
        self._follow_palette()

    def _attach_axes(self, chart: QChart, *, horizontal: bool) -> None:
        category_side, value_side = Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft
        if horizontal:
            category_side, value_side = value_side, category_side
        chart.addAxis(self.category_axis, category_side)
        chart.addAxis(self.value_axis, value_side)
        self.series.attachAxis(self.category_axis)
        self.series.attachAxis(self.value_axis)

    def sizeHint(self) -> QSize:
        return PREFERRED_SIZE

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        built = hasattr(self, "series")
        if built and event.type() == QEvent.Type.PaletteChange:  # the system switched light / dark
            self.chart().setTheme(_theme(self.palette()))
            self._follow_palette()

    def categories(self) -> list[str]:
        return list(self.category_axis.categories())

    def set_labels(self) -> list[str]:
        return [bar_set.label() for bar_set in self.series.barSets()]

    def values(self, set_label: str) -> list[float]:
        for bar_set in self.series.barSets():
            if bar_set.label() == set_label:
                return [bar_set.at(i) for i in range(bar_set.count())]
        raise KeyError(set_label)

    def _follow_palette(self) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        lines = palette.color(QPalette.ColorRole.Mid)
        chart = self.chart()
        font = self.font()
        chart.legend().setLabelColor(text)
        chart.legend().setFont(font)
        for axis in chart.axes():
            axis.setLabelsColor(text)
            axis.setLabelsFont(font)
            axis.setGridLineColor(lines)
            axis.setLinePenColor(lines)
        self.series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsInsideEnd)
        for bar_set in self.series.barSets():
            bar_set.setLabelColor(palette.color(QPalette.ColorRole.HighlightedText))


def _plain_chart(palette: QPalette) -> QChart:
    """A chart in the palette's theme, on the widget's own background, drawn without animation."""
    chart = QChart()
    chart.setTheme(_theme(palette))
    chart.setBackgroundVisible(False)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _bar_series(sets: BarSets, *, horizontal: bool, bar_labels: bool) -> QAbstractBarSeries:
    series: QAbstractBarSeries = QHorizontalBarSeries() if horizontal else QBarSeries()
    for label, values in sets:
        bar_set = QBarSet(label)
        bar_set.append([float(v) for v in values])
        series.append(bar_set)
    series.setLabelsVisible(bar_labels)
    series.setBarWidth(0.8 if len(sets) > 1 else 0.6)
    return series


def _value_axis(sets: BarSets, value_format: str) -> QValueAxis:
    """From 0 to a little above the highest value: whole ticks for counts, nice numbers else."""
    axis = QValueAxis()
    axis.setLabelFormat(value_format)
    top = max((float(v) for _label, values in sets for v in values), default=0.0)
    if value_format == "%d":  # counts: whole-number ticks, never "0, 0, 1, 1, 2"
        step = _whole_step(top)
        axis.setRange(0, step * max(1, math.ceil(top / step)))
        axis.setTickType(QValueAxis.TickType.TicksDynamic)
        axis.setTickAnchor(0)
        axis.setTickInterval(step)
    else:
        axis.setRange(0, max(top, 1.0))
        axis.applyNiceNumbers()
    return axis


def _whole_step(top: float, ticks: int = 6) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50... that spans `top` in at most `ticks` steps."""
    step, factors = 1, (2, 2.5, 2)  # 1 -> 2 -> 5 -> 10 -> 20 -> 50 ...
    i = 0
    while top / step > ticks:
        step = round(step * factors[i % 3])
        i += 1
    return step


def _theme(palette: QPalette) -> QChart.ChartTheme:
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight
