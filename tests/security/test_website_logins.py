"""#11 item 7: website logins are not ours to change. An admin with psql can neither rename a
therapist's website login nor set its password, nor insert a website user with a password of their
choosing; approval makes website users through a definer function that sets an unusable password
and records it."""

from __future__ import annotations

import pytest
from psycopg import errors

from backoffice.services.login import NO_DASHBOARD_PASSWORD
from tests.security.conftest import THERAPIST_A, THERAPIST_B

TAKEOVERS = {
    "rename": "UPDATE public.users SET username = 'attacker@example.org' WHERE therapist_id = %s",
    "password": "UPDATE public.users SET password = '$2b$12$chosen.by.the.admin' "
    "WHERE therapist_id = %s",
    "insert": "INSERT INTO public.users (username, password, name, role, therapist_id) "
    "VALUES ('second@example.org', '$2b$12$chosen.by.the.admin', 'Twin', 'therapist', %s)",
}
MAKE_USER = "SELECT backoffice.therapist_website_user(%s, %s, %s)"


@pytest.mark.parametrize("attempt", sorted(TAKEOVERS))
def test_an_admin_cannot_take_over_a_website_login(secured_clinic, attempt):
    with secured_clinic.connect("admin") as conn, pytest.raises(errors.InsufficientPrivilege):
        conn.execute(TAKEOVERS[attempt], (THERAPIST_A,))


def test_approval_makes_a_website_user_with_an_unusable_password_on_record(secured_clinic):
    with secured_clinic.owner() as owner:
        owner.execute("INSERT INTO therapists (therapist_id, name) VALUES ('T-NEW', 'New One')")
    try:
        with secured_clinic.connect("admin") as conn:
            row = conn.execute(MAKE_USER, ("T-NEW", "new.one@example.org", "New One")).fetchone()
            assert row is not None
            again = conn.execute(MAKE_USER, ("T-NEW", "new.one@example.org", "New One")).fetchone()
            conn.commit()
        with secured_clinic.owner() as owner:
            made = owner.execute(
                "SELECT username, password, role, therapist_id FROM users WHERE id = %s", row
            ).fetchone()
            events = owner.execute(
                "SELECT actor, action, details->>'password' FROM backoffice.audit_events "
                "WHERE subject_type = 'website_user' AND subject_id = %s",
                (str(row[0]),),
            ).fetchall()
    finally:
        with secured_clinic.owner() as owner:
            owner.execute("DELETE FROM users WHERE therapist_id = 'T-NEW'")
            owner.execute("DELETE FROM therapists WHERE therapist_id = 'T-NEW'")
    assert again == row  # found, not made twice
    assert made == ("new.one@example.org", NO_DASHBOARD_PASSWORD, "therapist", "T-NEW")
    admin = secured_clinic.logins["admin"]
    assert events == [(admin, "website_user.created", "unusable")]


def test_the_function_never_hands_one_therapists_website_user_to_another(secured_clinic):
    with secured_clinic.owner() as owner:
        username = owner.execute(
            "SELECT username FROM users WHERE therapist_id = %s", (THERAPIST_B,)
        ).fetchone()
    assert username is not None
    with secured_clinic.connect("admin") as conn, pytest.raises(errors.UniqueViolation):
        conn.execute(MAKE_USER, (THERAPIST_A, username[0], "Ananya Iyer"))


@pytest.mark.parametrize("who", ["finance", "therapist_a"])
def test_only_admins_may_make_website_users(secured_clinic, who):
    with secured_clinic.connect(who) as conn, pytest.raises(errors.InsufficientPrivilege):
        conn.execute(MAKE_USER, (THERAPIST_A, "x@example.org", "X"))
