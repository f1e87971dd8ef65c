"""The clinic's 20 `public` tables (seed 001), mapped as they are: one import for all of them."""

from __future__ import annotations

from backoffice.models.clinic_bookings import (
    Appointment,
    Booking,
    BookingCancellation,
    BookingRequest,
    Payment,
    RefundCancellation,
)
from backoffice.models.clinic_caches import (
    AuditLog,
    Notification,
    TherapistAppointmentCache,
    TherapistClientSummary,
    TherapistDashboardStats,
)
from backoffice.models.clinic_notes import (
    AdditionalNote,
    ClientDocForm,
    ClientTransfer,
    SessionNote,
)
from backoffice.models.clinic_people import (
    Client,
    Therapist,
    TherapistResource,
    User,
    aisensy_campaign_api,
)

__all__ = [
    "AdditionalNote",
    "Appointment",
    "AuditLog",
    "Booking",
    "BookingCancellation",
    "BookingRequest",
    "Client",
    "ClientDocForm",
    "ClientTransfer",
    "Notification",
    "Payment",
    "RefundCancellation",
    "SessionNote",
    "Therapist",
    "TherapistAppointmentCache",
    "TherapistClientSummary",
    "TherapistDashboardStats",
    "TherapistResource",
    "User",
    "aisensy_campaign_api",
]
