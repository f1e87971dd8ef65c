"""Transfers on a private clone that commit for real: two admins racing for one client, a failure in the
middle of a transfer, and row-level security as the old and the new therapist (raw SQL, their own
logins) once the transfer has committed.
"""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError
from backoffice.services import transfers
from backoffice.services.transfers import steps as transfer_steps
from tests.conftest import DEMO_PASSWORDS
from tests.integration.transfer_fixtures import NEW, OLD, ROOMY, actor_of, admin_engine, owner
from tests.pg import libpq_conninfo

STRADDLING = """
SELECT c.client_id FROM all_clients_table c WHERE c.therapist_id = %s
AND (SELECT count(*) FROM appointment_table a WHERE a.client_id = c.client_id
     AND a.session_timings >= now() AT TIME ZONE 'Asia/Kolkata' + interval '1 day') >= 2
AND EXISTS (SELECT 1 FROM appointment_table a WHERE a.client_id = c.client_id
     AND a.session_timings < now() AT TIME ZONE 'Asia/Kolkata' - interval '1 day')
ORDER BY c.client_id LIMIT 1
"""
STATE = """
SELECT (SELECT therapist_id FROM all_clients_table WHERE client_id = %(c)s),
       (SELECT array_agg(therapist_id ORDER BY session_id) FROM appointment_table WHERE client_id = %(c)s),
       (SELECT array_agg(therapist_id ORDER BY booking_id) FROM bookings WHERE invitee_id = %(c)s),
       (SELECT count(*) FROM client_transfer_history),
       (SELECT count(*) FROM notifications),
       (SELECT count(*) FROM backoffice.audit_events),
       (SELECT array_agg(therapist_id || total_sessions ORDER BY id) FROM therapist_clients_summary),
       (SELECT array_agg(sessions_booked ORDER BY id) FROM therapists)
"""


def _client(db) -> str:
    with owner(db) as conn:
        return conn.execute(STRADDLING, (OLD,)).fetchone()[0]


class _HeldCommit(UnitOfWork):
    """A unit of work whose commit waits until the test lets it go (its locks held meanwhile)."""

    def __init__(self, bind, reached: threading.Event, release: threading.Event) -> None:
        super().__init__(bind)
        self._reached, self._release = reached, release

    def commit(self) -> None:
        self._reached.set()
        assert self._release.wait(30)
        super().commit()


def test_two_admins_transferring_one_client_at_once_one_wins_and_the_other_is_told(demo_clone):
    client = _client(demo_clone)
    actor = actor_of(demo_clone)
    reached, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first(engine):
        with _HeldCommit(engine, reached, release) as uow:
            outcome["first"] = transfers.transfer_client(
                uow, actor, client_id=client, to_therapist_id=NEW, reason="first admin"
            )

    def second(engine):
        try:
            with UnitOfWork(engine) as uow:
                outcome["second"] = transfers.transfer_client(
                    uow, actor, client_id=client, to_therapist_id=ROOMY, reason="second admin"
                )
        except ConflictError as error:
            outcome["second"] = error

    with admin_engine(demo_clone) as one, admin_engine(demo_clone) as two:
        a = threading.Thread(target=first, args=(one,))
        a.start()
        assert reached.wait(30), "the first transfer never reached its commit"
        b = threading.Thread(target=second, args=(two,))
        b.start()
        _wait_until_blocked(demo_clone)
        release.set()
        a.join(30)
        b.join(30)

    assert not isinstance(outcome["first"], Exception)
    assert isinstance(outcome["second"], ConflictError)
    assert "meanwhile" in str(outcome["second"]) and NEW in str(outcome["second"])
    with owner(demo_clone) as conn:
        assert conn.execute(
            "SELECT therapist_id FROM all_clients_table WHERE client_id = %s", (client,)
        ).fetchone() == (NEW,)
        history = conn.execute(
            "SELECT to_therapist_id FROM client_transfer_history WHERE reason LIKE '%% admin'"
        ).fetchall()
        assert history == [(NEW,)]
        assert conn.execute(
            "SELECT count(*) FROM appointment_table WHERE client_id = %s AND therapist_id = %s",
            (client, ROOMY),
        ).fetchone() == (0,)


