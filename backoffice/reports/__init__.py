"""Report rendering: pandas DataFrames in, PDF, CSV and XLSX files out (no Qt, no SQLAlchemy)."""

from backoffice.reports.formatting import escape_formula
from backoffice.reports.pdf import render_pdf
from backoffice.reports.spec import (
    ChartSection,
    Column,
    ColumnKind,
    KeyFigure,
    KeyFiguresSection,
    ParagraphSection,
    ReportCancelled,
    ReportDocument,
    Section,
    TableData,
    TableSection,
)
from backoffice.reports.tabular import infer_columns, write_csv, write_xlsx

__all__ = [
    "ChartSection",
    "Column",
    "ColumnKind",
    "KeyFigure",
    "KeyFiguresSection",
    "ParagraphSection",
    "ReportCancelled",
    "ReportDocument",
    "Section",
    "TableData",
    "TableSection",
    "escape_formula",
    "infer_columns",
    "render_pdf",
    "write_csv",
    "write_xlsx",
]
