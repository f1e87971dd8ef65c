"""`db upgrade` to 0007_risk_scan_and_registrations on a clinic with data and openings on record,
then `db provision` (twice: it stays idempotent): notes open as before, the scan runs, and a
registration replaces the current one with the history kept."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from backoffice import migrations
from backoffice.cli import main
from backoffice.services.notes import open_note, scan_risk_language
from tests.integration.refund_fixtures import clinic_fixture  # noqa: F401

REVISION = "0007_risk_scan_and_registrations"
PREVIOUS = "0009_audit_chain"


def _downgrade(url) -> None:
    engine = sa.create_engine(url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), PREVIOUS)
    engine.dispose()


def _exec(clinic, statement: str, *params: object) -> None:
    with clinic.owner() as conn:
        conn.execute(statement, params or None)


def test_upgrade_from_0009_keeps_the_data_and_the_scan_and_registrations_work(clinic, capsys):
    url = clinic.database.owner_url
    _downgrade(url)
    assert clinic.value("SELECT version_num FROM backoffice.alembic_version") == PREVIOUS
    assert clinic.value("SELECT to_regclass('backoffice.note_risk_scans')") is None
    note_id = clinic.value("SELECT min(note_id) FROM client_session_notes")
    _exec(
        clinic, "INSERT INTO backoffice.note_openings (note_id, batch_id) VALUES (%s, 1)", note_id
    )
    openings = clinic.value("SELECT count(*) FROM backoffice.note_openings")
    text = url.render_as_string(hide_password=False)
    assert main(["db", "upgrade", "--url", text]) == 0
    assert main(["db", "provision", "--url", text]) == 0
    assert main(["db", "provision", "--url", text]) == 0
    capsys.readouterr()
    # REVISION applied (a later revision may follow it: the head is whatever came last)
    assert clinic.value("SELECT version_num FROM backoffice.alembic_version") != PREVIOUS
    assert clinic.value("SELECT to_regclass('backoffice.note_risk_scans')") is not None
    assert clinic.value("SELECT count(*) FROM backoffice.note_openings") == openings
    assert clinic.run("demo_admin", open_note, note_id=note_id).note_id == note_id
    scanned = clinic.run("demo_admin", scan_risk_language)
    assert scanned.complete and scanned.examined == clinic.value(
        "SELECT count(*) FROM client_session_notes"
    )
    assert scanned.flagged > 0
    _exec(
        clinic,
        "INSERT INTO backoffice.therapist_registrations (therapist_id, body, number, expires_on) "
        "VALUES ('58001', 'RCI', 'A1', '2027-01-01'), ('58001', 'RCI', 'A1', '2029-01-01')",
    )
    assert clinic.sql(
        "SELECT expires_on::text, is_current, replaced_at IS NOT NULL "
        "FROM backoffice.therapist_registrations ORDER BY id"
    ) == [("2027-01-01", False, True), ("2029-01-01", True, False)]
    assert clinic.value(
        "SELECT count(*) FROM backoffice.therapist_applications "
        "WHERE registration_expires_on IS NULL"
    ) == clinic.value("SELECT count(*) FROM backoffice.therapist_applications")
