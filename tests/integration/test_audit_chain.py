"""The audit chain on real PostgreSQL: concurrent inserts, the upgrade that chains existing events,
the trigger that hashes the row as stored, keyset batches, and who may check it."""

from __future__ import annotations

import threading

import psycopg
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from pypdf import PdfReader

from backoffice import migrations
from backoffice.cli import main
from backoffice.db import UnitOfWork, create_engine
from backoffice.errors import PermissionDenied
from backoffice.services.audit_trail import check_audit_trail, verify_audit_chain
from backoffice.services.login import identify
from backoffice.services.reports import run_report
from tests.conftest import DEMO_PASSWORDS
from tests.integration.audit_fixtures import INSERT, login, owner
from tests.pg import libpq_conninfo

REVISION = "0009_audit_chain"
CONNECTIONS = 10
EVENTS_EACH = 12


def chain_places(clinic) -> list[int]:
    with owner(clinic) as conn:
        return [r[0] for r in conn.execute("SELECT chain_seq FROM backoffice.audit_events")]


def verified(clinic, **options):
    engine = sa.create_engine(clinic.owner_url, poolclass=sa.NullPool, hide_parameters=True)
    try:
        return verify_audit_chain(engine, **options)
    finally:
        engine.dispose()


def test_inserts_from_ten_connections_at_once_keep_the_chain_valid(demo_clone):
    before = len(chain_places(demo_clone))
    start, failures = threading.Barrier(CONNECTIONS), []

    def write(number: int) -> None:
        who = ("demo_admin", "demo_finance", "demo_therapist")[number % 3]
        try:
            with login(demo_clone, who) as conn:
                start.wait()
                for event in range(EVENTS_EACH):
                    with conn.transaction():  # two events a transaction, some of them
                        conn.execute(INSERT, (f"race.{number}", str(event)))
                        if event % 3 == 0:
                            conn.execute(INSERT, (f"race.{number}.more", str(event)))
        except Exception as error:  # reported below, not lost in the thread
            failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    written = CONNECTIONS * (EVENTS_EACH + EVENTS_EACH // 3)
    assert sorted(chain_places(demo_clone)) == list(range(1, before + written + 1))
    check = verified(demo_clone)
    assert check.intact, check.problem
    assert check.verified == before + written


def test_keyset_batches_walk_the_whole_chain_and_report_progress(demo_clone):
    length = len(chain_places(demo_clone))
    seen: list[tuple[int, int]] = []
    check = verified(demo_clone, batch_size=2, progress=lambda *p: seen.append(p))
    assert check.intact and check.verified == length
    assert seen == [(min(n, length), length) for n in range(2, length + 2, 2)]


def test_the_chain_trigger_fires_last_and_hashes_the_row_as_stored(demo_clone):
    with owner(demo_clone) as conn:
        # Another BEFORE INSERT trigger that changes the row, as a later revision might add.
        conn.execute(
            "CREATE FUNCTION backoffice.stamp_probe() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN NEW.details := NEW.details || '{\"stamped\": true}'; RETURN NEW; END $$"
        )
        conn.execute(
            "CREATE TRIGGER audit_events_stamp BEFORE INSERT ON backoffice.audit_events "
            "FOR EACH ROW EXECUTE FUNCTION backoffice.stamp_probe()"
        )
        triggers = conn.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'backoffice.audit_events'::regclass "
            "AND NOT tgisinternal AND tgtype & 7 = 7 ORDER BY tgname"  # row, before, insert
        ).fetchall()
    assert triggers[-1] == ("zz_audit_chain",)
    with login(demo_clone, "demo_finance") as conn:
        conn.execute(INSERT, ("probe.stamped", "1"))
    check = verified(demo_clone)
    assert check.intact, check.problem


