"""The risk scan's doors against raw SQL: nobody but an admin (or the owner) scans, every batch of
content is on record first, nobody stores a phrase a note does not hold, and the phrases found are
note content (no group reads them but an admin, through an opening on record).

Each attack runs with plain psycopg as the role that would try it, on a clinic of this module's own
(its notes are given risk language by the owner)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from backoffice.services.notes import SCANNED_FIELDS
from tests.pg import unique_name
from tests.security.conftest import (
    BOOKING_OF_A,
    BOOKING_OF_B,
    SecuredClinic,
    build_secured_clinic,
    drop_secured_clinic,
)

RISKY_TEXT = "Exams next week. She wants to kill herself and has been saving pills."
NEXT = "SELECT batch_id, candidates FROM backoffice.risk_scan_next(0, 100)"
READ = "SELECT note_id, field, content FROM backoffice.read_risk_scan_batch(%s)"
STORE = "SELECT * FROM backoffice.store_risk_scan(%s, %s, CAST(%s AS jsonb))"
PHRASES = "SELECT phrase FROM backoffice.read_opened_risk_phrases(%s)"
OTHERS = ("finance", "therapist_a", "therapist_b")


@pytest.fixture(scope="module")
def clinic(pg_superuser_url, login_route) -> Iterator[SecuredClinic]:
    suffix = uuid.uuid4().hex[:6]
    built = build_secured_clinic(pg_superuser_url, unique_name("riskscan"), suffix, login_route)
    with built.owner() as owner:
        owner.execute(
            "UPDATE client_session_notes SET concerns_discussed = %s, updated_at = now()",
            (RISKY_TEXT,),
        )
    try:
        yield built
    finally:
        drop_secured_clinic(pg_superuser_url, built)


def _version(clinic: SecuredClinic) -> str:
    with clinic.owner() as owner:
        row = owner.execute(
            "SELECT prosrc FROM pg_proc WHERE proname = 'store_risk_scan'"
        ).fetchone()
    assert row is not None
    return row[0].split("IS DISTINCT FROM '")[1].split("'")[0]


def _scan_batch(clinic: SecuredClinic) -> tuple[int, list[int]]:
    """An admin's committed scan batch: its id and candidate notes (rescans every note)."""
    with clinic.owner() as owner:
        owner.execute("DELETE FROM backoffice.note_risk_scans")
    with clinic.connect("admin") as conn:
        batch_id, candidates = conn.execute(NEXT).fetchone()
        conn.commit()
    assert batch_id is not None and len(candidates) == 2
    return batch_id, candidates


