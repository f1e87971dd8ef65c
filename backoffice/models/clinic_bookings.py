"""Clinic booking and money tables (seed 001): bookings, cancellations, requests, appointments, payments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.models.base import ClinicBase
from backoffice.models.types import (
    Bool,
    Int,
    Money,
    SerialPK,
    Str10,
    Str20,
    Str50,
    Str100,
    Str255,
    TextCol,
    Timestamp,
)

if TYPE_CHECKING:
    from backoffice.models.clinic_people import Client, Therapist


class Booking(ClinicBase):
    """`bookings`: one row per booking from the booking website (Calendly-like invitee/booking fields).

    The table declares no primary key. `booking_id` is UNIQUE (foreign keys point to it) but nullable;
    the ORM uses it as the mapper's primary key without declaring a PRIMARY KEY constraint, so a row
    whose `booking_id` is NULL cannot be loaded as a `Booking` (query it with Core if needed).
    The refund fields repeat those of `payments` and can disagree with them.
    """

    __tablename__ = "bookings"

    invitee_id: Mapped[TextCol | None]
    invitee_name: Mapped[TextCol | None]
    invitee_phone: Mapped[TextCol | None]
    invitee_email: Mapped[TextCol | None]
    invitee_question: Mapped[TextCol | None]
    invitee_token: Mapped[TextCol | None]
    invitee_country: Mapped[TextCol | None]
    invitee_city: Mapped[TextCol | None]
    invitee_timezone: Mapped[TextCol | None]
    invitee_created_at: Mapped[Timestamp | None]
    invitee_cancelled_at: Mapped[Timestamp | None]
    invitee_cancelled_reason: Mapped[TextCol | None]
    invitee_status: Mapped[TextCol | None]
    invitee_payment_reference_id: Mapped[TextCol | None]
    invitee_payment_gateway: Mapped[TextCol | None]
    invitee_payment_name: Mapped[TextCol | None]
    invitee_payment_currency: Mapped[TextCol | None]
    invitee_payment_amount: Mapped[Money | None]
    booking_user_id: Mapped[TextCol | None]
    booking_updated_at: Mapped[Timestamp | None]
    booking_subject: Mapped[TextCol | None]
    booking_status: Mapped[TextCol | None]
    booking_resource_id: Mapped[TextCol | None]
    booking_resource_type: Mapped[TextCol | None]
    booking_resource_name: Mapped[TextCol | None]
    booking_checkin_url: Mapped[TextCol | None]
    booking_mode: Mapped[TextCol | None]
    booking_joining_link: Mapped[TextCol | None]
    booking_invitee_time: Mapped[TextCol | None]
    booking_host_user_id: Mapped[TextCol | None]
    booking_host_name: Mapped[TextCol | None]
    booking_host_phone: Mapped[TextCol | None]
    booking_host_email: Mapped[TextCol | None]
    booking_start_at: Mapped[Timestamp | None]
    booking_end_at: Mapped[Timestamp | None]
    booking_duration: Mapped[Int | None]
    booking_cancelled_by: Mapped[TextCol | None]
    booking_cancel_reason: Mapped[TextCol | None]
    # Nullable in the database; every loaded Booking has one (it is the mapper's identity).
    booking_id: Mapped[str] = mapped_column(Text, unique=True, nullable=True)
    booking_account_id: Mapped[TextCol | None]
    refund_amount: Mapped[Money | None]
    refund_status: Mapped[Str255 | None]
    refund_failed_time: Mapped[Timestamp | None]
    rescheduled_at: Mapped[Timestamp | None]
    rescheduled_start_at: Mapped[Timestamp | None]
    rescheduled_end_at: Mapped[Timestamp | None]
    # sic: the column is spelled so in the clinic database.
    recheduled_from: Mapped[Timestamp | None]
    emergency_contact_name: Mapped[Str255 | None]
    emergency_contact_relation: Mapped[Str100 | None]
    emergency_contact_number: Mapped[Str20 | None]
    therapist_id: Mapped[Str255 | None] = mapped_column(ForeignKey("therapists.therapist_id"))
    refund_id: Mapped[Str255 | None]

    __mapper_args__ = {"primary_key": [booking_id]}

    therapist: Mapped[Therapist | None] = relationship(lazy="select")
    payments: Mapped[list[Payment]] = relationship(viewonly=True, lazy="raise")


class BookingCancellation(ClinicBase):
    """`booking_cancelled`: a cancellation recorded by the booking website."""

    __tablename__ = "booking_cancelled"

    id: Mapped[SerialPK]
    booking_id: Mapped[TextCol | None] = mapped_column(ForeignKey("bookings.booking_id"))
    invitee_id: Mapped[TextCol | None]
    invitee_name: Mapped[TextCol | None]
    invitee_number: Mapped[TextCol | None]
    invitee_email: Mapped[TextCol | None]
    cancelled_at: Mapped[Timestamp | None]
    cancelled_by: Mapped[TextCol | None]
    cancel_reason: Mapped[TextCol | None]
    created_at: Mapped[Timestamp | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))

    booking: Mapped[Booking | None] = relationship(lazy="select")


class BookingRequest(ClinicBase):
    """`booking_requests`: a booking link sent to a prospective client; intentionally not linked."""

    __tablename__ = "booking_requests"

    request_id: Mapped[SerialPK]
    client_name: Mapped[Str255]
    client_whatsapp: Mapped[Str20]
    client_email: Mapped[Str255 | None]
    therapy_type: Mapped[Str255]
    therapist_name: Mapped[Str255]
    booking_link: Mapped[TextCol | None]
    status: Mapped[Str50 | None] = mapped_column(server_default=text("'sent'"))
    created_at: Mapped[Timestamp | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    is_free_consultation: Mapped[Bool | None] = mapped_column(server_default=text("false"))


class Appointment(ClinicBase):
    """`appointment_table`: the admin dashboard's appointments, keyed by a text session id."""

    __tablename__ = "appointment_table"

    session_id: Mapped[Str255] = mapped_column(primary_key=True)
    session_timings: Mapped[Timestamp | None]
    session_name: Mapped[Str255 | None]
    session_mode: Mapped[Str50 | None]
    client_id: Mapped[Str255 | None] = mapped_column(ForeignKey("all_clients_table.client_id"))
    client_name: Mapped[Str255 | None]
    contact_info: Mapped[TextCol | None]
    therapist_id: Mapped[Str255 | None] = mapped_column(ForeignKey("therapists.therapist_id"))
    therapist_name: Mapped[Str255 | None]

    client: Mapped[Client | None] = relationship(lazy="select")
    therapist: Mapped[Therapist | None] = relationship(lazy="select")


