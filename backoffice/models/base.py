"""Declarative bases: one for the clinic's `public` schema (not ours), one for our `backoffice` schema."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase

CLINIC_SCHEMA = "public"
BACKOFFICE_SCHEMA = "backoffice"

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ClinicBase(DeclarativeBase):
    """Tables of the clinic's existing database, mapped exactly as they are (seed 001).

    The back-office never creates or alters these tables in production; `create_all` on this
    metadata is only used to build the demo clinic.
    """

    metadata = MetaData(schema=CLINIC_SCHEMA)


class BackofficeBase(DeclarativeBase):
    """Tables of the application's own schema, created and upgraded by Alembic.

    No foreign key points from here into `public`: a foreign key would add triggers to the
    clinic's tables and change how the other programs that write to them behave.
    """

    metadata = MetaData(schema=BACKOFFICE_SCHEMA, naming_convention=NAMING_CONVENTION)
    # Our own tables record instants; the clinic's tables keep their wall-clock `timestamp`.
    type_annotation_map = {dt.datetime: DateTime(timezone=True)}