def test_an_admin_checks_the_chain_and_finance_may_not(staff):
    admin = staff("demo_admin")
    with admin.uow() as uow:
        check = check_audit_trail(uow, admin.actor)
    assert check.intact and check.verified == check.head.length > 0
    finance = staff("demo_finance")
    with finance.uow() as uow, pytest.raises(PermissionDenied, match="see the audit log"):
        check_audit_trail(uow, finance.actor)


def test_verify_as_a_login_that_may_not_read_the_trail_is_one_sentence(demo_database, capsys):
    url = demo_database.login_url("demo_finance", "demo-finance-pass")
    code = main(["audit", "verify", "--url", url.render_as_string(hide_password=False)])
    assert code == 1
    assert capsys.readouterr().err == (
        "backoffice: This login may not read the audit trail: verify it as the database owner "
        "or an admin.\n"
    )


def _back_to_before(url) -> str:
    config = migrations.alembic_config()
    previous = ScriptDirectory.from_config(config).get_revision(REVISION).down_revision
    assert isinstance(previous, str)
    engine = sa.create_engine(url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), previous)
    engine.dispose()
    return previous


def test_upgrade_chains_the_events_already_written_and_new_ones_follow(demo_clone, capsys):
    previous = _back_to_before(demo_clone.owner_url)
    for who in ("demo_admin", "demo_finance", "demo_therapist"):
        with login(demo_clone, who) as conn:
            conn.execute(INSERT, (f"before.{who}", "1"))
    with psycopg.connect(libpq_conninfo(demo_clone.owner_url)) as conn:
        assert conn.execute("SELECT version_num FROM backoffice.alembic_version").fetchone() == (
            previous,
        )
        ids = [r[0] for r in conn.execute("SELECT id FROM backoffice.audit_events ORDER BY id")]
    assert len(ids) > 3
    url = demo_clone.owner_url.render_as_string(hide_password=False)
    assert main(["db", "upgrade", "--url", url]) == 0
    assert main(["db", "provision", "--url", url]) == 0
    with owner(demo_clone) as conn:
        chained = conn.execute("SELECT id FROM backoffice.audit_events ORDER BY chain_seq")
        assert [r[0] for r in chained] == ids
    with login(demo_clone, "demo_finance") as conn:
        conn.execute(INSERT, ("after.upgrade", "2"))
    capsys.readouterr()
    assert main(["audit", "verify", "--url", url]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"The audit trail is intact: {len(ids) + 1} events verified, up to ")
    assert "(after.upgrade, " in said


def test_an_export_is_chained_although_another_event_was_written_while_it_was_read(
    demo_clone, tmp_path
):
    url = demo_clone.direct_login_url("demo_admin", DEMO_PASSWORDS["demo_admin"])
    engine = create_engine(url, poolclass=sa.NullPool)
    with owner(demo_clone) as conn:
        [(head_before,)] = conn.execute("SELECT last_hash FROM backoffice.audit_chain")
    meanwhile: list[str] = []

    def another_event_meanwhile() -> bool:  # asked while the report renders: never cancels
        if not meanwhile:
            with login(demo_clone, "demo_finance") as conn:
                conn.execute(INSERT, ("probe.meanwhile", "1"))
            meanwhile.append("written")
        return False

    try:
        result = run_report(
            lambda: UnitOfWork(engine),
            identify(engine, url),
            name="transfers",
            period_from="2020-01-01",
            period_to="2030-12-31",
            path=tmp_path / "transfers.pdf",
            cancelled=another_event_meanwhile,
        )
    finally:
        engine.dispose()
    assert meanwhile == ["written"]
    with owner(demo_clone) as conn:
        last_two = conn.execute(
            "SELECT action FROM backoffice.audit_events ORDER BY chain_seq DESC LIMIT 2"
        ).fetchall()
    assert last_two == [("report.exported",), ("probe.meanwhile",)]
    first_page = PdfReader(result.path).pages[0].extract_text()
    assert f"sha256:{bytes(head_before).hex()}" in first_page.replace("\n", "")
