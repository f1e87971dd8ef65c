"""Reports and dashboards on a real hot standby (two Debian PostgreSQL 15 instances, streaming),
workflows on the primary, and the primary with a note when the standby is behind or down."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy as sa

from backoffice.cli import main
from backoffice.db import create_engine
from backoffice.db_standby import UNREACHABLE, ReadRouter
from backoffice.demo.build import build_demo_database
from backoffice.services.dashboard import AdminDashboard, get_dashboard
from backoffice.services.login import ServerProfile, StaffSession, open_session
from backoffice.services.reports import run_report
from backoffice.ui.pages.dashboard_page import load_dashboard
from tests.conftest import DEMO_PASSWORDS
from tests.pg import libpq_conninfo
from tests.standby import StreamingPair, available

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not available(), reason="Debian's PostgreSQL 15 is not installed"),
]
CLINIC = "clinic"
PERIOD = {"period_from": "2025-01-01", "period_to": "2026-12-31"}


@pytest.fixture(scope="module")
def pair() -> Iterator[StreamingPair]:
    """A primary holding the tiny demo clinic (and its logins) and its streaming standby."""
    servers = StreamingPair()
    try:
        servers.start()
        with psycopg.connect(libpq_conninfo(servers.primary_url()), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {CLINIC}")
        build_demo_database(servers.primary_url(CLINIC), "tiny", progress=lambda _: None)
        servers.wait_for_replay()
        yield servers
    finally:
        servers.delete()


@pytest.fixture
def admin(pair) -> Iterator[StaffSession]:
    profile = ServerProfile(
        host="127.0.0.1", port=pair.ports["primary"], database=CLINIC, sslmode="disable",
        read_server=f"127.0.0.1:{pair.ports['standby']}",
    )  # fmt: skip
    pair.wait_until_serving("demo_admin", DEMO_PASSWORDS["demo_admin"], CLINIC)
    session = open_session(profile, username="demo_admin", password=DEMO_PASSWORDS["demo_admin"])
    yield session
    session.close()


def in_recovery(uow) -> bool:
    return bool(uow.session.execute(sa.text("SELECT pg_is_in_recovery()")).scalar())


def test_dashboards_read_from_the_standby_and_workflows_stay_on_the_primary(admin):
    reads = admin.reads()
    assert (reads.on_standby, reads.note) == (True, None)
    with reads.unit_of_work() as uow:
        assert in_recovery(uow)
        assert uow.session.execute(sa.text("SELECT session_user")).scalar() == "demo_admin"
        assert isinstance(get_dashboard(uow, admin.actor), AdminDashboard)
    with admin.unit_of_work() as uow:
        assert not in_recovery(uow)
    shown = load_dashboard(admin)  # the window's dashboard page: on the standby, nothing to say
    assert isinstance(shown.value, AdminDashboard) and shown.note is None


def test_a_report_read_on_the_standby_equals_the_primarys_and_is_audited_there(
    admin, pair, tmp_path
):
    reads = admin.reads()
    assert reads.on_standby
    on_standby = run_report(admin.unit_of_work, admin.actor, name="revenue",
                            path=tmp_path / "standby.csv", read_uow_factory=reads.unit_of_work,
                            **PERIOD)  # fmt: skip
    on_primary = run_report(admin.unit_of_work, admin.actor, name="revenue",
                            path=tmp_path / "primary.csv", **PERIOD)  # fmt: skip
    assert on_standby.rows == on_primary.rows > 0
    assert (tmp_path / "standby.csv").read_bytes() == (tmp_path / "primary.csv").read_bytes()
    with psycopg.connect(libpq_conninfo(pair.primary_url(CLINIC))) as conn:
        files = conn.execute(
            "SELECT details->>'file' FROM backoffice.audit_events "
            "WHERE action = 'report.exported' ORDER BY id"
        ).fetchall()
    assert [name for (name,) in files][-2:] == ["standby.csv", "primary.csv"]


def test_a_standby_that_falls_behind_is_passed_over_with_a_note(admin, pair):
    url = admin.profile.read_url("demo_admin", DEMO_PASSWORDS["demo_admin"])
    assert url is not None
    standby = create_engine(url)
    router = ReadRouter(admin.engine, standby, max_lag_seconds=0.0, recheck_seconds=0)
    pair.pause_replay()
    try:
        with psycopg.connect(libpq_conninfo(pair.primary_url(CLINIC)), autocommit=True) as conn:
            conn.execute("CREATE TABLE public.lag_probe AS SELECT 1 AS x")  # a commit to lag on
        pair.wait_for_replay(received_only=True)  # received, not replayed
        target = router.target()
        assert target.engine is admin.engine and not target.on_standby
        assert target.note is not None and target.note.startswith(
            "Reports from the primary: the read-only server is "
        )
        assert target.note.endswith(" behind.")
    finally:
        pair.resume_replay()
        pair.wait_for_replay()
    assert router.target().on_standby
    standby.dispose()


def test_a_standby_that_is_down_is_passed_over_with_a_note(admin, pair, tmp_path, capsys, caplog):
    pair.stop_standby()
    try:
        admin.reads_router.forget()  # type: ignore[union-attr]
        reads = admin.reads()
        assert (reads.on_standby, reads.note) == (False, UNREACHABLE)
        # The window's sentence is short; the log keeps PostgreSQL's reason for the IT person.
        assert f"demo_admin:***@127.0.0.1:{pair.ports['standby']}/clinic" in caplog.text
        assert "Connection refused" in caplog.text
        with reads.unit_of_work() as uow:
            assert not in_recovery(uow)
            assert isinstance(get_dashboard(uow, admin.actor), AdminDashboard)
        shown = load_dashboard(admin)  # what the window's dashboard page runs on its worker
        assert isinstance(shown.value, AdminDashboard) and shown.note == UNREACHABLE
        code = report_command(pair, tmp_path / "r.csv")
        assert code == 0 and (tmp_path / "r.csv").exists()
        assert capsys.readouterr().err.strip() == f"backoffice: {UNREACHABLE}"
    finally:
        pair.start_standby()
        pair.wait_for_replay()


def test_the_report_command_reads_from_the_standby_given_by_read_url(pair, tmp_path, capsys):
    assert report_command(pair, tmp_path / "r.csv") == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "Saved the revenue report" in captured.out


def report_command(pair: StreamingPair, path) -> int:
    password = DEMO_PASSWORDS["demo_finance"]
    urls = {which: pair.url(which, username="demo_finance", password=password, database=CLINIC)
            for which in ("primary", "standby")}  # fmt: skip
    # The standby's URL without a password: the one of --url serves (the same login).
    return main([
        "report", "revenue", "--url", urls["primary"].render_as_string(hide_password=False),
        "--read-url", urls["standby"].set(password=None).render_as_string(hide_password=False),
        "--from", PERIOD["period_from"], "--to", PERIOD["period_to"], "-o", str(path),
    ])  # fmt: skip
