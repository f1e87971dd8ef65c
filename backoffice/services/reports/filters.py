"""The therapist or client a report is narrowed to: checked to exist, named for the report's header."""

from __future__ import annotations

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import NotFound

_THERAPIST = sa.text("SELECT name FROM public.therapists WHERE therapist_id = :id")
_CLIENT = sa.text("SELECT client_name FROM public.all_clients_table WHERE client_id = :id")


def therapist_label(uow: UnitOfWork, therapist_id: str) -> str:
    """ "Asha Rao (58013)"; NotFound when there is no such therapist."""
    name = uow.session.execute(_THERAPIST, {"id": therapist_id}).scalar_one_or_none()
    if name is None:
        raise NotFound(f"There is no therapist with the id {therapist_id!r}.")
    return f"{name} ({therapist_id})"


def client_label(uow: UnitOfWork, client_id: str) -> str:
    """ "Zoë D'Souza (C00001)"; NotFound when there is no such client."""
    row = uow.session.execute(_CLIENT, {"id": client_id}).first()
    if row is None:
        raise NotFound(f"There is no client with the id {client_id!r}.")
    return f"{row.client_name or 'unnamed client'} ({client_id})"
