"""#11 item 11: a failed statement's log line and error text carry no bound parameter: a SCRAM
verifier sent to create a login must never reach a log, whichever engine the application used."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from backoffice.db import create_engine
from backoffice.db_pool import create_workstation_engine

CREATE = sa.text("SELECT backoffice.create_therapist_login(:login, :verifier)")
ENGINES = {"command line": create_engine, "window": create_workstation_engine}


@pytest.mark.parametrize("made_by", sorted(ENGINES))
def test_a_failed_statement_logs_no_bound_parameter(secured_clinic, caplog, made_by):
    engine = ENGINES[made_by](secured_clinic.url("finance"))
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    try:
        with engine.connect() as conn:
            pgconn = conn.connection.driver_connection.pgconn  # type: ignore[union-attr]
            verifier = pgconn.encrypt_password(b"a-secret-pass", b"someone", b"scram-sha-256")
            secret = verifier.decode().split("$", 2)[2]
            with pytest.raises(DBAPIError) as failed:
                conn.execute(CREATE, {"login": "someone", "verifier": verifier.decode()})
            logging.getLogger("backoffice").error("the statement failed", exc_info=failed.value)
    finally:
        engine.dispose()
    assert "permission denied" in str(failed.value)
    assert secret not in str(failed.value)
    assert secret not in caplog.text
    assert "parameters hidden" in caplog.text
