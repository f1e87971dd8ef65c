"""`db upgrade` to 0006_note_reads_and_chart on a clinic with data and openings already on record,
then `db provision`: the old openings become batches of one, and notes open as before."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from backoffice import migrations
from backoffice.cli import main
from backoffice.services.notes import open_note
from tests.integration.refund_fixtures import clinic_fixture  # noqa: F401

REVISION = "0006_note_reads_and_chart"


def _back_to_before(url) -> str:
    """Downgrade the clone to the revision before ours; returns that revision."""
    config = migrations.alembic_config()
    previous = ScriptDirectory.from_config(config).get_revision(REVISION).down_revision
    assert isinstance(previous, str)
    engine = sa.create_engine(url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), previous)
    engine.dispose()
    return previous


def test_upgrade_keeps_the_openings_on_record_and_notes_open_after_provisioning(clinic, capsys):
    url = clinic.database.owner_url
    previous = _back_to_before(url)
    assert clinic.value("SELECT version_num FROM backoffice.alembic_version") == previous
    note_id = clinic.value("SELECT min(note_id) FROM client_session_notes")
    clinic.sql(
        "INSERT INTO backoffice.note_openings (note_id, opened_by) VALUES (%s, 'demo_admin'), "
        "(%s, 'demo_therapist') RETURNING id",
        note_id,
        note_id,
    )
    text = url.render_as_string(hide_password=False)
    assert main(["db", "upgrade", "--url", text]) == 0
    assert main(["db", "provision", "--url", text]) == 0
    capsys.readouterr()
    assert clinic.sql(
        "SELECT opened_by, batch_id = id, purpose FROM backoffice.note_openings ORDER BY id"
    ) == [("demo_admin", True, "read"), ("demo_therapist", True, "read")]
    detail = clinic.run("demo_admin", open_note, note_id=note_id)
    assert detail.note_id == note_id and detail.fields
    assert clinic.value("SELECT count(DISTINCT batch_id) FROM backoffice.note_openings") == 3
