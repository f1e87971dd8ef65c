"""`db upgrade` to 0008_offline_sync on the demo clinic (with its data) from the revision before,
then `db provision`: drafts written offline upload once, and a second provisioning changes nothing."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from backoffice import migrations
from backoffice.cli import main
from backoffice.services.offline import upload_draft
from tests.integration.refund_fixtures import clinic_fixture  # noqa: F401
from tests.integration.test_chart import OWN_CLIENT, PAST_BOOKING
from tests.integration.transfer_fixtures import OLD

REVISION = "0008_offline_sync"


def test_upgrade_creates_the_draft_claims_and_drafts_upload_after_provisioning(clinic, capsys):
    url = clinic.database.owner_url
    previous = _back_to_before_offline(url)
    assert clinic.value("SELECT to_regclass('backoffice.offline_drafts')") is None
    notes_before = clinic.value("SELECT count(*) FROM client_additional_notes")
    text = url.render_as_string(hide_password=False)
    assert main(["db", "upgrade", "--url", text]) == 0
    assert main(["db", "provision", "--url", text]) == 0
    assert main(["db", "provision", "--url", text]) == 0
    capsys.readouterr()
    # REVISION applied (a later revision may follow it: the head is whatever came last)
    assert clinic.value("SELECT version_num FROM backoffice.alembic_version") != previous
    assert clinic.value("SELECT to_regclass('backoffice.offline_drafts')") is not None
    booking = clinic.value(PAST_BOOKING, clinic.value(OWN_CLIENT, OLD), OLD)
    draft = str(uuid.uuid4())
    for _ in range(2):
        clinic.run("demo_therapist", upload_draft, draft_id=draft, booking_id=booking, text="Hi")
    assert clinic.value("SELECT count(*) FROM client_additional_notes") == notes_before + 1


def _back_to_before_offline(url) -> str:
    config = migrations.alembic_config()
    previous = ScriptDirectory.from_config(config).get_revision(REVISION).down_revision
    assert isinstance(previous, str)
    engine = sa.create_engine(url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), previous)
    engine.dispose()
    return previous
