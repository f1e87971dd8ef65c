"""Unlocking a locked session: the person proves again that they know their password."""

from __future__ import annotations

from backoffice.errors import ValidationError
from backoffice.services.login.staff_session import StaffSession, identify


def confirm_password(session: StaffSession, *, password: str) -> None:
    """Connect once more with `password` as the session's login; raises with a sentence if wrong.

    The session's own pool is left as it is, so the open page keeps its state.
    """
    if not password:
        raise ValidationError("Enter your password.")
    from backoffice.db import create_engine

    url = session.profile.url(session.actor.login_role, password)
    engine = create_engine(url, pool_size=1, max_overflow=0)
    try:
        actor = identify(engine, url)
    finally:
        engine.dispose()
    if actor.login_role != session.actor.login_role:
        raise ValidationError("That password belongs to another account.")