class Payment(ClinicBase):
    """`payments`: a payment and its refund fields (duplicated in `bookings`, may disagree)."""

    __tablename__ = "payments"

    payment_id: Mapped[SerialPK]
    booking_id: Mapped[TextCol | None] = mapped_column(ForeignKey("bookings.booking_id"))
    invitee_name: Mapped[TextCol | None]
    invitee_email: Mapped[TextCol | None]
    payment_reference_id: Mapped[TextCol | None]
    amount: Mapped[Money | None]
    currency: Mapped[Str10 | None]
    payment_date: Mapped[Timestamp | None]
    payment_gateway_name: Mapped[TextCol | None]
    refund_amount: Mapped[Money | None]
    refund_initiation_date: Mapped[Timestamp | None]
    refund_status: Mapped[Str50 | None]
    refund_failed_date: Mapped[Timestamp | None]
    created_at: Mapped[Timestamp | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    updated_at: Mapped[Timestamp | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    refund_id: Mapped[Str255 | None]

    booking: Mapped[Booking | None] = relationship(lazy="select")


class RefundCancellation(ClinicBase):
    """`refund_cancellation_table`: `session_id` carries two foreign keys, to bookings and appointments."""

    __tablename__ = "refund_cancellation_table"

    id: Mapped[SerialPK]
    client_id: Mapped[Str255 | None] = mapped_column(ForeignKey("all_clients_table.client_id"))
    client_name: Mapped[Str255 | None]
    session_id: Mapped[Str255 | None] = mapped_column(
        ForeignKey("bookings.booking_id"), ForeignKey("appointment_table.session_id")
    )
    session_name: Mapped[Str255 | None]
    session_timings: Mapped[Timestamp | None]
    payment_id: Mapped[Str255 | None]
    refund_status: Mapped[Str50 | None]
    refund_id: Mapped[Str255 | None]

    client: Mapped[Client | None] = relationship(lazy="select")
    booking: Mapped[Booking | None] = relationship(lazy="select")
    # Read-only: `booking` already writes session_id, two writers of one column would conflict.
    appointment: Mapped[Appointment | None] = relationship(viewonly=True, lazy="select")
