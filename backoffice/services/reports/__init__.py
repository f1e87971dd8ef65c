"""Reports: the catalogue of what finance staff and admins export, and `run_report`, which builds one
(SQL aggregation, DataFrame with Decimal kept) and renders it to PDF, CSV or XLSX.

The catalogue holds each report's builder function (`builders`); a builder's module, with pandas
and reportlab, loads only when a report runs. Everything not named here is internal.
"""

from backoffice.services.reports.catalogue import REPORTS, get_report, list_reports
from backoffice.services.reports.checks import (
    check_report_fields,
    check_report_password,
    validate_report,
)
from backoffice.services.reports.run import ReportCancelledError, list_report_therapists, run_report
from backoffice.services.reports.types import (
    CLINIC_NAME_SETTING,
    FORMATS,
    PAGE_SIZES,
    ReportBuilder,
    ReportInfo,
    ReportProgress,
    ReportRequest,
    ReportResult,
)

__all__ = [
    "CLINIC_NAME_SETTING",
    "FORMATS",
    "PAGE_SIZES",
    "REPORTS",
    "ReportBuilder",
    "ReportCancelledError",
    "ReportInfo",
    "ReportProgress",
    "ReportRequest",
    "ReportResult",
    "check_report_fields",
    "check_report_password",
    "get_report",
    "list_report_therapists",
    "list_reports",
    "run_report",
    "validate_report",
]
