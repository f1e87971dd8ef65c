"""`run_report`: build one report of the catalogue (SQL aggregation, DataFrame with Decimal kept)
and render it to PDF, CSV or XLSX, with its audit event.

SQLAlchemy, pandas and reportlab load when a report runs, not when the command line or the reports
page imports this package.

Each builder reads only what its role may read (`owner.provisioning.access_matrix`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from backoffice.errors import BackofficeError, ValidationError
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.reports.catalogue import get_report, list_reports
from backoffice.services.reports.checks import checked_request
from backoffice.services.reports.outcome import record_export, report_result
from backoffice.services.reports.types import (
    ReportContent,
    ReportInfo,
    ReportProgress,
    ReportRequest,
    ReportResult,
)

if TYPE_CHECKING:
    from backoffice.db import UnitOfWork
    from backoffice.reports import ReportDocument, Section


class ReportCancelledError(BackofficeError):
    """The person cancelled the report."""

    def __init__(self) -> None:
        super().__init__("The report was cancelled; no file was written.")


def list_report_therapists(uow: UnitOfWork, actor: Actor) -> tuple[tuple[str, str], ...]:
    """(therapist_id, name) of every therapist, by name: what a report can be narrowed to.

    Permission: any report permission. Read only. Raises PermissionDenied.
    """
    if not list_reports(actor):
        require(actor, Permission.RUN_FINANCE_REPORTS)  # words the refusal
    import sqlalchemy as sa

    rows = uow.session.execute(
        sa.text("SELECT therapist_id, name FROM public.therapists ORDER BY name, therapist_id")
    )
    return tuple((str(row.therapist_id), str(row.name)) for row in rows)


def run_report(
    uow_factory: Callable[[], UnitOfWork],
    actor: Actor,
    *,
    name: str,
    period_from: dt.date | str,
    period_to: dt.date | str,
    path: str | os.PathLike[str],
    therapist_id: str | None = None,
    client_id: str | None = None,
    progress: ReportProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
    page_size: str = "A4",
    read_uow_factory: Callable[[], UnitOfWork] | None = None,
    password: str | None = None,
) -> ReportResult:
    """Build the report `name` for the period (both days included) and write it to `path`, whose
    extension (.pdf, .csv, .xlsx) chooses the format. The file appears whole or not at all.
    With `password` (a PDF only), the file is encrypted with AES-256 and opens only with it.

    Permission: the report's (RUN_FINANCE_REPORTS, RUN_ADMIN_REPORTS or RUN_CLINICAL_REPORTS).
    One transaction (one consistent snapshot of the data; on `read_uow_factory`, a standby, when
    given, unless the report reads note content on record); audit event "report.exported" with
    the report, period, format, filters and whether the file is protected (never the password),
    committed on `uow_factory` once the file is written. An empty period still gives a report that says so
    (`ReportResult.empty`). Raises ValidationError (unknown report, bad dates or page size, a
    file that cannot be written), PermissionDenied, NotFound (therapist or client),
    ReportCancelledError.
    """
    info = get_report(name)
    require(actor, info.permission)
    request, target, kind = checked_request(
        info, period_from, period_to, path, therapist_id, client_id, page_size, password=password
    )
    export = (actor, info, request, kind, target, page_size, progress, cancelled, password)
    with uow_factory() as uow:
        reads = None if info.reads_on_primary else read_uow_factory
        content = _read_and_write(uow, reads, export)
        record_export(uow, info, request, kind, content, target, protected=password is not None)
    return report_result(info, request, target, kind, content, protected=password is not None)


def _read_and_write(
    uow: UnitOfWork, read_uow_factory: Callable[[], UnitOfWork] | None, export: tuple
) -> ReportContent:
    """Read the data (on the standby when given: it cannot write the audit event) and write the
    file. The primary's read snapshot then ends, so that the audit event is chained in a
    READ COMMITTED transaction of its own, after whatever events were written meanwhile."""
    if read_uow_factory is not None:
        with read_uow_factory() as read_uow:
            return _export(read_uow, *export)
    content = _export(uow, *export)
    uow.rollback()
    return content


def _export(
    uow: UnitOfWork,
    actor: Actor,
    info: ReportInfo,
    request: ReportRequest,
    kind: str,
    target: Path,
    page_size: str,
    progress: ReportProgress | None,
    cancelled: Callable[[], bool] | None,
    password: str | None,
) -> ReportContent:
    """Read the report's data in one snapshot and write the file."""
    _snapshot(uow)
    filters = _check_filters(uow, request)
    content = info.build(uow, request)
    document = _document(uow, actor, info, request, content, filters, page_size)
    _render(document, content, (kind, target, password), progress, cancelled)
    return content


