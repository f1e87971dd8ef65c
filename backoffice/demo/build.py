"""The demo clinic: an embedded server holding a synthetic clinic, built whole or not at all.

The clinic is built in a scratch database and renamed to `clinic` only when everything succeeded,
so an interrupted build never leaves a half-filled demo behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import URL, Connection

from backoffice import config
from backoffice.demo.server import EmbeddedServer, socket_url

DEMO_DATABASE = "clinic"
_BUILD_DATABASE = "clinic_being_built"
DEMO_SERVER_NAME = "demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    therapist_id: str | None = None
    display_name: str | None = None  # a therapist's is their therapist's name


DEMO_CLINIC_NAME = "Sukoon Therapy Clinic (demo)"


@dataclass(frozen=True)
class DemoClinic:
    socket_dir: Path
    size: str
    built_now: bool
    logins: tuple[DemoLogin, ...]

    @property
    def owner_url(self) -> URL:
        return socket_url(self.socket_dir, username="postgres", database=DEMO_DATABASE)

    def login_url(self, login: DemoLogin) -> URL:
        return socket_url(self.socket_dir, username=login.username, database=DEMO_DATABASE)


def demo_server() -> EmbeddedServer:
    return EmbeddedServer(config.data_dir() / "demo")


def prepare_demo(
    size: str = "small", *, reset: bool = False, progress: Callable[[str], None] = print
) -> DemoClinic:
    """Start the demo server and make sure it holds a demo clinic (building it when needed)."""
    server = demo_server()
    if reset:
        progress("Removing the previous demo clinic...")
        server.delete()
    socket_dir = server.start()
    owner = _conninfo(socket_dir, "postgres")
    existing = _existing_size(owner)
    if existing is None:
        _build(socket_dir, size, progress, server.data_dir / "documents")
        existing, built_now = size, True
    else:
        built_now = False
        if existing != size:
            progress(
                f"The demo clinic already holds the {existing} clinic; "
                f"run with --reset to rebuild it as {size}."
            )
        _bring_up_to_date(
            socket_url(socket_dir, username="postgres", database=DEMO_DATABASE), progress
        )
    logins = _logins_in(_conninfo(socket_dir, "postgres", DEMO_DATABASE))
    return DemoClinic(socket_dir, existing, built_now, logins=logins)


def _bring_up_to_date(url: URL, progress: Callable[[str], None]) -> None:
    """A demo built by an older version gets the newer backoffice schema and grants (and the risk
    scan's functions of this lexicon version), then its notes scanned with it."""
    import sqlalchemy as sa

    from backoffice import migrations
    from backoffice.owner.provisioning import lexicon_provisioned, provision

    engine = sa.create_engine(url, poolclass=sa.NullPool, hide_parameters=True)
    try:
        with engine.begin() as conn:
            current = migrations.schema_state(conn) == "current"
            if current and lexicon_provisioned(conn):
                return
            progress("Upgrading the demo clinic's backoffice schema to this version...")
            if not current:
                migrations.upgrade(conn)
            provision(conn)
    finally:
        engine.dispose()
    _scan_notes(url, progress)


def _scan_notes(url: URL, progress: Callable[[str], None]) -> None:
    """The nightly scan for risk language, as the demo admin, so the queue shows it at once."""
    import sqlalchemy as sa

    from backoffice.db import UnitOfWork
    from backoffice.services.login import identify
    from backoffice.services.notes import scan_risk_language

    progress("Scanning the session notes for risk language...")
    admin = next(login for login in demo_logins([]) if login.role == "admin")
    login_url = url.set(username=admin.username, password=admin.password)
    engine = sa.create_engine(login_url, poolclass=sa.NullPool, hide_parameters=True)
    try:
        with UnitOfWork(engine) as uow:
            done = scan_risk_language(uow, identify(engine, login_url), batch_size=2000)
    finally:
        engine.dispose()
    progress(f"{done.examined:,} notes scanned, {done.flagged:,} with risk language.")


def _conninfo(socket_dir: Path, user: str, database: str = "postgres") -> str:
    return psycopg.conninfo.make_conninfo(host=str(socket_dir), user=user, dbname=database)


def _existing_size(owner_conninfo: str) -> str | None:
    with psycopg.connect(owner_conninfo, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DEMO_DATABASE,))
        if found.fetchone() is None:
            return None
    with psycopg.connect(
        owner_conninfo.replace("dbname=postgres", f"dbname={DEMO_DATABASE}")
    ) as conn:
        row = conn.execute(
            "SELECT value #>> '{}' FROM backoffice.settings WHERE key = 'demo.size'"
        ).fetchone()
    return row[0] if row else "unknown"


