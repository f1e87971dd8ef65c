"""What the report services take and return: the catalogue entry, the request, the content, the result.

Light on purpose (no pandas, no reportlab): the reports page imports it to list what a role may run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backoffice.services.permissions import Permission

# The setting whose text a report header names the clinic by (`letterhead.clinic_name`).
CLINIC_NAME_SETTING = "clinic.name"

if TYPE_CHECKING:
    from backoffice.db import UnitOfWork
    from backoffice.reports import Section

FORMATS = ("pdf", "csv", "xlsx")
PAGE_SIZES = ("A4", "Letter")

# progress(rows_done, rows_expected): rows_expected is 0 when it is not known.
ReportProgress = Callable[[int, int], None]
# build(uow, request) -> the report's content, ready to render.
ReportBuilder = Callable[["UnitOfWork", "ReportRequest"], "ReportContent"]


@dataclass(frozen=True)
class ReportInfo:
    """One entry of the catalogue: what a report is, who may run it, what it asks for."""

    name: str
    title: str
    description: str
    permission: Permission
    build: ReportBuilder  # the function itself: builds the content from a checked request
    clinical: bool = False
    takes_therapist: bool = False
    needs_client: bool = False
    landscape: bool = False
    # It reads note content on record (the risk phrases): a standby cannot write the opening.
    reads_on_primary: bool = False

    @property
    def parameters(self) -> tuple[str, ...]:
        """What a person gives besides the period and the file."""
        return (
            *(("therapist",) if self.takes_therapist else ()),
            *(("client",) if self.needs_client else ()),
        )


@dataclass(frozen=True)
class ReportRequest:
    """A validated request: the period's first and last day (both included) and the filters."""

    period_from: dt.date
    period_to: dt.date
    therapist_id: str | None = None
    client_id: str | None = None

    @property
    def start(self) -> dt.datetime:
        """The period's first instant, as the clinic's naive wall-clock timestamps have it."""
        return dt.datetime.combine(self.period_from, dt.time.min)

    @property
    def end(self) -> dt.datetime:
        """The instant after the period (exclusive bound)."""
        return dt.datetime.combine(self.period_to + dt.timedelta(days=1), dt.time.min)

    @property
    def days(self) -> int:
        return (self.period_to - self.period_from).days + 1

    def params(self, **more: Any) -> dict[str, Any]:
        """Bind parameters shared by the report queries."""
        return {
            "start": self.start,
            "end": self.end,
            "therapist": self.therapist_id,
            "client": self.client_id,
            **more,
        }


@dataclass(frozen=True)
class ReportContent:
    """A built report, ready to render: the sections of the PDF and, when their shape differs,
    those of the spreadsheets (long tables with a currency column rather than one per currency).

    `rows`: how many table rows rendering will go through (for progress); `empty`: the period has
    nothing this report is about, and `empty_sentence` says so in words.
    """

    sections: Sequence[Section]
    rows: int
    empty: bool
    empty_sentence: str
    spreadsheet: Sequence[Section] | None = None

    def sections_for(self, kind: str) -> Sequence[Section]:
        return self.sections if kind == "pdf" or self.spreadsheet is None else self.spreadsheet


@dataclass(frozen=True)
class ReportResult:
    """A written report: where, in which format, how many rows, and whether its period was empty."""

    name: str
    path: Path
    format: str
    period_from: dt.date
    period_to: dt.date
    rows: int
    empty: bool
    message: str  # the sentence to show: "Saved …", or what the empty period means
