"""No SQL in the application keeps state in the server session (PgBouncer's transaction pooling
would hand it to somebody else's next transaction, or lose it): no session SET, no advisory lock
held past its transaction, no LISTEN, no startup options. Settings are SET LOCAL or
set_config(..., true); a function's own `SET search_path` clause is the function's, not the
session's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "backoffice"
SESSION_STATE = {
    "a session SET": re.compile(
        r"(?<!DEFINER )(?<!INVOKER )\bSET\s+(?:SESSION\s+)?(?:statement_timeout|lock_timeout|"
        r"idle_in_transaction_session_timeout|search_path|work_mem|role|session_authorization|"
        r"application_name|time\s*zone|cursor_tuple_fraction|datestyle)\b",
        re.IGNORECASE,
    ),
    "an advisory lock held past its transaction": re.compile(
        r"pg_(?:try_)?advisory_(?:lock|unlock|lock_shared)\s*\(", re.IGNORECASE
    ),
    "LISTEN": re.compile(r"[\"']\s*LISTEN\s", re.IGNORECASE),
    "a setting for the session": re.compile(r"set_config\([^)]*,\s*false\s*\)", re.IGNORECASE),
    "startup options": re.compile(r"[\"']options[\"']\s*:"),
}


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("kind", sorted(SESSION_STATE))
def test_no_sql_keeps_state_in_the_server_session(kind):
    pattern = SESSION_STATE[kind]
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path in sources()
        for text in [path.read_text()]
        for match in pattern.finditer(text)
    ]
    assert found == [], f"{kind} in {found}"


def test_the_patterns_catch_what_they_name():
    samples = {
        "a session SET": "conn.execute(text('SET statement_timeout = 5'))",
        "an advisory lock held past its transaction": "SELECT pg_advisory_lock(42)",
        "LISTEN": "conn.execute('LISTEN refunds')",
        "a setting for the session": "set_config('backoffice.x', 'y', false)",
        "startup options": '{"options": "-c statement_timeout=5"}',
    }
    for kind, sample in samples.items():
        assert SESSION_STATE[kind].search(sample), kind
    allowed = (
        "SET LOCAL statement_timeout = 5",
        "LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog",
        "SELECT pg_advisory_xact_lock(1)",
        "set_config('backoffice.event_reason', '', true)",
    )
    for sample in allowed:
        assert not any(p.search(sample) for p in SESSION_STATE.values()), sample
