"""Tables of our own `backoffice` schema: staff, applications, refunds, note reviews, audit, settings.

Ids of clinic rows (`payment_id`, `note_id`, `therapist_id`, ...) are plain columns, not foreign keys:
see `BackofficeBase`. Nothing here is ever deleted by the application; people are deactivated.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Identity,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import BackofficeBase
from backoffice.roles import STAFF_ROLES

APPLICATION_STATES = ("pending", "approved", "rejected", "needs_information")
REFUND_STATES = ("requested", "approved", "rejected", "completed", "failed")
REVIEW_OUTCOMES = ("no_action", "follow_up", "safety_plan", "escalated")
# one note read, a caseload taken offline, a batch read by the risk scan, risk phrases listed
OPENING_PURPOSES = ("read", "checkout", "scan", "phrases")


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_allowed")


def _now() -> Any:
    return mapped_column(server_default=func.now(), nullable=False)


def _clock() -> Any:
    """The moment the row is written, not the start of its transaction (migration 0005)."""
    return mapped_column(server_default=func.clock_timestamp(), nullable=False)


class StaffAccount(BackofficeBase):
    """A person who logs in: one PostgreSQL login role, one back-office role."""

    __tablename__ = "staff_accounts"
    __table_args__ = (_one_of("role", STAFF_ROLES),)

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    login_role: Mapped[str] = mapped_column(String(63), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    user_id: Mapped[int | None]  # public.users.id
    therapist_id: Mapped[str | None] = mapped_column(String(255))  # public.therapists.therapist_id
    is_active: Mapped[bool] = mapped_column(server_default=text("true"))
    created_at: Mapped[dt.datetime] = _now()
    created_by: Mapped[str] = mapped_column(String(63), server_default=text("session_user"))
    disabled_at: Mapped[dt.datetime | None]
    # A login an admin made starts with a temporary password that only lets it set its own.
    must_set_password: Mapped[bool] = mapped_column(server_default=text("false"))
    password_set_at: Mapped[dt.datetime | None]


class TherapistApplication(BackofficeBase):
    """A therapist's application to join the clinic, and the decision taken on it."""

    __tablename__ = "therapist_applications"
    __table_args__ = (
        _one_of("state", APPLICATION_STATES),
        Index(None, "state", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(50))
    registration_number: Mapped[str | None] = mapped_column(String(100))
    registration_council: Mapped[str | None] = mapped_column(String(255))
    specialisations: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    bio: Mapped[str | None] = mapped_column(Text)
    years_of_experience: Mapped[int | None]
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    documents: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    photo: Mapped[str | None] = mapped_column(Text)
    registration_expires_on: Mapped[dt.date | None]
    weekly_capacity: Mapped[int | None]
    submitted_at: Mapped[dt.datetime] = _now()
    state: Mapped[str] = mapped_column(String(20), server_default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(63))
    decided_at: Mapped[dt.datetime | None]
    decision_message: Mapped[str | None] = mapped_column(Text)
    therapist_id: Mapped[str | None] = mapped_column(String(255))


class Refund(BackofficeBase):
    """One refund of (part of) a payment; its history is in `refund_events`."""

    __tablename__ = "refunds"
    __table_args__ = (
        _one_of("state", REFUND_STATES),
        CheckConstraint("amount > 0", name="amount_positive"),
        Index(None, "payment_id"),
        Index(None, "state"),
    )

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    payment_id: Mapped[int]  # public.payments.payment_id
    booking_id: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(10))
    reason_code: Mapped[str] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), server_default="requested")
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    requested_by: Mapped[str] = mapped_column(String(63), server_default=text("session_user"))
    requested_at: Mapped[dt.datetime] = _now()
    approved_by: Mapped[str | None] = mapped_column(String(63))
    approved_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]
    gateway_reference: Mapped[str | None] = mapped_column(String(255))
    failure_message: Mapped[str | None] = mapped_column(Text)


