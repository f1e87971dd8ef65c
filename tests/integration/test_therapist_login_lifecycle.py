"""A therapist's login from first to last: made by an admin with a temporary password, taken over by
the therapist, disabled when the therapist is deactivated, given a new temporary password after a
reactivation; and never reset while the therapist uses it."""

from __future__ import annotations

import uuid

import pytest
from psycopg import sql

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError, DatabaseUnavailable, PasswordChangeRequired
from backoffice.services import therapists
from backoffice.services.login import open_session, set_own_password
from tests import pgbouncer as bouncer
from tests.integration.transfer_fixtures import actor_of, admin_engine, owner

THERAPIST = "58004"


def _issue(db, login: str, password: str) -> None:
    with admin_engine(db) as engine, UnitOfWork(engine) as uow:
        therapists.create_therapist_login(
            uow, actor_of(db), therapist_id=THERAPIST, password=password, login_name=login
        )


def _set_status(db, service, reason: str) -> None:
    with admin_engine(db) as engine, UnitOfWork(engine) as uow:
        service(uow, actor_of(db), therapist_id=THERAPIST, reason=reason)


def test_a_login_is_disabled_with_its_therapist_and_reissued_after_reactivation(demo_clone):
    login, profile = f"aditi_{uuid.uuid4().hex[:8]}", demo_clone.profile()
    try:
        _issue(demo_clone, login, "temporary-one-1")
        set_own_password(
            profile,
            username=login,
            temporary_password="temporary-one-1",
            new_password="aditi-own-one-1",
        ).close()
        with pytest.raises(ConflictError, match="password of their own"):
            _issue(demo_clone, login, "admin-reset-1")

        _set_status(demo_clone, therapists.deactivate_therapist, "on leave")
        # Straight to PostgreSQL the refusal says "disabled"; PgBouncer looks the login up in
        # pg_shadow, which lists no NOLOGIN role, so through it a disabled login reads as refused.
        refused = "not accepted" if bouncer.wanted() else "disabled"
        with pytest.raises(DatabaseUnavailable, match=refused):
            open_session(profile, username=login, password="aditi-own-one-1")

        _set_status(demo_clone, therapists.reactivate_therapist, "back")
        _issue(demo_clone, login, "temporary-two-2")
        with pytest.raises(PasswordChangeRequired):
            open_session(profile, username=login, password="temporary-two-2")
        session = set_own_password(
            profile,
            username=login,
            temporary_password="temporary-two-2",
            new_password="aditi-own-two-2",
        )
        assert session.actor.therapist_id == THERAPIST
        session.close()
    finally:
        with owner(demo_clone) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))
