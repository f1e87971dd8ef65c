"""Choosing what `therapists.sessions_booked` counts in this clinic (#14 item 5)."""

from __future__ import annotations

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ValidationError
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.therapists.counters import SESSIONS_BOOKED_DEFINITIONS
from backoffice.services.therapists.types import CounterDefinitionResult

_CHOOSE = sa.text("SELECT backoffice.choose_sessions_booked_definition(:definition)")


def choose_sessions_booked_definition(
    uow: UnitOfWork, actor: Actor, *, definition: str
) -> CounterDefinitionResult:
    """Say what `therapists.sessions_booked` counts here: "all_bookings" or "not_cancelled". From
    then on the consistency check compares it with that count and may repair it, and transfers
    keep it up to date; before, it is only reported when it matches neither.

    Permission: MANAGE_THERAPISTS. One transaction; the database writes `backoffice.settings`
    and the audit event "setting.changed" (`owner.provisioning.settings_choices`).
    Raises PermissionDenied, ValidationError (a definition we do not know).
    """
    require(actor, Permission.MANAGE_THERAPISTS)
    chosen = next((d for d in SESSIONS_BOOKED_DEFINITIONS if d.key == definition), None)
    if chosen is None:
        known = ", ".join(f"{d.key} ({d.description})" for d in SESSIONS_BOOKED_DEFINITIONS)
        raise ValidationError(f"Sessions booked can count {known}; not '{definition}'.")
    uow.session.execute(_CHOOSE, {"definition": chosen.key})
    uow.commit()
    return CounterDefinitionResult(chosen.key, chosen.description)
