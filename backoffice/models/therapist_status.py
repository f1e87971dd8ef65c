"""`backoffice.therapist_status_changes`: a therapist is deactivated (or reactivated) here, never deleted.

The clinic's `therapists` table has no "active" column and is not ours to alter, so the flag lives in
our schema as an append-only history: the latest row per therapist is the current state, and a
therapist without any row is active.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Identity, Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import BackofficeBase


class TherapistStatusChange(BackofficeBase):
    """One deactivation or reactivation of a therapist, with who, when and why."""

    __tablename__ = "therapist_status_changes"
    __table_args__ = (Index(None, "therapist_id", "id"),)

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    therapist_id: Mapped[str] = mapped_column(String(255))  # public.therapists.therapist_id
    is_active: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    changed_by: Mapped[str] = mapped_column(String(63), server_default=text("session_user"))
