"""Tables of migration 0007: risk language found in session notes, and therapists' registrations.

`note_risk_matches` holds phrases of note content: no staff group may read it (admins get the
phrases of notes they opened through `backoffice.read_opened_risk_phrases`). A registration is
never updated: a new row replaces the therapist's current one (a trigger marks the old one).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import BackofficeBase


class NoteRiskScan(BackofficeBase):
    """When a note was last scanned for risk language, at which version, and what was found."""

    __tablename__ = "note_risk_scans"
    __table_args__ = (
        Index("ix_note_risk_scans_flagged", "note_id", postgresql_where=text("phrases > 0")),
    )

    note_id: Mapped[int] = mapped_column(primary_key=True)  # public.client_session_notes
    note_updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())  # the clinic's clock
    lexicon_version: Mapped[str] = mapped_column(String(40))
    phrases: Mapped[int] = mapped_column(server_default="0")
    categories: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    scanned_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    scanned_by: Mapped[str] = mapped_column(String(63), server_default=text("session_user"))


class NoteRiskMatch(BackofficeBase):
    """One risk phrase found in a note's field: its span indexes the field's text (Python str)."""

    __tablename__ = "note_risk_matches"
    __table_args__ = (CheckConstraint("0 <= start_at AND start_at < end_at", name="span"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    note_id: Mapped[int] = mapped_column(index=True)
    field: Mapped[str] = mapped_column(String(63))
    phrase: Mapped[str] = mapped_column(Text)
    start_at: Mapped[int]
    end_at: Mapped[int]
    entry_id: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(50))
    lexicon_version: Mapped[str] = mapped_column(String(40))


class TherapistRegistration(BackofficeBase):
    """A therapist's registration with a professional body; one current, the earlier ones kept."""

    __tablename__ = "therapist_registrations"
    __table_args__ = (
        CheckConstraint("btrim(body) <> '' AND btrim(number) <> ''", name="body_and_number"),
        Index(
            "ux_therapist_registrations_current",
            "therapist_id",
            unique=True,
            postgresql_where=text("is_current"),
        ),
        Index(None, "therapist_id", "id"),
    )

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    therapist_id: Mapped[str] = mapped_column(String(255))  # public.therapists.therapist_id
    body: Mapped[str] = mapped_column(String(255))
    number: Mapped[str] = mapped_column(String(100))
    expires_on: Mapped[dt.date] = mapped_column(Date)
    application_id: Mapped[int | None]  # the approved application it came from
    is_current: Mapped[bool] = mapped_column(server_default=text("true"))
    recorded_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    recorded_by: Mapped[str] = mapped_column(String(63), server_default=text("session_user"))
    replaced_at: Mapped[dt.datetime | None]
    replaced_by: Mapped[str | None] = mapped_column(String(63))


class RegistrationNotice(BackofficeBase):
    """A reminder sent about a registration's expiry: once per registration and threshold."""

    __tablename__ = "registration_notices"
    __table_args__ = (UniqueConstraint("registration_id", "threshold_days", name="once"),)

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("therapist_registrations.id"))
    threshold_days: Mapped[int]
    notification_id: Mapped[int | None]  # public.notifications.id
    notified_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    notified_by: Mapped[str] = mapped_column(String(63), server_default=text("session_user"))
