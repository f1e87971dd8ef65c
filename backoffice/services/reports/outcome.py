"""What a written report leaves behind: its audit event (committed, or the file goes) and the
sentence that tells the person where it is."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from backoffice.services.reports.types import ReportContent, ReportInfo, ReportRequest, ReportResult

if TYPE_CHECKING:
    from backoffice.db import UnitOfWork


def record_export(
    uow: UnitOfWork,
    info: ReportInfo,
    request: ReportRequest,
    kind: str,
    content: ReportContent,
    target: Path,
    *,
    protected: bool,
) -> None:
    """Commit the audit event of the written file; remove the file when that fails."""
    from backoffice.services import audit

    try:
        audit.record(
            uow,
            "report.exported",
            subject_type="report",
            subject_id=info.name,
            details={
                **_audit_details(info, request, kind, content, target),
                "protected": "yes" if protected else "no",
            },
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


def report_result(
    info: ReportInfo,
    request: ReportRequest,
    target: Path,
    kind: str,
    content: ReportContent,
    *,
    protected: bool,
) -> ReportResult:
    locked = " (protected with its password)" if protected else ""
    if content.empty:  # the PDF says it in words; a spreadsheet has its headings only
        told = "says so" if kind == "pdf" else "holds no rows"
        message = f"{content.empty_sentence[:-1]}: {target.name}{locked} {told}."
    else:
        message = f"Saved the {info.title.lower()} report to {target}{locked}."
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
