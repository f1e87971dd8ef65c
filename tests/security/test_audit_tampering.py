"""The audit trail's hash chain against its owner: with the triggers disabled, the database owner
edits an event, deletes one, inserts one out of order; `backoffice audit verify` names each.

Events come in through every door first: plain inserts by each group and the SECURITY DEFINER
functions that write events themselves (an opening on record, an additional note).
"""

from __future__ import annotations

import pytest
from psycopg import errors

from backoffice.cli import main
from tests.integration.audit_fixtures import chained_fixture, login, owner  # noqa: F401

EXIT_BROKEN = 4
FORGED = """
INSERT INTO backoffice.audit_events (id, occurred_at, actor, action, subject_type, subject_id,
                                     details, chain_seq, prev_hash, row_hash)
SELECT t.id, t.at, 'demo_finance', 'refund.approved', 'refund', '999', '{{}}', t.seq, t.prev,
       backoffice.audit_event_hash(t.prev, t.seq, t.id, t.at, 'demo_finance', 'refund.approved',
                                   'refund', '999', '{{}}')
FROM (SELECT h.last_seq + 1 AS seq, {prev} AS prev, now() - interval '3 days' AS at,
             (SELECT max(id) + 100 FROM backoffice.audit_events) AS id
      FROM backoffice.audit_chain h) t
RETURNING id
"""


def events(clinic) -> list[tuple[int, str]]:
    with owner(clinic) as conn:
        return conn.execute(
            "SELECT id, action FROM backoffice.audit_events ORDER BY chain_seq"
        ).fetchall()


def tamper(clinic, statement: str, params: tuple = ()) -> list[tuple]:
    """As the owner, with the table's own triggers disabled for one transaction."""
    with owner(clinic) as conn, conn.transaction():
        conn.execute("ALTER TABLE backoffice.audit_events DISABLE TRIGGER USER")
        cursor = conn.execute(statement, params or None)
        rows = cursor.fetchall() if cursor.description else []
        conn.execute("ALTER TABLE backoffice.audit_events ENABLE TRIGGER USER")
    return rows


def verify(clinic, capsys, *more: str) -> tuple[int, str]:
    url = clinic.owner_url.render_as_string(hide_password=False)
    code = main(["audit", "verify", "--url", url, *more])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).strip()


def test_events_from_every_door_are_chained_and_verify(chained, capsys):
    trail = events(chained)
    actions = [action for _id, action in trail]
    assert {"probe.demo_therapist", "additional_note.added", "note.opened"} <= set(actions)
    assert actions[-1] == "probe.last"
    code, said = verify(chained, capsys)
    assert code == 0, said
    assert said.startswith("The audit trail is intact:")
    assert f"up to event {trail[-1][0]} (probe.last, " in said


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE backoffice.audit_events SET details = '{}'",
        "DELETE FROM backoffice.audit_events",
        "TRUNCATE backoffice.audit_events",
    ],
)
def test_the_owner_cannot_change_an_event_while_the_triggers_are_on(chained, statement):
    with owner(chained) as conn, pytest.raises(errors.InsufficientPrivilege, match="only grows"):
        conn.execute(statement)


def test_an_event_edited_by_the_owner_is_named(chained, capsys):
    (target, action), *_ = events(chained)[2:]
    tamper(
        chained,
        'UPDATE backoffice.audit_events SET details = \'{"amount": "25.00"}\' WHERE id = %s',
        (target,),
    )
    code, said = verify(chained, capsys)
    assert code == EXIT_BROKEN
    assert said.startswith(f"backoffice: Event {target} ({action}, ")
    assert said.endswith("IST) was changed after it was written.")


def test_an_event_deleted_by_the_owner_is_named(chained, capsys):
    trail = events(chained)
    (before, _), (gone, _), (after, after_action) = trail[1:4]
    tamper(chained, "DELETE FROM backoffice.audit_events WHERE id = %s", (gone,))
    code, said = verify(chained, capsys)
    assert code == EXIT_BROKEN
    assert said.startswith(f"backoffice: 1 event written between event {before} (")
    assert f"and event {after} ({after_action}, " in said
    assert said.endswith("was deleted.")


