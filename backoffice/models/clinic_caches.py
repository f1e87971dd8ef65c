"""Clinic dashboard caches and logs (seed 001): stats, summaries, appointment cache, audit logs, notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.models.base import ClinicBase
from backoffice.models.types import (
    Bool,
    Int,
    SerialPK,
    Str20,
    Str50,
    Str100,
    Str255,
    Str500,
    TextCol,
    Timestamp,
)

if TYPE_CHECKING:
    from backoffice.models.clinic_people import Therapist, User


class TherapistDashboardStats(ClinicBase):
    """`therapist_dashboard_stats`: one cached row of counters per therapist (therapist_id is UNIQUE)."""

    __tablename__ = "therapist_dashboard_stats"

    id: Mapped[SerialPK]
    therapist_id: Mapped[Str50] = mapped_column(ForeignKey("therapists.therapist_id"), unique=True)
    total_sessions: Mapped[Int | None] = mapped_column(server_default=text("0"))
    confirmed_sessions: Mapped[Int | None] = mapped_column(server_default=text("0"))
    cancelled_sessions: Mapped[Int | None] = mapped_column(server_default=text("0"))
    no_shows: Mapped[Int | None] = mapped_column(server_default=text("0"))
    upcoming_bookings: Mapped[Int | None] = mapped_column(server_default=text("0"))
    last_updated: Mapped[Timestamp | None] = mapped_column(server_default=text("now()"))

    therapist: Mapped[Therapist] = relationship(lazy="select")


class TherapistClientSummary(ClinicBase):
    """`therapist_clients_summary`: cached per-therapist client list for the therapist dashboard."""

    __tablename__ = "therapist_clients_summary"

    id: Mapped[SerialPK]
    therapist_id: Mapped[Str50] = mapped_column(ForeignKey("therapists.therapist_id"))
    client_name: Mapped[Str255 | None]
    client_email: Mapped[Str255 | None]
    client_phone: Mapped[Str50 | None]
    total_sessions: Mapped[Int | None] = mapped_column(server_default=text("0"))
    last_session_date: Mapped[Timestamp | None]
    created_at: Mapped[Timestamp | None] = mapped_column(server_default=text("now()"))

    therapist: Mapped[Therapist] = relationship(lazy="select")


class TherapistAppointmentCache(ClinicBase):
    """`therapist_appointments_cache`: cached per-therapist appointments (timings kept as text)."""

    __tablename__ = "therapist_appointments_cache"

    id: Mapped[SerialPK]
    therapist_id: Mapped[Str50] = mapped_column(ForeignKey("therapists.therapist_id"))
    session_timings: Mapped[Str500 | None]
    session_name: Mapped[Str500 | None]
    client_name: Mapped[Str255 | None]
    contact_info: Mapped[Str100 | None]
    mode: Mapped[Str100 | None]
    booking_date: Mapped[Timestamp | None]
    booking_status: Mapped[Str50 | None]
    created_at: Mapped[Timestamp | None] = mapped_column(server_default=text("now()"))

    therapist: Mapped[Therapist] = relationship(lazy="select")


class AuditLog(ClinicBase):
    """`audit_logs`: the therapist dashboard's own log; `timestamp` is IST wall-clock time as varchar."""

    __tablename__ = "audit_logs"

    log_id: Mapped[SerialPK]
    therapist_id: Mapped[Str50 | None] = mapped_column(ForeignKey("therapists.therapist_id"))
    therapist_name: Mapped[Str255 | None]
    action_type: Mapped[Str100]
    action_description: Mapped[TextCol]
    client_name: Mapped[Str255 | None]
    ip_address: Mapped[Str50 | None]
    is_visible: Mapped[Bool | None] = mapped_column(server_default=text("true"))
    # varchar(255), not a timestamp: filled by the database function get_ist_timestamp().
    timestamp: Mapped[Str255 | None] = mapped_column(server_default=text("get_ist_timestamp()"))

    therapist: Mapped[Therapist | None] = relationship(lazy="select")


class Notification(ClinicBase):
    """`notifications`: messages shown to the clinic's web dashboard users."""

    __tablename__ = "notifications"

    notification_id: Mapped[SerialPK]
    user_id: Mapped[Int | None] = mapped_column(ForeignKey("users.id"))
    user_role: Mapped[Str20]
    notification_type: Mapped[Str100]
    title: Mapped[Str255]
    message: Mapped[TextCol]
    related_id: Mapped[Str50 | None]
    is_read: Mapped[Bool | None] = mapped_column(server_default=text("false"))
    created_at: Mapped[Timestamp | None] = mapped_column(
        server_default=text("(CURRENT_TIMESTAMP AT TIME ZONE 'Asia/Kolkata')")
    )

    user: Mapped[User | None] = relationship(lazy="select")
