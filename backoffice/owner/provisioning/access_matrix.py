"""What each group role may do to each table: the database half of the access matrix.

Read a line as "this clinic's group of that kind may <privileges> on <table>". A privilege followed by a column list is
granted on those columns only: where a table mixes money and clinical data, finance gets the money
columns and therapists the clinical ones. Nothing here grants DELETE on a person or TRUNCATE, and
nobody may UPDATE or DELETE an audit event (the owner neither, while the triggers of revision
0009_audit_chain are on). Every group reads the audit chain's head: a report prints its hash.
"""

from __future__ import annotations

# Kinds of staff: each clinic database has its own group role of each kind (`groups`).
ADMIN = "admin"
FINANCE = "finance"
THERAPIST = "therapist"

_BOOKING_MONEY = (
    "invitee_payment_reference_id, invitee_payment_gateway, invitee_payment_name, "
    "invitee_payment_currency, invitee_payment_amount, refund_amount, refund_status, "
    "refund_failed_time, refund_id"
)
_BOOKING_CLINICAL = (
    "invitee_question, emergency_contact_name, emergency_contact_relation, emergency_contact_number"
)
_BOOKING_COMMON = (
    "invitee_id, invitee_name, invitee_phone, invitee_email, invitee_token, invitee_country, "
    "invitee_city, invitee_timezone, invitee_created_at, invitee_cancelled_at, "
    "invitee_cancelled_reason, invitee_status, booking_user_id, booking_updated_at, "
    "booking_subject, booking_status, booking_resource_id, booking_resource_type, "
    "booking_resource_name, booking_checkin_url, booking_mode, booking_joining_link, "
    "booking_invitee_time, booking_host_user_id, booking_host_name, booking_host_phone, "
    "booking_host_email, booking_start_at, booking_end_at, booking_duration, booking_cancelled_by, "
    "booking_cancel_reason, booking_id, booking_account_id, rescheduled_at, rescheduled_start_at, "
    "rescheduled_end_at, recheduled_from, therapist_id"
)
_BOOKING_CANCEL = (
    "booking_status, booking_cancelled_by, booking_cancel_reason, booking_updated_at, "
    "invitee_status, invitee_cancelled_at, invitee_cancelled_reason"
)
_BOOKING_HOST = (
    "therapist_id, booking_host_user_id, booking_host_name, booking_host_phone, booking_host_email"
)
_USER_PUBLIC = "id, username, name, role, created_at, updated_at, therapist_id, full_name"
# A website login's user name, password, role and therapist are the website's: admins may correct
# the name shown; linking and creating go through backoffice.therapist_website_user (`website_users`).
_USER_EDITABLE = "name, full_name, updated_at"
_CLIENT_ASSIGNMENT = "therapist_id, assigned_therapist, no_of_sessions"
_STATUS_CHANGE = "therapist_id, is_active, reason"
_AUDIT_INSERT = "action, subject_type, subject_id, details"
# What a note is about, not what it says: enough for the review queue, the counts, the caseload
# and the risk-over-time strip. Every other column of client_session_notes is content, reached
# only through `backoffice.read_opened_notes` after a committed opening (`note_reads`).
NOTE_METADATA = (
    "note_id, booking_id, client_name, session_timing, host_name, session_status, "
    "self_harm_mention, current_risk_level, created_at, updated_at"
)
# Refunds: a person names the payment, amount and reason; who, when, the currency and the state
# are filled in by the triggers of migration 0003_refund_rules, which alone write the ledger
# (refund_events). A refund changes nothing but its state, gateway reference and failure message.
_REFUNDS = (
    "SELECT, INSERT (payment_id, amount, reason_code, note, idempotency_key), "
    "UPDATE (state, gateway_reference, failure_message)"
)
_STAFF_RECIPIENT = "FUNCTION backoffice.staff_recipient(text)"
# Money moves through functions (migration 0004_money_functions): nobody UPDATEs the refund fields
# of `payments` or `bookings`; the refund triggers write them on completion and failure, and
# `repair_refund_fields` writes the audited repair. "Refunded" and "refundable" are read from views.
_MONEY_READS = (
    "backoffice.ledger_refunds",
    "backoffice.payment_refunds",
    "backoffice.refund_lines",
    "backoffice.refund_fields_due",
    "backoffice.refund_mismatches",
    "backoffice.failed_refunds",
)
_MONEY_FUNCTIONS = (
    "FUNCTION backoffice.refund_processed_part(numeric, text)",
    "FUNCTION backoffice.refund_pending_part(numeric, text)",
    "FUNCTION backoffice.refund_failed_part(numeric, text, numeric)",
    "FUNCTION backoffice.refund_transitions()",
    "FUNCTION backoffice.refund_threshold(text)",
    "FUNCTION backoffice.refund_thresholds_in_force()",
    "FUNCTION backoffice.refund_four_eyes(integer)",
    "FUNCTION backoffice.refund_actions(integer)",
    "FUNCTION backoffice.repair_refund_fields(integer, text)",
    "FUNCTION backoffice.lock_payment_for_refund(integer)",
)
_SET_THRESHOLD = "FUNCTION backoffice.set_refund_approval_threshold(text, numeric, text)"
# A registration is never updated: a new one replaces the current one (migration 0007's trigger).
_REGISTRATION = "therapist_id, body, number, expires_on, application_id"