def _wait_until_blocked(db) -> None:
    """Until some transaction of the clone waits for a lock (the second admin, on the first's)."""
    with owner(db) as conn:
        for _ in range(300):
            waiting = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            ).fetchone()[0]
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("the second transfer never waited for the first one's locks")


def test_a_failure_in_the_middle_of_a_transfer_leaves_nothing_changed(demo_clone, monkeypatch):
    client = _client(demo_clone)
    actor = actor_of(demo_clone)
    with owner(demo_clone) as conn:
        before = conn.execute(STATE, {"c": client}).fetchone()

    def broken(*args, **kwargs):
        raise RuntimeError("the network went down")

    # After the rows moved, the client was reassigned and the history was written.
    monkeypatch.setattr(transfer_steps, "refresh_caches", broken)
    with admin_engine(demo_clone) as engine, pytest.raises(RuntimeError), UnitOfWork(engine) as uow:
        transfers.transfer_client(
            uow, actor, client_id=client, to_therapist_id=NEW, reason="x", share_past_notes=True
        )
    with owner(demo_clone) as conn:
        assert conn.execute(STATE, {"c": client}).fetchone() == before
        assert conn.execute("SELECT count(*) FROM backoffice.shared_note_access").fetchone() == (0,)


def _seen_by(db, login: str, client: str) -> dict[str, int]:
    url = db.login_url(login, DEMO_PASSWORDS[login])
    with psycopg.connect(libpq_conninfo(url)) as conn:
        future = "now() AT TIME ZONE 'Asia/Kolkata'"
        return {
            "client": conn.execute(
                "SELECT count(*) FROM all_clients_table WHERE client_id = %s", (client,)
            ).fetchone()[0],
            "future_appointments": conn.execute(
                f"SELECT count(*) FROM appointment_table WHERE client_id = %s AND session_timings >= {future}",
                (client,),
            ).fetchone()[0],
            "future_bookings": conn.execute(
                f"SELECT count(*) FROM bookings WHERE invitee_id = %s AND booking_start_at >= {future}",
                (client,),
            ).fetchone()[0],
            "past_bookings": conn.execute(
                f"SELECT count(*) FROM bookings WHERE invitee_id = %s AND booking_start_at < {future}",
                (client,),
            ).fetchone()[0],
            "past_notes": conn.execute(
                "SELECT count(*) FROM client_session_notes WHERE booking_id = ANY(%s)",
                (_noted_sessions(db, client),),
            ).fetchone()[0],
        }


def _noted_sessions(db, client: str) -> list[str]:
    """The client's sessions (as the appointments table lists them) that have a note."""
    with owner(db) as conn:
        return [
            row[0]
            for row in conn.execute(
                "SELECT n.booking_id FROM client_session_notes n JOIN appointment_table a "
                "ON a.session_id = n.booking_id WHERE a.client_id = %s",
                (client,),
            )
        ]


def test_after_a_transfer_the_old_therapist_no_longer_sees_the_future_and_the_new_one_does(
    demo_clone,
):
    client = _client(demo_clone)
    old_before = _seen_by(demo_clone, "demo_therapist", client)
    new_before = _seen_by(demo_clone, "demo_therapist2", client)
    assert old_before["future_appointments"] >= 2 and old_before["past_bookings"] >= 1
    assert new_before == dict.fromkeys(new_before, 0)
    assert old_before["past_notes"] >= 1

    with admin_engine(demo_clone) as engine, UnitOfWork(engine) as uow:
        transfers.transfer_client(
            uow,
            actor_of(demo_clone),
            client_id=client,
            to_therapist_id=NEW,
            reason="RLS follows",
            share_past_notes=True,
        )

    old_after = _seen_by(demo_clone, "demo_therapist", client)
    new_after = _seen_by(demo_clone, "demo_therapist2", client)
    assert old_after["future_appointments"] == 0 and old_after["future_bookings"] == 0
    assert old_after["client"] == 0
    assert old_after["past_bookings"] == old_before["past_bookings"], (
        "the past stays with who held it"
    )
    assert new_after["future_appointments"] == old_before["future_appointments"]
    assert new_after["future_bookings"] == old_before["future_bookings"]
    assert new_after["client"] == 1 and new_after["past_bookings"] == 0
    assert new_after["past_notes"] >= 1, "shared history: the new therapist reads the earlier notes"
