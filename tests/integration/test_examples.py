"""The example scripts of docs/api.md run as a clinic's IT person runs them: a subprocess, a demo
login's URL without a password (it is in the file PGPASSFILE names), nobody at a terminal."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from backoffice.services.reports import REPORTS
from tests.conftest import DEMO_PASSWORDS
from tests.integration.transfer_fixtures import NEW, OLD, straddling_client

EXAMPLES = Path(__file__).parents[2] / "examples"


def _run(script: str, database, login: str, *arguments: str, home: Path):
    pgpass = home / "pgpass"
    pgpass.write_text(f"*:*:*:{login}:{DEMO_PASSWORDS[login]}\n")
    pgpass.chmod(0o600)
    environment = {**os.environ, "PGPASSFILE": str(pgpass)}
    environment.pop("PGPASSWORD", None)
    url = database.login_url(login, None).set(drivername="postgresql")
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), "--url", url.render_as_string(), *arguments],
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_nightly_export_writes_every_report_the_login_may_run(demo_clone, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()

    ran = _run(
        "nightly_export.py",
        demo_clone,
        "demo_finance",
        "--to-folder",
        str(folder),
        "--format",
        "csv",
        home=tmp_path,
    )

    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("Exporting as ") and "(finance)" in ran.stdout.splitlines()[0]
    finance = {info.name for info in REPORTS if info.permission.name == "RUN_FINANCE_REPORTS"}
    written = {path.name.split("-20")[0] for path in folder.iterdir()}
    assert written == finance


def test_the_bulk_transfer_moves_each_client_and_reports_the_one_it_cannot(demo_clone, tmp_path):
    engine = sa.create_engine(demo_clone.owner_url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.connect() as conn:
        client = straddling_client(conn)
    moves = tmp_path / "moves.csv"
    with moves.open("w", newline="") as file:
        csv.writer(file).writerows([["client_id", "to_therapist_id"], [client, NEW], ["C0", NEW]])

    ran = _run(
        "bulk_transfer.py",
        demo_clone,
        "demo_admin",
        str(moves),
        "--reason",
        "Scripted handover",
        home=tmp_path,
    )

    assert ran.returncode == 1
    assert ran.stdout.splitlines()[-1] == "1 of 2 clients transferred."
    assert ran.stderr.strip().startswith("C0: ") and len(ran.stderr.strip().splitlines()) == 1
    with engine.connect() as conn:
        therapist = conn.execute(
            sa.text("SELECT therapist_id FROM all_clients_table WHERE client_id = :c"),
            {"c": client},
        ).scalar_one()
    engine.dispose()
    assert therapist == NEW != OLD
