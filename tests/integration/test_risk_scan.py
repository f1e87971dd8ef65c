"""The risk-language scan on real PostgreSQL: SQL picks the candidates, the matcher reads them, on
record and incrementally (an edited note or another lexicon version is scanned again)."""

from __future__ import annotations

import pytest

from backoffice.errors import PermissionDenied
from backoffice.risk_language import LEXICON_VERSION, postgres_prefilter, scan
from backoffice.services.notes import SCANNED_FIELDS, scan_risk_language
from tests.integration.refund_fixtures import clinic_fixture  # noqa: F401

HIDDEN = "Client said she wants to kill herself before the exams."
FIELDS_SQL = ", ".join(
    f"array_to_string({f}, ', ')" if f == "somatic_cues" else f for f in SCANNED_FIELDS
)


def _expected_flags(clinic) -> dict[int, list[str]]:
    """Every note's phrases, found by the matcher on every note in Python (no prefilter)."""
    found = {}
    for note_id, *texts in clinic.sql(f"SELECT note_id, {FIELDS_SQL} FROM client_session_notes"):
        phrases = [m.phrase for t in texts for m in scan(t)]
        if phrases:
            found[note_id] = sorted(phrases)
    return found


def _stored_flags(clinic) -> dict[int, list[str]]:
    rows = clinic.sql("SELECT note_id, phrase FROM backoffice.note_risk_matches")
    flags: dict[int, list[str]] = {}
    for note_id, phrase in rows:
        flags.setdefault(note_id, []).append(phrase)
    return {k: sorted(v) for k, v in flags.items()}


def _exec(clinic, statement: str, *params: object) -> None:
    with clinic.owner() as conn:
        conn.execute(statement, params or None)


def _unscanned(clinic) -> None:
    """Forget the demo build's scan: every note is to be scanned again."""
    _exec(
        clinic, "DELETE FROM backoffice.note_risk_matches; DELETE FROM backoffice.note_risk_scans"
    )


def _plant(clinic, text: str = HIDDEN) -> int:
    """A note whose structured fields say no risk, with risk language in its text."""
    note_id = clinic.value(
        "SELECT min(note_id) FROM client_session_notes WHERE current_risk_level = 'low'"
    )
    _exec(
        clinic,
        "UPDATE client_session_notes SET concerns_discussed = %s, updated_at = now() "
        "WHERE note_id = %s",
        text,
        note_id,
    )
    return int(note_id)


def test_the_scan_flags_exactly_what_the_matcher_finds_on_every_note(clinic):
    _unscanned(clinic)
    planted = _plant(clinic)
    result = clinic.run("demo_admin", scan_risk_language, batch_size=50)
    notes = clinic.value("SELECT count(*) FROM client_session_notes")
    assert result.complete and result.examined == notes and result.batches > 1
    expected = _expected_flags(clinic)
    assert planted in expected and _stored_flags(clinic) == expected
    assert result.flagged == len(expected) and result.candidates < notes
    assert clinic.value("SELECT count(*) FROM backoffice.note_risk_scans") == notes
    assert clinic.value(
        "SELECT count(*) FROM backoffice.note_risk_scans WHERE phrases > 0 AND lexicon_version = %s",
        LEXICON_VERSION,
    ) == len(expected)


def test_the_prefilter_runs_on_the_server_and_only_candidates_are_opened(clinic):
    _unscanned(clinic)
    _plant(clinic)
    before = clinic.value("SELECT coalesce(max(id), 0) FROM backoffice.audit_events")
    opened_before = clinic.value("SELECT coalesce(max(id), 0) FROM backoffice.note_openings")
    result = clinic.run("demo_admin", scan_risk_language)
    opened = clinic.sql(
        "SELECT DISTINCT note_id FROM backoffice.note_openings "
        "WHERE purpose = 'scan' AND opened_by = 'demo_admin' AND id > %s",
        opened_before,
    )
    candidates = clinic.sql(
        f"SELECT note_id FROM client_session_notes WHERE concat_ws(E'\\n', {FIELDS_SQL}) ~* %s",
        postgres_prefilter(),
    )
    assert sorted(opened) == sorted(candidates) and len(opened) == result.candidates
    events = clinic.sql(
        "SELECT actor, details->>'examined', details->>'candidates' FROM backoffice.audit_events "
        "WHERE action = 'notes.scanned' AND id > %s ORDER BY id",
        before,
    )
    assert len(events) == result.batches
    assert {e[0] for e in events} == {"demo_admin"}
    assert sum(int(e[1]) for e in events) == result.examined
    assert sum(int(e[2]) for e in events) == result.candidates