def _snapshot(uow: UnitOfWork) -> None:
    """Every query of one report reads the same snapshot, so its totals agree with each other."""
    db = uow.session
    if not db.in_transaction():
        from sqlalchemy.engine import Engine

        if isinstance(db.get_bind(), Engine):
            db.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _check_filters(uow: UnitOfWork, request: ReportRequest) -> dict[str, str]:
    from backoffice.services.reports.filters import client_label, therapist_label

    filters = {}
    if request.therapist_id:
        filters["Therapist"] = therapist_label(uow, request.therapist_id)
    if request.client_id:
        filters["Client"] = client_label(uow, request.client_id)
    return filters


def _document(
    uow: UnitOfWork,
    actor: Actor,
    info: ReportInfo,
    request: ReportRequest,
    content: ReportContent,
    filters: dict[str, str],
    page_size: str,
) -> ReportDocument:
    from backoffice.reports import ReportDocument
    from backoffice.services.audit_trail.rows import read_head
    from backoffice.services.clock import clinic_now
    from backoffice.services.reports.letterhead import clinic_logo, clinic_name

    return ReportDocument(
        title=info.title,
        clinic_name=clinic_name(uow),
        period_start=request.period_from,
        period_end=request.period_to,
        generated_by=actor.signature,
        generated_at=clinic_now(uow),
        filters=filters,
        confidential=info.clinical,
        page_size=page_size,  # type: ignore[arg-type]
        landscape=info.landscape,
        logo_path=clinic_logo(uow),
        audit_anchor=read_head(uow.session).anchor_text(),
    )


def _render(
    document: ReportDocument,
    content: ReportContent,
    output: tuple[str, Path, str | None],
    progress: ReportProgress | None,
    cancelled: Callable[[], bool] | None,
) -> None:
    """Write the file: output is (kind, target, the PDF's password or None)."""
    from backoffice.reports import ReportCancelled

    kind, target, _password = output
    expected = max(content.rows, 0)

    def rows_done(done: int) -> None:
        if progress is not None:
            progress(done, max(expected, done))

    try:
        _write(document, _sections(content, kind), output, rows_done, cancelled)
    except ReportCancelled:
        raise ReportCancelledError() from None
    except OSError as error:
        raise ValidationError(
            f"{target} could not be written: {error.strerror or error}."
        ) from None


def _sections(content: ReportContent, kind: str) -> list[Section]:
    """The content's sections for this format; the PDF of an empty period opens by saying so."""
    from backoffice.reports import ParagraphSection

    sections = list(content.sections_for(kind))
    if content.empty and kind == "pdf":
        sections.insert(0, ParagraphSection(content.empty_sentence, title="Nothing in this period"))
    return sections


def _write(
    document: ReportDocument,
    sections: list[Section],
    output: tuple[str, Path, str | None],
    rows_done: Callable[[int], None],
    cancelled: Callable[[], bool] | None,
) -> None:
    from backoffice.reports import render_pdf, write_csv, write_xlsx

    kind, target, password = output
    if kind == "pdf":
        render_pdf(
            document, sections, target, progress=rows_done, cancelled=cancelled, password=password
        )
    elif kind == "csv":
        write_csv(sections, target, progress=rows_done, cancelled=cancelled)
    else:
        write_xlsx(sections, target, document=document, progress=rows_done, cancelled=cancelled)
