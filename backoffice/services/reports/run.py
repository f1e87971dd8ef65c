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
) -> ReportResult:
    """Build the report `name` for the period (both days included) and write it to `path`, whose
    extension (.pdf, .csv, .xlsx) chooses the format. The file appears whole or not at all.

    Permission: the report's (RUN_FINANCE_REPORTS, RUN_ADMIN_REPORTS or RUN_CLINICAL_REPORTS).
    One transaction (one consistent snapshot of the data; on `read_uow_factory`, a standby, when
    given); audit event "report.exported" with the report, period, format and filters, committed
    on `uow_factory` once the file is written. An empty period still gives a report that says so
    (`ReportResult.empty`). Raises ValidationError (unknown report, bad dates or page size, a
    file that cannot be written), PermissionDenied, NotFound (therapist or client),
    ReportCancelledError.
    """
    info = get_report(name)
    require(actor, info.permission)
    request, target, kind = checked_request(
        info, period_from, period_to, path, therapist_id, client_id, page_size
    )
    export = (actor, info, request, kind, target, page_size, progress, cancelled)
    with uow_factory() as uow:
        content = _read_and_write(uow, read_uow_factory, export)
        _record_export(uow, info, request, kind, content, target)
    return _result(info, request, target, kind, content)


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
) -> ReportContent:
    """Read the report's data in one snapshot and write the file."""
    _snapshot(uow)
    filters = _check_filters(uow, request)
    content = info.build(uow, request)
    document = _document(uow, actor, info, request, content, filters, page_size)
    _render(document, content, kind, target, progress, cancelled)
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
        generated_by=f"{actor.display_name} ({actor.login_role})",
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
    kind: str,
    target: Path,
    progress: ReportProgress | None,
    cancelled: Callable[[], bool] | None,
) -> None:
    from backoffice.reports import ReportCancelled

    expected = max(content.rows, 0)

    def rows_done(done: int) -> None:
        if progress is not None:
            progress(done, max(expected, done))

    try:
        _write(document, _sections(content, kind), kind, target, rows_done, cancelled)
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
    kind: str,
    target: Path,
    rows_done: Callable[[int], None],
    cancelled: Callable[[], bool] | None,
) -> None:
    from backoffice.reports import render_pdf, write_csv, write_xlsx

    if kind == "pdf":
        render_pdf(document, sections, target, progress=rows_done, cancelled=cancelled)
    elif kind == "csv":
        write_csv(sections, target, progress=rows_done, cancelled=cancelled)
    else:
        write_xlsx(sections, target, document=document, progress=rows_done, cancelled=cancelled)


def _record_export(
    uow: UnitOfWork,
    info: ReportInfo,
    request: ReportRequest,
    kind: str,
    content: ReportContent,
    target: Path,
) -> None:
    """Commit the audit event of the written file; remove the file when that fails."""
    from backoffice.services import audit

    try:
        audit.record(
            uow,
            "report.exported",
            subject_type="report",
            subject_id=info.name,
            details=_audit_details(info, request, kind, content, target),
        )
        uow.commit()
    except BaseException:
        target.unlink(missing_ok=True)  # no export without its audit event
        raise


def _audit_details(
    info: ReportInfo, request: ReportRequest, kind: str, content: ReportContent, target: Path
) -> dict[str, object]:
    return {
        "report": info.name,
        "from": request.period_from.isoformat(),
        "to": request.period_to.isoformat(),
        "format": kind,
        "file": target.name,
        "therapist_id": request.therapist_id,
        "client_id": request.client_id,
        "clinical": info.clinical,
        "empty": content.empty,
    }


def _result(
    info: ReportInfo, request: ReportRequest, target: Path, kind: str, content: ReportContent
) -> ReportResult:
    if content.empty:  # the PDF says it in words; a spreadsheet has its headings only
        told = "says so" if kind == "pdf" else "holds no rows"
        message = f"{content.empty_sentence[:-1]}: {target.name} {told}."
    else:
        message = f"Saved the {info.title.lower()} report to {target}."
    return ReportResult(
        info.name,
        target,
        kind,
        request.period_from,
        request.period_to,
        content.rows,
        content.empty,
        message,
    )