# (group, table, privileges). Tables without a schema are in `public`.
GRANTS: tuple[tuple[str, str, str], ...] = (
    # --- admins: read everything the back-office shows, write through the workflows
    (ADMIN, "therapists", "SELECT, INSERT, UPDATE"),
    (ADMIN, "users", f"SELECT ({_USER_PUBLIC}), UPDATE ({_USER_EDITABLE})"),
    (ADMIN, "bookings", f"SELECT, UPDATE ({_BOOKING_HOST}, {_BOOKING_CANCEL})"),
    (ADMIN, "booking_cancelled", "SELECT, INSERT"),
    (ADMIN, "booking_requests", "SELECT"),
    (ADMIN, "client_session_notes", f"SELECT ({NOTE_METADATA}), UPDATE (booking_id)"),
    (ADMIN, "client_additional_notes", "SELECT"),
    (ADMIN, "client_doc_form", "SELECT"),
    (ADMIN, "client_transfer_history", "SELECT, INSERT"),
    (ADMIN, "payments", "SELECT"),
    (ADMIN, "refund_cancellation_table", "SELECT, INSERT"),
    (ADMIN, "therapist_dashboard_stats", "SELECT, INSERT, UPDATE"),
    (ADMIN, "therapist_clients_summary", "SELECT, INSERT, UPDATE, DELETE"),
    (ADMIN, "therapist_appointments_cache", "SELECT, INSERT, UPDATE, DELETE"),
    (ADMIN, "therapist_resources", "SELECT"),
    (ADMIN, "all_clients_table", f"SELECT, UPDATE ({_CLIENT_ASSIGNMENT})"),
    (ADMIN, "appointment_table", "SELECT, UPDATE (therapist_id, therapist_name)"),
    (ADMIN, "audit_logs", "SELECT"),
    (ADMIN, "notifications", "SELECT, INSERT"),
    (ADMIN, "aisensy_campaign_api", "SELECT"),
    (ADMIN, "backoffice.staff_accounts", "SELECT"),
    (ADMIN, "backoffice.therapist_applications", "SELECT, INSERT, UPDATE"),
    (ADMIN, "backoffice.refunds", _REFUNDS),
    (ADMIN, "backoffice.refund_events", "SELECT"),
    (ADMIN, "backoffice.refund_balances", "SELECT"),
    (ADMIN, _STAFF_RECIPIENT, "EXECUTE"),
    *((ADMIN, view, "SELECT") for view in _MONEY_READS),
    *((ADMIN, function, "EXECUTE") for function in _MONEY_FUNCTIONS),
    (ADMIN, _SET_THRESHOLD, "EXECUTE"),
    (ADMIN, "backoffice.refund_thresholds", "SELECT"),
    (ADMIN, "backoffice.note_reviews", "SELECT, INSERT (note_id, outcome, comment)"),
    (ADMIN, "backoffice.note_openings", "SELECT"),
    (ADMIN, "backoffice.shared_note_access", "SELECT, INSERT (client_id, therapist_id)"),
    (ADMIN, "backoffice.therapist_status_changes", f"SELECT, INSERT ({_STATUS_CHANGE})"),
    (ADMIN, "backoffice.therapist_registrations", f"SELECT, INSERT ({_REGISTRATION})"),
    (
        ADMIN,
        "backoffice.registration_notices",
        "SELECT, INSERT (registration_id, threshold_days, notification_id)",
    ),
    # Which notes the risk scan flagged and in what categories; the phrases themselves are note
    # content (note_risk_matches: no group), read through `read_opened_risk_phrases`.
    (ADMIN, "backoffice.note_risk_scans", "SELECT"),
    (ADMIN, "backoffice.audit_events", f"SELECT, INSERT ({_AUDIT_INSERT})"),
    (ADMIN, "backoffice.audit_chain", "SELECT"),
    (ADMIN, "backoffice.settings", "SELECT, INSERT (key, value), UPDATE (value, updated_at)"),
    (ADMIN, "backoffice.alembic_version", "SELECT"),
    # --- finance: bookings and payments, refunds; no privilege at all on any note table
    (FINANCE, "therapists", "SELECT (therapist_id, name)"),
    (
        FINANCE,
        "bookings",
        f"SELECT ({_BOOKING_COMMON}, {_BOOKING_MONEY}), UPDATE ({_BOOKING_CANCEL})",
    ),
    (FINANCE, "booking_cancelled", "SELECT, INSERT"),
    (FINANCE, "payments", "SELECT"),
    (FINANCE, "refund_cancellation_table", "SELECT, INSERT"),
    (FINANCE, "all_clients_table", "SELECT (client_id, client_name, phone_number, email_id)"),
    # notifications: only refund notices, through backoffice.notify_refund_requester
    (FINANCE, "backoffice.refunds", _REFUNDS),
    (FINANCE, "backoffice.refund_events", "SELECT"),
    (FINANCE, "backoffice.refund_balances", "SELECT"),
    (FINANCE, _STAFF_RECIPIENT, "EXECUTE"),
    *((FINANCE, view, "SELECT") for view in _MONEY_READS),
    *((FINANCE, function, "EXECUTE") for function in _MONEY_FUNCTIONS),
    (FINANCE, "backoffice.audit_events", f"INSERT ({_AUDIT_INSERT})"),
    (FINANCE, "backoffice.audit_chain", "SELECT"),
    (FINANCE, "backoffice.settings", "SELECT"),
    (FINANCE, "backoffice.alembic_version", "SELECT"),
    # --- therapists: their own caseload only (row-level security narrows every table below)
    (THERAPIST, "therapists", "SELECT (therapist_id, name, specialization)"),
    (THERAPIST, "bookings", f"SELECT ({_BOOKING_COMMON}, {_BOOKING_CLINICAL})"),
    (THERAPIST, "client_session_notes", f"SELECT ({NOTE_METADATA})"),
    (THERAPIST, "client_additional_notes", "SELECT"),
    (THERAPIST, "client_doc_form", "SELECT"),
    (THERAPIST, "client_transfer_history", "SELECT"),
    (THERAPIST, "therapist_dashboard_stats", "SELECT"),
    (THERAPIST, "therapist_clients_summary", "SELECT"),
    (THERAPIST, "therapist_appointments_cache", "SELECT"),
    (THERAPIST, "all_clients_table", "SELECT"),
    (THERAPIST, "appointment_table", "SELECT"),
    (THERAPIST, "notifications", "SELECT, UPDATE (is_read)"),
    (THERAPIST, "backoffice.audit_events", f"INSERT ({_AUDIT_INSERT})"),
    (THERAPIST, "backoffice.audit_chain", "SELECT"),
    (THERAPIST, "backoffice.settings", "SELECT"),
    (THERAPIST, "backoffice.alembic_version", "SELECT"),
)


def qualified(table: str) -> str:
    return table if "." in table else f"public.{table}"
