"""Clinic note tables (seed 001): session notes, additional notes, document forms, transfer history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.models.base import ClinicBase
from backoffice.models.types import (
    Int,
    SerialPK,
    Str20,
    Str50,
    Str255,
    TextArray,
    TextCol,
    Timestamp,
)

if TYPE_CHECKING:
    from backoffice.models.clinic_bookings import Booking
    from backoffice.models.clinic_people import Therapist


class SessionNote(ClinicBase):
    """`client_session_notes`: a therapist's clinical note for one session.

    `booking_id` has no foreign key and some notes point to no booking (orphans), so the link to
    `Booking` is a read-only join that may find nothing.
    """

    __tablename__ = "client_session_notes"

    note_id: Mapped[SerialPK]
    booking_id: Mapped[TextCol | None]
    client_name: Mapped[TextCol | None]
    session_timing: Mapped[TextCol | None]
    host_name: Mapped[TextCol | None]
    session_status: Mapped[TextCol | None]
    client_age: Mapped[Int | None]
    gender: Mapped[TextCol | None]
    occupation: Mapped[TextCol | None]
    marital_status: Mapped[TextCol | None]
    concerns_discussed: Mapped[TextCol | None]
    somatic_cues: Mapped[TextArray | None]
    interventions_used: Mapped[TextCol | None]
    interventions_helpful: Mapped[TextCol | None]
    client_participation: Mapped[TextCol | None]
    goal_progress: Mapped[TextCol | None]
    client_values: Mapped[TextCol | None]
    self_harm_mention: Mapped[TextCol | None]
    self_harm_details: Mapped[TextCol | None]
    current_risk_level: Mapped[TextCol | None]
    protective_factors: Mapped[TextCol | None]
    health_history: Mapped[TextCol | None]
    past_diagnoses: Mapped[TextCol | None]
    next_session_plan: Mapped[TextCol | None]
    homework_suggested: Mapped[TextCol | None]
    created_at: Mapped[Timestamp | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    updated_at: Mapped[Timestamp | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))

    booking: Mapped[Booking | None] = relationship(
        primaryjoin="foreign(SessionNote.booking_id) == Booking.booking_id",
        viewonly=True,
        lazy="select",
    )


class AdditionalNote(ClinicBase):
    """`client_additional_notes`: free-text notes added to a booking by its therapist."""

    __tablename__ = "client_additional_notes"

    note_id: Mapped[SerialPK]
    booking_id: Mapped[TextCol] = mapped_column(ForeignKey("bookings.booking_id"))
    therapist_id: Mapped[Str255 | None] = mapped_column(ForeignKey("therapists.therapist_id"))
    therapist_name: Mapped[Str255 | None]
    note_text: Mapped[TextCol]
    created_at: Mapped[Timestamp | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    updated_at: Mapped[Timestamp | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))

    booking: Mapped[Booking] = relationship(lazy="select")
    therapist: Mapped[Therapist | None] = relationship(lazy="select")


class ClientDocForm(ClinicBase):
    """`client_doc_form`: a Paperform link sent for a booking (`booking_id` is varchar(50) here)."""

    __tablename__ = "client_doc_form"

    link_id: Mapped[SerialPK]
    booking_id: Mapped[Str50 | None] = mapped_column(ForeignKey("bookings.booking_id"))
    paperform_link: Mapped[TextCol | None]
    status: Mapped[Str20 | None]

    booking: Mapped[Booking | None] = relationship(lazy="select")


class ClientTransfer(ClinicBase):
    """`client_transfer_history`: one client moved from one therapist to another."""

    __tablename__ = "client_transfer_history"

    transfer_id: Mapped[SerialPK]
    client_name: Mapped[Str255]
    client_email: Mapped[Str255 | None]
    client_phone: Mapped[Str50 | None]
    from_therapist_id: Mapped[Str50 | None] = mapped_column(ForeignKey("therapists.therapist_id"))
    from_therapist_name: Mapped[Str255 | None]
    to_therapist_id: Mapped[Str50] = mapped_column(ForeignKey("therapists.therapist_id"))
    to_therapist_name: Mapped[Str255]
    transferred_by_admin_id: Mapped[Int | None]
    transferred_by_admin_name: Mapped[Str255 | None]
    transfer_date: Mapped[Timestamp | None] = mapped_column(
        server_default=text("CURRENT_TIMESTAMP")
    )
    reason: Mapped[TextCol | None]
    notes: Mapped[TextCol | None]

    from_therapist: Mapped[Therapist | None] = relationship(
        foreign_keys=[from_therapist_id], lazy="select"
    )
    to_therapist: Mapped[Therapist] = relationship(foreign_keys=[to_therapist_id], lazy="select")