def test_a_second_run_scans_nothing_and_an_edited_note_alone_is_scanned_again(clinic):
    clinic.run("demo_admin", scan_risk_language)  # the demo build scanned them all already
    assert clinic.run("demo_admin", scan_risk_language).examined == 0
    planted = _plant(clinic)
    again = clinic.run("demo_admin", scan_risk_language)
    assert (again.examined, again.flagged) == (1, 1)
    assert _stored_flags(clinic)[planted] == [m.phrase for m in scan(HIDDEN)] != []
    _exec(
        clinic,
        "UPDATE client_session_notes SET concerns_discussed = 'Exam stress', "
        "updated_at = now() WHERE note_id = %s",
        planted,
    )
    cleared = clinic.run("demo_admin", scan_risk_language)
    assert (cleared.examined, cleared.flagged) == (1, 0)
    assert planted not in _stored_flags(clinic)
    assert (
        clinic.value("SELECT phrases FROM backoffice.note_risk_scans WHERE note_id = %s", planted)
        == 0
    )


def test_notes_scanned_with_another_lexicon_version_are_scanned_again(clinic):
    clinic.run("demo_admin", scan_risk_language)
    _exec(clinic, "UPDATE backoffice.note_risk_scans SET lexicon_version = 'older'")
    again = clinic.run("demo_admin", scan_risk_language)
    assert again.examined == clinic.value("SELECT count(*) FROM client_session_notes")
    assert (
        clinic.value(
            "SELECT count(*) FROM backoffice.note_risk_scans WHERE lexicon_version <> %s",
            LEXICON_VERSION,
        )
        == 0
    )


def test_a_run_stopped_early_goes_on_where_it_stopped(clinic):
    _unscanned(clinic)
    first = clinic.run("demo_admin", scan_risk_language, batch_size=20, max_batches=2)
    assert (first.examined, first.complete) == (40, False)
    rest = clinic.run("demo_admin", scan_risk_language, batch_size=20)
    assert rest.complete
    assert first.examined + rest.examined == clinic.value(
        "SELECT count(*) FROM client_session_notes"
    )


@pytest.mark.parametrize("login", ["demo_finance", "demo_therapist"])
def test_only_admins_may_scan(clinic, login):
    with pytest.raises(PermissionDenied):
        clinic.run(login, scan_risk_language)


def test_the_database_knows_whether_its_scan_functions_have_this_lexicon(clinic, monkeypatch):
    import sqlalchemy as sa

    from backoffice.owner.provisioning import lexicon_provisioned, risk_phrases

    engine = sa.create_engine(
        clinic.database.owner_url, poolclass=sa.NullPool, hide_parameters=True
    )
    try:
        with engine.connect() as conn:
            assert lexicon_provisioned(conn)
            monkeypatch.setattr(risk_phrases, "LEXICON_VERSION", "a-newer-one")
            assert not lexicon_provisioned(conn)
    finally:
        engine.dispose()


def test_a_queue_read_after_a_write_in_the_same_transaction_names_no_phrase_and_waits_for_none(
    staff,
):
    """The caller's uncommitted audit event holds the audit chain: the phrases' opening would wait
    for it, so the rows say 'Risk language in the text' instead of quoting."""
    from backoffice.services.notes import list_review_queue, review_note

    admin = staff("demo_admin")
    with admin.uow() as uow:
        before = list_review_queue(uow, admin.actor, risk="text")
    assert before and all(r.risk_phrases for r in before)
    with admin.uow() as uow:
        review_note(uow, admin.actor, note_id=before[0].note_id, outcome="follow_up", comment="x")
        after = list_review_queue(uow, admin.actor, risk="text")
    assert after and all(not r.risk_phrases for r in after)
    assert {r.risk_reason for r in after if r.text_risk and r.risk_level == "low"} <= {
        "Risk language in the text"
    }
