"""What a report contains: the document description and its sections, as frozen dataclasses."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal, get_args

import pandas as pd

ColumnKind = Literal["text", "id", "int", "money", "percent", "date", "datetime"]
PageSize = Literal["A4", "Letter"]
ChartKind = Literal["bar", "line"]

# A table's rows: one DataFrame, an iterable of DataFrame chunks (read once), or a
# function returning such an iterable (read again for every rendering: PDF, then CSV...).
TableData = pd.DataFrame | Iterable[pd.DataFrame] | Callable[[], Iterable[pd.DataFrame]]
ProgressCallback = Callable[[int], None]
CancelCheck = Callable[[], bool]

DEFAULT_CONFIDENTIALITY_NOTICE = (
    "CONFIDENTIAL: contains personal health information. "
    "For authorised clinic staff only; do not forward or print for others."
)


class ReportCancelled(Exception):
    """The rendering was cancelled; no output file was written."""


@dataclass(frozen=True)
class ReportDocument:
    """Everything printed around the sections: who, what, when, for which period."""

    title: str
    clinic_name: str
    period_start: date
    period_end: date
    generated_by: str
    generated_at: datetime
    filters: Mapping[str, str] = field(default_factory=dict)
    confidential: bool = False
    page_size: PageSize = "A4"
    landscape: bool = False
    logo_path: Path | None = None  # None: the logo bundled in resources/
    confidentiality_notice: str = DEFAULT_CONFIDENTIALITY_NOTICE
    # The audit trail's latest hash when the data was read: an anchor kept outside the database.
    audit_anchor: str | None = None

    def __post_init__(self) -> None:
        if self.page_size not in get_args(PageSize):
            raise ValueError(f"Page size must be A4 or Letter, not {self.page_size!r}.")
        if self.period_end < self.period_start:
            raise ValueError("The period ends before it starts.")


@dataclass(frozen=True)
class Column:
    """One column of a table section.

    money: Decimal (or int) values, shown with the currency when one is given.
    percent: fractions, 0.125 is shown as 12.5% (the convention spreadsheets use).
    total: whether a totals row sums this column; by default int and money columns are
    summed, pass total=False for figures that do not add up (a running balance).
    """

    key: str
    label: str
    kind: ColumnKind = "text"
    currency: str | None = None
    total: bool | None = None

    def __post_init__(self) -> None:
        if self.kind not in get_args(ColumnKind):
            raise ValueError(f"Column {self.key!r} has an unknown kind {self.kind!r}.")
        if self.currency is not None and self.kind != "money":
            raise ValueError(f"Column {self.key!r} has a currency but is not a money column.")
        if self.total and self.kind not in ("int", "money"):
            raise ValueError(f"Column {self.key!r} cannot be totalled: it is not int or money.")

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "money", "percent")

    @property
    def summable(self) -> bool:
        default = self.kind in ("int", "money")
        return default if self.total is None else self.total


@dataclass(frozen=True)
class KeyFigure:
    """One headline number, e.g. "Collected: ₹120,000.00"."""

    label: str
    value: object
    kind: ColumnKind = "text"
    currency: str | None = None


@dataclass(frozen=True)
class KeyFiguresSection:
    figures: Sequence[KeyFigure]
    title: str | None = None


@dataclass(frozen=True)
class TableSection:
    """A table; with totals=True a bold last row sums the int and money columns."""

    title: str
    columns: Sequence[Column]
    data: TableData
    totals: bool = False
    totals_label: str = "Total"
    empty_text: str = "No rows in this period."

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError(f"Table {self.title!r} has no columns.")


@dataclass(frozen=True)
class ChartSection:
    """A bar or line chart of a small DataFrame: x gives the categories, each y column a series."""

    title: str
    data: pd.DataFrame
    x: Column
    y: Sequence[Column]
    kind: ChartKind = "bar"
    empty_text: str = "Nothing to chart in this period."


@dataclass(frozen=True)
class ParagraphSection:
    text: str
    title: str | None = None
    note: bool = False  # smaller, grey: explanations rather than findings


Section = KeyFiguresSection | TableSection | ChartSection | ParagraphSection
