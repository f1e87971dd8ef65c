"""Therapist applications and therapists: submit, approve, reject, ask for information, resubmit;
deactivate (never delete) and reactivate; a login for an approved therapist; registrations with
their expiry (`record_registration`, `list_registrations`, `notify_registration_expiries`: what
expired and expiring mean is in `registrations`); the consistency check
of `therapists`, `users` and staff accounts, and its repair.

Approval writes `therapists`, `users` and the staff account in one transaction from one rule
(`records.shared_fields`), so that the tables agree field by field (seed 000's bug was an
approval that updated one table of three). Everything not named here is internal.
"""

from backoffice.services.therapists.applications import (
    reject_application,
    request_information,
    resubmit_application,
    submit_application,
)
from backoffice.services.therapists.approval import approve_application
from backoffice.services.therapists.consistency import check_consistency, repair_inconsistency
from backoffice.services.therapists.counter_setting import choose_sessions_booked_definition
from backoffice.services.therapists.counters import (
    SESSIONS_BOOKED_DEFINITIONS,
    SESSIONS_BOOKED_SETTING,
    CounterDefinition,
)
from backoffice.services.therapists.documents import (
    DOCUMENTS_SETTING,
    DocumentFile,
    get_application_photo,
    open_application_document,
)
from backoffice.services.therapists.reads import (
    get_application,
    list_applications,
    list_decisions,
    list_therapists,
)
from backoffice.services.therapists.registration_notices import notify_registration_expiries
from backoffice.services.therapists.registrations import (
    NOTICE_DAYS,
    THRESHOLDS,
    NoticeResult,
    Registration,
    RegistrationResult,
    expiring_registrations,
    expiry_state,
    list_registrations,
    record_registration,
)
from backoffice.services.therapists.roster import (
    create_therapist_login,
    deactivate_therapist,
    reactivate_therapist,
)
from backoffice.services.therapists.types import (
    Application,
    ApplicationDraft,
    ApplicationRow,
    ApprovalResult,
    ConsistencyReport,
    CounterDefinitionResult,
    DeactivationResult,
    DecisionResult,
    DecisionRow,
    Inconsistency,
    LoginResult,
    ReactivatedTherapist,
    RepairResult,
    TherapistRow,
)

__all__ = [
    "DOCUMENTS_SETTING",
    "NOTICE_DAYS",
    "SESSIONS_BOOKED_DEFINITIONS",
    "SESSIONS_BOOKED_SETTING",
    "THRESHOLDS",
    "Application",
    "ApplicationDraft",
    "ApplicationRow",
    "ApprovalResult",
    "ConsistencyReport",
    "CounterDefinition",
    "CounterDefinitionResult",
    "DeactivationResult",
    "DecisionResult",
    "DecisionRow",
    "DocumentFile",
    "Inconsistency",
    "LoginResult",
    "NoticeResult",
    "ReactivatedTherapist",
    "Registration",
    "RegistrationResult",
    "RepairResult",
    "TherapistRow",
    "approve_application",
    "check_consistency",
    "choose_sessions_booked_definition",
    "create_therapist_login",
    "deactivate_therapist",
    "expiring_registrations",
    "expiry_state",
    "get_application",
    "get_application_photo",
    "list_applications",
    "list_decisions",
    "list_registrations",
    "list_therapists",
    "notify_registration_expiries",
    "open_application_document",
    "reactivate_therapist",
    "record_registration",
    "reject_application",
    "repair_inconsistency",
    "request_information",
    "resubmit_application",
    "submit_application",
]
