"""The public Python API of the back-office, for scripts and scheduled jobs.

```python
from backoffice import api

with api.connect("postgresql://asha@db.clinic.example/clinic") as clinic:
    print(clinic.actor.display_name, clinic.actor.role)
    clinic.transfer_client(client_id="C20017", to_therapist_id="T1001", reason="...")
```

`clinic` has every public workflow and read of the services as a method of the same name, with
the same keyword arguments and result (see `Clinic`); each call is one transaction, as in the
window, and the login's grants and row security apply. Failures are the typed errors below, each
with one sentence for a person. What a script builds to pass in (a browse query, an application
draft, a refund gateway) and the functions that need no login are importable from here too.
`docs/api.md` is the guide.
"""

import logging

from backoffice.api.clinic import Clinic, connect
from backoffice.errors import (
    BackofficeError,
    ConflictError,
    DatabaseUnavailable,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from backoffice.services.audit_trail import ChainCheck, audit_anchor, verify_audit_chain
from backoffice.services.browse import (
    APPOINTMENTS,
    AUDIT_EVENTS,
    BOOKINGS,
    CLIENTS,
    PAYMENTS,
    SESSION_NOTES,
    SOURCES,
    THERAPISTS,
    BrowseQuery,
    Browser,
    Cursor,
    ExportCancelled,
    Filter,
    Selection,
    TableSource,
    export_view,
)
from backoffice.services.chart import ADDITIONAL_NOTE_MAX_CHARS, checked_note_text
from backoffice.services.notes import find_risk_language
from backoffice.services.offline import (
    CopyExpired,
    DeviceSecrets,
    OfflineUnavailable,
    discard_draft,
    keep_as_new_draft,
    list_copies,
    list_drafts,
    open_copy,
    open_encrypted,
    read_caseload,
    read_chart,
    read_note,
    save_draft,
    wipe_copy,
)
from backoffice.services.permissions import Actor, Role
from backoffice.services.refunds import (
    REASON_CODES,
    DashboardGateway,
    GatewayOutcome,
    GatewayRefundOrder,
    RefundGateway,
    check_reason,
    parse_amount,
)
from backoffice.services.reports import (
    FORMATS,
    PAGE_SIZES,
    REPORTS,
    ReportCancelledError,
    check_report_fields,
    check_report_password,
    get_report,
    validate_report,
)
from backoffice.services.therapists import ApplicationDraft, expiry_state

# A library's log lines reach a script's output only when the script configures logging.
logging.getLogger("backoffice").addHandler(logging.NullHandler())

__all__ = [
    "ADDITIONAL_NOTE_MAX_CHARS",
    "APPOINTMENTS",
    "AUDIT_EVENTS",
    "BOOKINGS",
    "CLIENTS",
    "FORMATS",
    "PAGE_SIZES",
    "PAYMENTS",
    "REASON_CODES",
    "REPORTS",
    "SESSION_NOTES",
    "SOURCES",
    "THERAPISTS",
    "Actor",
    "ApplicationDraft",
    "BackofficeError",
    "BrowseQuery",
    "Browser",
    "ChainCheck",
    "Clinic",
    "ConflictError",
    "CopyExpired",
    "Cursor",
    "DashboardGateway",
    "DatabaseUnavailable",
    "DeviceSecrets",
    "ExportCancelled",
    "Filter",
    "GatewayOutcome",
    "GatewayRefundOrder",
    "NotFound",
    "OfflineUnavailable",
    "PermissionDenied",
    "RefundGateway",
    "ReportCancelledError",
    "Role",
    "Selection",
    "TableSource",
    "ValidationError",
    "audit_anchor",
    "check_reason",
    "check_report_fields",
    "check_report_password",
    "checked_note_text",
    "connect",
    "discard_draft",
    "expiry_state",
    "export_view",
    "find_risk_language",
    "get_report",
    "keep_as_new_draft",
    "list_copies",
    "list_drafts",
    "open_copy",
    "open_encrypted",
    "parse_amount",
    "read_caseload",
    "read_chart",
    "read_note",
    "save_draft",
    "validate_report",
    "verify_audit_chain",
    "wipe_copy",
]