def test_the_last_event_deleted_by_the_owner_is_named(chained, capsys):
    *_, (before, _), (last, _) = events(chained)
    tamper(chained, "DELETE FROM backoffice.audit_events WHERE id = %s", (last,))
    code, said = verify(chained, capsys)
    assert code == EXIT_BROKEN
    assert said.startswith(f"backoffice: 1 event written after event {before} (")
    assert said.endswith("was deleted from the end of the chain.")


@pytest.mark.parametrize(
    ("links_to", "sentence"),
    [
        # the head's hash, with the hash computed as the trigger would, but behind its back
        ("(SELECT last_hash FROM backoffice.audit_chain)", "it was not chained when it was"),
        # a place after an earlier event, as if written then
        ("(SELECT row_hash FROM backoffice.audit_events ORDER BY chain_seq LIMIT 1)", "does not"),
    ],
)
def test_an_event_inserted_out_of_order_by_the_owner_is_named(chained, capsys, links_to, sentence):
    statement = FORGED.format(prev=links_to)
    if "does not" in sentence:  # the head is moved too, so that only the link gives it away
        statement = (
            f"WITH forged AS ({statement.strip()}) UPDATE backoffice.audit_chain "
            "SET last_seq = last_seq + 1 RETURNING (SELECT id FROM forged)"
        )
    [(forged,)] = tamper(chained, statement)
    code, said = verify(chained, capsys)
    assert code == EXIT_BROKEN
    assert said.startswith(f"backoffice: Event {forged} (refund.approved, ")
    assert sentence in said


@pytest.mark.parametrize("who", ["demo_admin", "demo_finance", "demo_therapist"])
def test_staff_cannot_write_the_chain_columns_or_move_the_head(chained, who):
    with login(chained, who) as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO backoffice.audit_events (action, subject_type, row_hash) "
                "VALUES ('probe', 'probe', '\\x00')"
            )
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("UPDATE backoffice.audit_chain SET last_seq = 0")


REWRITE = """
DO $$
DECLARE
    v_prev bytea;
    e record;
BEGIN
    UPDATE backoffice.audit_events SET details = '{"amount": "1.00"}' WHERE id = %(target)s;
    SELECT prev_hash INTO v_prev FROM backoffice.audit_events WHERE id = %(target)s;
    FOR e IN SELECT * FROM backoffice.audit_events WHERE chain_seq >=
             (SELECT chain_seq FROM backoffice.audit_events WHERE id = %(target)s)
             ORDER BY chain_seq LOOP
        UPDATE backoffice.audit_events SET prev_hash = v_prev,
            row_hash = backoffice.audit_event_hash(v_prev, e.chain_seq, e.id, e.occurred_at,
                e.actor, e.action, e.subject_type, e.subject_id, e.details)
        WHERE id = e.id RETURNING row_hash INTO v_prev;
    END LOOP;
    UPDATE backoffice.audit_chain SET last_hash = v_prev;
END
$$
"""


def test_a_rewrite_of_the_whole_chain_is_caught_only_by_an_anchor_kept_elsewhere(
    chained, capsys, tmp_path
):
    url = chained.owner_url.render_as_string(hide_password=False)
    assert main(["audit", "anchor", "--url", url]) == 0
    anchors = tmp_path / "anchors.txt"
    anchors.write_text(capsys.readouterr().out, encoding="utf-8")
    trail = events(chained)
    # The owner edits an event and recomputes every hash after it, and the head: a new chain.
    tamper(chained, REWRITE % {"target": trail[2][0]})

    code, said = verify(chained, capsys)
    assert code == 0, said  # what the chain alone cannot show (README, docs/audit-trail.md)
    code, said = verify(chained, capsys, "--anchors", str(anchors))
    assert code == EXIT_BROKEN
    assert said.startswith(f"backoffice: Event {trail[-1][0]} (probe.last, ")
    assert "does not carry the hash anchored for it" in said