def _note_of(clinic: SecuredClinic, booking_id: str) -> int:
    with clinic.owner() as owner:
        row = owner.execute(
            "SELECT note_id FROM client_session_notes WHERE booking_id = %s", (booking_id,)
        ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize("who", OTHERS)
def test_therapists_and_finance_cannot_run_a_scan_batch(clinic, who):
    with (
        clinic.connect(who, autocommit=True) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(NEXT)


@pytest.mark.parametrize("who", OTHERS)
def test_therapists_and_finance_cannot_read_an_admins_scan_batch(clinic, who):
    batch_id, _ = _scan_batch(clinic)
    with clinic.connect(who, autocommit=True) as conn:
        for attempt in (READ, PHRASES, "SELECT * FROM backoffice.read_opened_notes(%s)"):
            with pytest.raises(
                (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectNotInPrerequisiteState)
            ):
                conn.execute(attempt, (batch_id,))


@pytest.mark.parametrize("who", OTHERS)
def test_therapists_and_finance_cannot_store_or_read_what_a_scan_found(clinic, who):
    batch_id, _ = _scan_batch(clinic)
    attempts = [
        (STORE, (batch_id, _version(clinic), "[]")),
        ("SELECT phrase FROM backoffice.note_risk_matches", None),
        ("SELECT note_id, categories FROM backoffice.note_risk_scans", None),
        ("DELETE FROM backoffice.note_risk_scans", None),
    ]
    with clinic.connect(who, autocommit=True) as conn:
        for statement, params in attempts:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement, params)


def test_an_admin_reads_a_batch_only_after_it_was_committed(clinic):
    with clinic.owner() as owner:
        owner.execute("DELETE FROM backoffice.note_risk_scans")
    with clinic.connect("admin") as conn:
        batch_id, _ = conn.execute(NEXT).fetchone()
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
            conn.execute(READ, (batch_id,))
        conn.rollback()
    with clinic.owner() as owner:
        assert owner.execute(
            "SELECT count(*) FROM backoffice.note_openings WHERE batch_id = %s", (batch_id,)
        ).fetchone() == (0,)


def test_an_admin_reads_a_scan_batch_as_text_to_scan_and_never_as_a_whole_note(clinic):
    batch_id, candidates = _scan_batch(clinic)
    with clinic.connect("admin", autocommit=True) as conn:
        rows = conn.execute(READ, (batch_id,)).fetchall()
        assert {r[0] for r in rows} == set(candidates)
        assert {r[1] for r in rows} <= set(SCANNED_FIELDS)
        assert {(r[0], r[2]) for r in rows if r[1] == "concerns_discussed"} == {
            (note_id, RISKY_TEXT) for note_id in candidates
        }
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
            conn.execute("SELECT * FROM backoffice.read_opened_notes(%s)", (batch_id,))


def test_nobody_stores_a_phrase_the_note_does_not_hold_or_a_note_the_batch_did_not_read(clinic):
    batch_id, candidates = _scan_batch(clinic)
    forged = {"field": "concerns_discussed", "start": 0, "end": 5, "entry": "x", "category": "x"}
    with clinic.owner() as owner:
        updated = owner.execute(
            "SELECT updated_at FROM client_session_notes WHERE note_id = %s", (candidates[0],)
        ).fetchone()[0]
    note = {"note_id": candidates[0], "updated_at": updated.isoformat()}
    attempts = [
        [note | {"matches": [forged | {"phrase": "hang "}]}],  # "Exams" stands there
        [note | {"matches": [forged | {"field": "past_diagnoses", "phrase": "Exams"}]}],
        [{"note_id": 999_999, "updated_at": None, "matches": []}],
    ]
    with clinic.connect("admin", autocommit=True) as conn:
        for results in attempts:
            with pytest.raises(psycopg.errors.InvalidParameterValue):
                conn.execute(STORE, (batch_id, _version(clinic), json.dumps(results)))
        with pytest.raises(psycopg.errors.InvalidParameterValue):
            conn.execute(STORE, (batch_id, "another-version", "[]"))
    with clinic.owner() as owner:
        assert owner.execute("SELECT count(*) FROM backoffice.note_risk_matches").fetchone() == (0,)


def test_the_phrases_found_are_read_only_by_an_admin_after_an_opening_on_record(clinic):
    batch_id, candidates = _scan_batch(clinic)
    with clinic.owner() as owner:
        owner.execute(
            "INSERT INTO backoffice.note_risk_matches (note_id, field, phrase, start_at, end_at,"
            " entry_id, category, lexicon_version) VALUES (%s, 'concerns_discussed',"
            " 'kill herself', 21, 33, 'en.x', 'suicidal_ideation', 'v')",
            (candidates[0],),
        )
    with clinic.connect("admin") as conn:
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):  # not a phrases batch
            conn.execute(PHRASES, (batch_id,))
        conn.rollback()
        opened = conn.execute(
            "SELECT batch_id FROM backoffice.record_note_opening(%s, 'phrases')", ([candidates[0]],)
        ).fetchone()[0]
        conn.commit()
        assert conn.execute(PHRASES, (opened,)).fetchall() == [("kill herself",)]
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):  # no content
            conn.execute("SELECT * FROM backoffice.read_opened_notes(%s)", (opened,))
    own_note = _note_of(clinic, BOOKING_OF_A)
    with clinic.connect("therapist_a") as conn:
        batch = conn.execute(
            "SELECT batch_id FROM backoffice.record_note_opening(%s, 'phrases')", ([own_note],)
        ).fetchone()[0]
        conn.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(PHRASES, (batch,))
    with clinic.connect("therapist_a") as conn, pytest.raises(psycopg.errors.NoDataFound):
        conn.execute(
            "SELECT batch_id FROM backoffice.record_note_opening(%s, 'phrases')",
            ([_note_of(clinic, BOOKING_OF_B)],),
        )