class RefundEvent(BackofficeBase):
    """A ledger line: every state change of a refund, with the refundable balance before and after."""

    __tablename__ = "refund_events"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    refund_id: Mapped[int] = mapped_column(ForeignKey("refunds.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    balance_before: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    balance_after: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    actor: Mapped[str] = mapped_column(String(63), server_default=text("session_user"))
    occurred_at: Mapped[dt.datetime] = _now()
    reason: Mapped[str | None] = mapped_column(Text)
    gateway_reference: Mapped[str | None] = mapped_column(String(255))


class NoteReview(BackofficeBase):
    """A reviewer's verdict on one session note (notes themselves are never edited)."""

    __tablename__ = "note_reviews"
    __table_args__ = (_one_of("outcome", REVIEW_OUTCOMES),)

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    note_id: Mapped[int] = mapped_column(index=True)  # public.client_session_notes.note_id
    reviewer: Mapped[str] = mapped_column(String(63), server_default=text("session_user"))
    reviewed_at: Mapped[dt.datetime] = _now()
    outcome: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)


class NoteOpening(BackofficeBase):
    """Who opened which session note and when: written and committed before the note is shown.

    The notes opened together share a `batch_id`; `backoffice.read_opened_notes(batch_id)` returns
    their content to the same login once the batch is committed.
    """

    __tablename__ = "note_openings"
    __table_args__ = (_one_of("purpose", OPENING_PURPOSES),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    note_id: Mapped[int] = mapped_column(index=True)
    opened_by: Mapped[str] = mapped_column(String(63), server_default=text("session_user"))
    opened_at: Mapped[dt.datetime] = _clock()
    batch_id: Mapped[int] = mapped_column(BigInteger, index=True)
    purpose: Mapped[str] = mapped_column(String(20), server_default="read")


class SharedNoteAccess(BackofficeBase):
    """After a transfer that shares history, the new therapist may read the client's earlier notes."""

    __tablename__ = "shared_note_access"
    __table_args__ = (UniqueConstraint("client_id", "therapist_id"),)

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(255))  # public.all_clients_table.client_id
    therapist_id: Mapped[str] = mapped_column(String(255), index=True)
    granted_by: Mapped[str] = mapped_column(String(63), server_default=text("session_user"))
    granted_at: Mapped[dt.datetime] = _now()


class OfflineDraft(BackofficeBase):
    """A draft written offline that reached the server: the id its laptop gave it, claimed once,
    and the additional note it became (written by `backoffice.upload_offline_draft` only)."""

    __tablename__ = "offline_drafts"

    draft_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    login_role: Mapped[str] = mapped_column(String(63), server_default=text("session_user"))
    therapist_id: Mapped[str] = mapped_column(String(255))
    booking_id: Mapped[str] = mapped_column(String(255))
    note_id: Mapped[int | None] = mapped_column(index=True)  # client_additional_notes.note_id
    uploaded_at: Mapped[dt.datetime] = mapped_column(server_default=text("clock_timestamp()"))


class AuditEvent(BackofficeBase):
    """An append-only record of every change and every sensitive read the back-office makes."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index(None, "occurred_at"),
        Index(None, "subject_type", "subject_id"),
        Index(None, "chain_seq", unique=True),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    occurred_at: Mapped[dt.datetime] = _clock()
    actor: Mapped[str] = mapped_column(String(63), server_default=text("session_user"))
    action: Mapped[str] = mapped_column(String(100))
    subject_type: Mapped[str] = mapped_column(String(50))
    subject_id: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    # Filled in by the database on insert (revision 0009): the event's place in the hash chain.
    chain_seq: Mapped[int] = mapped_column(BigInteger)
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary)
    row_hash: Mapped[bytes] = mapped_column(LargeBinary)


class AuditChain(BackofficeBase):
    """The audit chain's head, one row: where the next event is chained (revision 0009)."""

    __tablename__ = "audit_chain"
    __table_args__ = (CheckConstraint("only_row", name="one_row"),)

    only_row: Mapped[bool] = mapped_column(primary_key=True, server_default=text("true"))
    last_seq: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[bytes] = mapped_column(LargeBinary)
    last_event_id: Mapped[int | None] = mapped_column(BigInteger)
    last_occurred_at: Mapped[dt.datetime | None]


class Setting(BackofficeBase):
    """Clinic-wide settings (refund approval threshold, idle lock, clinic name...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONB)
    updated_at: Mapped[dt.datetime] = _now()
    updated_by: Mapped[str] = mapped_column(String(63), server_default=text("session_user"))
