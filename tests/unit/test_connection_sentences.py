"""What a person reads when the server, or PgBouncer in front of it, turns a connection away."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from backoffice.db import describe_connection_error

URL_ = URL.create("postgresql+psycopg", username="ana", password="secret", host="db", port=6432)


@pytest.mark.parametrize(
    ("server_says", "sentence"),
    [
        ("FATAL:  sorry, too many clients already",
         "The server at db:6432 has no free connection slots right now; try again in a minute."),
        ("FATAL:  remaining connection slots are reserved for non-replication superuser connections",
         "The server at db:6432 has no free connection slots right now; try again in a minute."),
        ("ERROR:  query_wait_timeout",
         "The server at db:6432 has no free connection slots right now; try again in a minute."),
        ("FATAL:  no more connections allowed (max_client_conn)",
         "The server at db:6432 has no free connection slots right now; try again in a minute."),
        ("FATAL:  no such user",
         "The user name or password was not accepted by the server at db:6432."),
        ('FATAL:  password authentication failed for user "ana"',
         "The user name or password was not accepted by the server at db:6432."),
    ],
)  # fmt: skip
def test_a_refused_connection_is_one_sentence_without_the_password(server_says, sentence):
    error = OperationalError("connect", {}, Exception(server_says))
    told = describe_connection_error(error, URL_)
    assert told == sentence
    assert "secret" not in told
