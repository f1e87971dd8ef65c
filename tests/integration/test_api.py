"""`backoffice.api` on the demo clinic: who signed in as the database says, a workflow per method in
a transaction of its own (committed, audited), the typed errors, streamed reads and reports."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from backoffice import api
from tests.conftest import DEMO_PASSWORDS
from tests.integration.transfer_fixtures import NEW, OLD, owner, straddling_client
from tests.integration.trust_fixtures import trusted_finance_login_fixture  # noqa: F401 (fixture)


def _url(database, login: str) -> str:
    url = database.login_url(login, DEMO_PASSWORDS[login])
    return url.render_as_string(hide_password=False)


def test_a_login_the_server_trusts_signs_in_without_a_password(trusted_finance_login):
    with api.connect(trusted_finance_login) as clinic:
        actor = clinic.actor

    assert actor.login_role == trusted_finance_login.username
    assert actor.role is api.Role.FINANCE
    assert actor.display_name == trusted_finance_login.username  # the staff account's name


def test_the_password_argument_is_used_when_the_url_has_none(demo_database):
    url = demo_database.login_url("demo_admin", None)

    with api.connect(url, password=DEMO_PASSWORDS["demo_admin"]) as clinic:
        assert clinic.actor.role is api.Role.ADMIN
        assert clinic.actor.display_name


def test_a_transfer_is_committed_with_its_audit_event(demo_clone):
    engine = sa.create_engine(demo_clone.owner_url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.connect() as conn:
        client = straddling_client(conn)
    engine.dispose()

    with api.connect(_url(demo_clone, "demo_admin")) as clinic:
        moved = clinic.transfer_client(
            client_id=client, to_therapist_id=NEW, reason="Scripted handover", share_past_notes=True
        )

    assert (moved.client_id, moved.from_therapist_id, moved.to_therapist_id) == (client, OLD, NEW)
    with owner(demo_clone) as conn:
        therapist = conn.execute(
            "SELECT therapist_id FROM all_clients_table WHERE client_id = %s", (client,)
        ).fetchone()[0]
        events = conn.execute(
            "SELECT actor FROM backoffice.audit_events WHERE action = 'client.transferred' "
            "AND subject_id = %s",
            (client,),
        ).fetchall()
    assert therapist == NEW
    assert events == [("demo_admin",)]


def test_a_role_that_may_not_is_refused_with_the_typed_error(demo_database):
    with (
        api.connect(_url(demo_database, "demo_finance")) as clinic,
        pytest.raises(api.PermissionDenied, match="does not allow"),
    ):
        clinic.approve_application(application_id=1)


def test_a_note_that_does_not_exist_is_not_found(demo_database):
    with (
        api.connect(_url(demo_database, "demo_admin")) as clinic,
        pytest.raises(api.NotFound),
    ):
        clinic.open_note(note_id=-1)


def test_an_opened_note_carries_its_session_and_earlier_notes(demo_clone):
    with api.connect(_url(demo_clone, "demo_admin")) as clinic:
        queue = clinic.list_review_queue(limit=50)
        note_id = next(row.note_id for row in queue if row.note_id is not None)
        note = clinic.open_note(note_id=note_id)

    assert note.note_id == note_id and note.opened_at is not None
    assert all(earlier.note_id != note_id for earlier in note.earlier)


def test_rows_are_streamed_while_their_transaction_stays_open(demo_database):
    with api.connect(_url(demo_database, "demo_finance")) as clinic:
        chunks = clinic.stream_rows(source=api.PAYMENTS, query=api.BrowseQuery(), chunk_size=500)
        counted = sum(len(chunk) for chunk in chunks)
        exact = clinic.exact_count(source=api.PAYMENTS, query=api.BrowseQuery())

    assert counted == exact > 500


def test_a_report_runs_as_the_login_and_is_written(demo_clone, tmp_path):
    target = tmp_path / "refunds.csv"
    today = dt.date.today()

    with api.connect(_url(demo_clone, "demo_finance")) as clinic:
        result = clinic.run_report(
            name="refunds", period_from=today - dt.timedelta(days=90), period_to=today, path=target
        )

    assert target.stat().st_size > 0 and result.message


def test_a_url_that_is_not_postgresql_is_a_validation_error():
    with pytest.raises(api.ValidationError, match="must be a PostgreSQL URL"):
        api.connect("mysql://asha@db.clinic.example/clinic")


def test_a_server_that_does_not_answer_is_database_unavailable():
    with pytest.raises(api.DatabaseUnavailable, match="Nothing is answering"):
        api.connect("postgresql://asha@127.0.0.1:1/clinic", password="x")
