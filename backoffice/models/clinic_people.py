"""Clinic people tables (seed 001): users, therapists, all_clients_table, therapist_resources, aisensy."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.models.base import ClinicBase
from backoffice.models.types import Int, SerialPK, Str50, Str255, TextCol, Timestamp


class Therapist(ClinicBase):
    """`therapists`: the parent of most foreign keys, which point to `therapist_id`, not to `id`."""

    __tablename__ = "therapists"

    id: Mapped[SerialPK]
    therapist_id: Mapped[Str255] = mapped_column(unique=True)
    name: Mapped[Str255]
    specialization: Mapped[TextCol | None]
    contact_info: Mapped[Str255 | None]
    sessions_booked: Mapped[Int | None] = mapped_column(server_default=text("0"))
    capacity: Mapped[Int | None] = mapped_column(server_default=text("0"))
    created_at: Mapped[Timestamp | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))


class User(ClinicBase):
    """`users`: logins of the clinic's own web dashboard (not back-office staff accounts)."""

    __tablename__ = "users"

    id: Mapped[SerialPK]
    username: Mapped[Str255]
    password: Mapped[Str255]
    name: Mapped[Str255]
    role: Mapped[Str50 | None] = mapped_column(server_default=text("'admin'"))
    created_at: Mapped[Timestamp | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    updated_at: Mapped[Timestamp | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    therapist_id: Mapped[Str50 | None] = mapped_column(ForeignKey("therapists.therapist_id"))
    full_name: Mapped[Str255 | None]

    therapist: Mapped[Therapist | None] = relationship(lazy="select")


class Client(ClinicBase):
    """`all_clients_table`: one row per client, keyed by a text id, with the assigned therapist."""

    __tablename__ = "all_clients_table"

    client_id: Mapped[Str255] = mapped_column(primary_key=True)
    client_name: Mapped[Str255 | None]
    phone_number: Mapped[Str50 | None]
    email_id: Mapped[Str255 | None]
    no_of_sessions: Mapped[Int | None] = mapped_column(server_default=text("0"))
    therapist_id: Mapped[Str255 | None] = mapped_column(ForeignKey("therapists.therapist_id"))
    assigned_therapist: Mapped[Str255 | None]

    therapist: Mapped[Therapist | None] = relationship(lazy="select")


class TherapistResource(ClinicBase):
    """`therapist_resources`: no foreign key on `therapist_id`; it holds orphans (e.g. '58605')."""

    __tablename__ = "therapist_resources"

    id: Mapped[SerialPK]
    resource_id: Mapped[Int]
    resource_name: Mapped[Str255]
    therapist_id: Mapped[Str255]
    therapist_name: Mapped[Str255 | None]
    created_at: Mapped[Timestamp | None] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))
    therapy_name: Mapped[Str255 | None]


# `aisensy_campaign_api` has no primary key and may hold duplicate rows. It is mapped as a Core
# `Table` (no ORM class): a mapper primary key over its columns would merge duplicates into one
# identity and silently drop rows whose columns are all NULL. Read it with `select(aisensy_campaign_api)`.
aisensy_campaign_api = Table(
    "aisensy_campaign_api",
    ClinicBase.metadata,
    Column("campaign_name", String(255)),
    Column("therapy", String(255)),
    Column("therapist_name", String(255)),
)

__all__ = ["Client", "Therapist", "TherapistResource", "User", "aisensy_campaign_api"]