def _build(socket_dir: Path, size: str, progress: Callable[[str], None], documents: Path) -> None:
    admin = _conninfo(socket_dir, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{_BUILD_DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{_BUILD_DATABASE}"')
    try:
        build_demo_database(
            socket_url(socket_dir, username="postgres", database=_BUILD_DATABASE),
            size,
            progress,
            documents=documents,
        )
    except BaseException:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{_BUILD_DATABASE}" WITH (FORCE)')
        raise
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{_BUILD_DATABASE}" RENAME TO "{DEMO_DATABASE}"')


def build_demo_database(
    url: URL, size: str, progress: Callable[[str], None] = print, *, documents: Path | None = None
) -> None:
    """Both schemas, the synthetic clinic, provisioning and the demo logins, in one transaction;
    the applicants' documents written under `documents` when given; then the notes scanned for
    risk language, as the nightly job would."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.NullPool, hide_parameters=True)
    try:
        with engine.begin() as conn:
            _fill(conn, size, progress, documents)
    finally:
        engine.dispose()
    _scan_notes(url, progress)


def _fill(
    conn: Connection, size: str, progress: Callable[[str], None], documents: Path | None
) -> None:
    from backoffice import migrations
    from backoffice.demo import demo_size, load_demo_clinic
    from backoffice.demo.refunds import add_back_office_refunds
    from backoffice.models.clinic_functions import create_clinic_schema
    from backoffice.owner.provisioning import provision

    progress("Creating the clinic tables and the backoffice schema...")
    create_clinic_schema(conn)
    migrations.upgrade(conn)
    progress(f"Filling the {size} demo clinic...")
    driver = conn.connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    load_demo_clinic(driver, demo_size(size), progress=progress)
    progress("Provisioning the group roles, grants and row-level security...")
    provision(conn, database_name=DEMO_DATABASE)
    _create_demo_logins(conn)
    add_back_office_refunds(conn, demo_size(size).back_office_refunds, progress)
    _record_demo_settings(conn, size)
    _write_documents(conn, documents, progress)


def _record_demo_settings(conn: Connection, size: str) -> None:
    """The demo's size, what its `sessions_booked` counts (the generator knows), and the
    clinic's name for report headers."""
    from backoffice.demo.people_rows import SESSIONS_BOOKED_MEANS
    from backoffice.services.reports import CLINIC_NAME_SETTING

    conn.execute(
        text("SELECT backoffice.choose_sessions_booked_definition(:means)"),
        {"means": SESSIONS_BOOKED_MEANS},
    )
    insert = text(
        "INSERT INTO backoffice.settings (key, value) VALUES (:key, to_jsonb(CAST(:value AS text)))"
    )
    conn.execute(insert, {"key": "demo.size", "value": size})
    conn.execute(insert, {"key": CLINIC_NAME_SETTING, "value": DEMO_CLINIC_NAME})


def _write_documents(
    conn: Connection, documents: Path | None, progress: Callable[[str], None]
) -> None:
    """The applicants' files, where the settings will say they are (nothing without a folder)."""
    if documents is None:
        return
    from backoffice.demo.documents import write_application_files

    progress("Writing the applicants' documents...")
    write_application_files(conn, documents)


def _create_demo_logins(conn: Connection) -> None:
    from backoffice.owner.staff_logins import add_staff

    therapist_ids = list(
        conn.scalars(
            text("SELECT therapist_id FROM public.therapists ORDER BY id LIMIT :n"),
            {"n": len(DEMO_THERAPISTS)},
        )
    )
    for login in demo_logins(therapist_ids):
        conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{login.username}"')
        add_staff(
            conn,
            username=login.username,
            role=login.role,
            password=login.password,
            therapist_id=login.therapist_id,
            display_name=login.display_name,
        )


DEMO_THERAPISTS = ("demo_therapist", "demo_therapist2", "demo_therapist3")


def demo_logins(therapist_ids: list[str]) -> tuple[DemoLogin, ...]:
    """The demo's logins; their passwords are printed by `backoffice demo --no-gui`."""
    logins = [
        DemoLogin("demo_admin", "demo-admin-pass", "admin", display_name="Priya Menon"),
        DemoLogin("demo_finance", "demo-finance-pass", "finance", display_name="Arjun Iyer"),
    ]
    for name, therapist_id in zip(DEMO_THERAPISTS, therapist_ids, strict=False):
        logins.append(DemoLogin(name, "demo-therapist-pass", "therapist", therapist_id))
    return tuple(logins)


def _logins_in(owner_conninfo: str) -> tuple[DemoLogin, ...]:
    with psycopg.connect(owner_conninfo) as conn:
        rows = conn.execute(
            "SELECT login_role, therapist_id FROM backoffice.staff_accounts "
            "WHERE login_role LIKE 'demo%%' AND role = 'therapist' ORDER BY login_role"
        ).fetchall()
    return demo_logins([therapist_id for _, therapist_id in rows])
