"""The browsable sources the pages show, with column sets that respect each role's grants.

Finance holds no SELECT on the clinical columns of `bookings` and therapists none on its money
columns (`backoffice.owner.provisioning.access_matrix`): those columns carry `roles`, so the query a
role sends never names a column the database would refuse.
"""

from __future__ import annotations

import sqlalchemy as sa

from backoffice.models.backoffice import AuditEvent
from backoffice.models.clinic_bookings import Appointment, Booking, Payment
from backoffice.models.clinic_notes import SessionNote
from backoffice.models.clinic_people import Client, Therapist
from backoffice.services.browse.types import SourceColumn as C
from backoffice.services.browse.types import TableSource
from backoffice.services.changes import Area
from backoffice.services.permissions import Permission, Role

MONEY_ROLES = frozenset({Role.ADMIN, Role.FINANCE})
CLINICAL_ROLES = frozenset({Role.ADMIN, Role.THERAPIST})

BOOKINGS = TableSource(
    name="bookings",
    title="Bookings",
    table=Booking.__table__,
    key="booking_id",
    permission=Permission.VIEW_BOOKINGS,
    shows=frozenset({Area.BOOKINGS}),
    default_sort="booking_start_at",
    default_descending=True,
    columns=(
        C("booking_start_at", "Starts", "datetime"),
        C("invitee_name", "Client", search="substring"),
        C("invitee_email", "Email"),
        C("booking_status", "Status"),
        C("booking_mode", "Mode"),
        C("booking_host_name", "Therapist"),
        C("booking_duration", "Minutes", "int"),
        C("invitee_payment_amount", "Paid", "money", roles=MONEY_ROLES),
        C("invitee_payment_currency", "Currency", roles=MONEY_ROLES),
        C("refund_amount", "Refunded", "money", roles=MONEY_ROLES),
        C("refund_status", "Refund status", roles=MONEY_ROLES),
        C("invitee_question", "Client's question", sortable=False, roles=CLINICAL_ROLES),
        C("booking_id", "Booking id", search="exact"),
        C("therapist_id", "Therapist id", search="exact"),
    ),
)

PAYMENTS = TableSource(
    name="payments",
    title="Payments",
    table=Payment.__table__,
    key="payment_id",
    permission=Permission.VIEW_PAYMENTS,
    shows=frozenset({Area.PAYMENTS}),
    default_sort="payment_date",
    default_descending=True,
    columns=(
        C("payment_date", "Paid on", "datetime"),
        C("invitee_name", "Client", search="substring"),
        C("amount", "Amount", "money"),
        C("currency", "Currency"),
        C("payment_gateway_name", "Gateway"),
        C("refund_amount", "Refunded", "money"),
        C("refund_status", "Refund status"),
        C("refund_initiation_date", "Refund started", "datetime"),
        C("invitee_email", "Email"),
        C("payment_reference_id", "Gateway reference", search="exact"),
        C("booking_id", "Booking id", search="exact"),
        C("payment_id", "Payment id", "id", search="exact"),
    ),
)

CLIENTS = TableSource(
    name="clients",
    title="Clients",
    table=Client.__table__,
    key="client_id",
    permission=Permission.VIEW_CLIENTS,
    shows=frozenset({Area.CLIENTS}),
    default_sort="client_name",
    columns=(
        C("client_name", "Name", search="substring"),
        C("email_id", "Email", search="substring"),
        C("phone_number", "Phone", search="exact"),
        C("no_of_sessions", "Sessions", "int"),
        C("assigned_therapist", "Therapist"),
        C("therapist_id", "Therapist id", search="exact"),
        C("client_id", "Client id", search="exact"),
    ),
)

APPOINTMENTS = TableSource(
    name="appointments",
    title="Appointments",
    table=Appointment.__table__,
    key="session_id",
    permission=Permission.VIEW_APPOINTMENTS,
    shows=frozenset({Area.APPOINTMENTS}),
    default_sort="session_timings",
    default_descending=True,
    columns=(
        C("session_timings", "When", "datetime"),
        C("client_name", "Client", search="substring"),
        C("session_name", "Session"),
        C("session_mode", "Mode"),
        C("therapist_name", "Therapist"),
        C("client_id", "Client id", search="exact"),
        C("therapist_id", "Therapist id", search="exact"),
        C("session_id", "Session id", search="exact"),
    ),
)

THERAPISTS = TableSource(
    name="therapists",
    title="Therapists",
    table=Therapist.__table__,
    key="therapist_id",
    permission=Permission.VIEW_THERAPISTS,
    shows=frozenset({Area.THERAPISTS}),
    default_sort="name",
    columns=(
        C("name", "Name", search="substring"),
        C("specialization", "Specialisation", search="substring"),
        C("contact_info", "Contact"),
        C("sessions_booked", "Sessions booked", "int"),
        C("capacity", "Capacity", "int"),
        C("created_at", "Since", "datetime"),
        C("therapist_id", "Therapist id", search="exact"),
    ),
)

AUDIT_EVENTS = TableSource(
    name="audit_events",
    title="Audit events",
    table=AuditEvent.__table__,
    key="id",
    permission=Permission.VIEW_AUDIT_LOG,
    default_sort="occurred_at",
    default_descending=True,
    columns=(
        C("occurred_at", "When", "datetime"),
        C("actor", "Who", search="exact"),
        C(
            "event",
            "What happened",
            "event",
            sortable=False,
            filterable=False,
            expression=lambda t: sa.func.jsonb_build_object(
                "action",
                t.c.action,
                "subject_type",
                t.c.subject_type,
                "subject_id",
                t.c.subject_id,
                "details",
                t.c.details,
            ),
        ),
        C("action", "Action", search="substring"),
        C(
            "details",
            "Details as recorded",
            sortable=False,
            filterable=False,
            expression=lambda t: sa.cast(t.c.details, sa.Text),
        ),
        C("subject_id", "Subject id", search="exact"),
        C("id", "Event id", "id"),
    ),
)

# A therapist's own notes (row-level security narrows them to the caseload). The list shows when
# and how risky, not what was said: reading a note's content goes through notes.open_note,
# which records the opening first.
SESSION_NOTES = TableSource(
    name="session_notes",
    title="Session notes",
    table=SessionNote.__table__,
    key="note_id",
    permission=Permission.READ_NOTES,
    shows=frozenset({Area.NOTES}),
    default_sort="created_at",
    default_descending=True,
    columns=(
        C("created_at", "Written", "datetime"),
        C("client_name", "Client", search="substring"),
        C("session_timing", "Session", "timing"),
        C("session_status", "Status"),
        C("current_risk_level", "Risk", search="exact"),
        C("self_harm_mention", "Self-harm mentioned", search="exact"),
        C("booking_id", "Booking id", search="exact"),
        C("note_id", "Note id", "id"),
    ),
)

SOURCES: dict[str, TableSource] = {
    s.name: s
    for s in (BOOKINGS, PAYMENTS, CLIENTS, APPOINTMENTS, THERAPISTS, AUDIT_EVENTS, SESSION_NOTES)
}
