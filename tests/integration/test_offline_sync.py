"""Sync on real PostgreSQL: each draft lands exactly once, whether the connection is cut before,
during or after COMMIT; a client transferred away keeps the draft on the laptop; a draft edited
after its upload is a visible conflict, never an overwrite."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from backoffice.db import create_engine
from backoffice.errors import DatabaseUnavailable
from backoffice.services.login import identify
from backoffice.services.offline import (
    list_drafts,
    read_caseload,
    read_chart,
    save_draft,
    sync_caseload,
    upload_draft,
)
from backoffice.services.offline import online as online_module
from backoffice.services.transfers import transfer_client
from tests.conftest import DEMO_PASSWORDS
from tests.integration.offline_fixtures import (  # noqa: F401 (fixtures)
    Offline,
    clinic_fixture,
    offline_fixture,
)
from tests.integration.test_chart import OWN_CLIENT, PAST_BOOKING
from tests.integration.transfer_fixtures import NEW, OLD
from tests.offline_proxy import TappedProxy

TEXT = "Sent the sleep-diary sheet by post, as agreed."


def _draft(offline: Offline, text: str = TEXT) -> tuple[str, str, str]:
    """A draft on a past session of demo_therapist's client: (client, booking, draft id)."""
    client = offline.clinic.value(OWN_CLIENT, OLD)
    booking = offline.clinic.value(PAST_BOOKING, client, OLD)
    saved = save_draft(offline.open("demo_therapist"), booking_id=booking, text=text)
    return client, booking, saved.draft_id


def _landed(offline: Offline, text: str = TEXT) -> list[tuple]:
    return offline.clinic.sql(
        "SELECT a.note_id, d.draft_id::text FROM client_additional_notes a "
        "LEFT JOIN backoffice.offline_drafts d ON d.note_id = a.note_id WHERE a.note_text = %s",
        text,
    )


@pytest.fixture
def proxied(offline: Offline) -> Iterator[tuple[TappedProxy, sa.Engine]]:
    """demo_therapist's engine through a proxy the test can cut."""
    proxy = TappedProxy(offline.clinic.database.owner_url)
    url = offline.clinic.database.direct_login_url(
        "demo_therapist", DEMO_PASSWORDS["demo_therapist"]
    )
    url = url.set(host="127.0.0.1", port=proxy.port, query={"sslmode": "disable"})
    engine = create_engine(url, poolclass=sa.NullPool)
    yield proxy, engine
    engine.dispose()
    proxy.close()


def _sync_via(offline: Offline, engine: sa.Engine) -> object:
    return offline.run(sync_caseload, engine, identify(engine, engine.url), "demo_therapist")


def test_sync_uploads_each_draft_once_then_refreshes_the_copy(offline):
    offline.checkout("demo_therapist")
    client, booking, draft_id = _draft(offline)
    result = offline.sync("demo_therapist")
    assert [d.draft_id for d in result.uploaded] == [draft_id] and not result.kept
    assert [row[1] for row in _landed(offline)] == [draft_id]
    again = offline.sync("demo_therapist")
    assert again.uploaded == () and len(_landed(offline)) == 1
    copy = offline.open("demo_therapist")
    assert list_drafts(copy) == ()
    shown = read_chart(copy, client_id=client).entry(booking)
    assert TEXT in [n.text for n in shown.additional_notes if n.mine]  # type: ignore[union-attr]


def test_uploading_the_same_draft_again_lands_nothing_and_an_edit_is_a_conflict(offline):
    client = offline.clinic.value(OWN_CLIENT, OLD)
    booking = offline.clinic.value(PAST_BOOKING, client, OLD)
    draft_id = str(uuid.uuid4())
    outcomes = [
        offline.clinic.run(
            "demo_therapist", upload_draft, draft_id=draft_id, booking_id=booking, text=text
        )
        for text in (TEXT, f"  {TEXT}\n", TEXT + " And rang.")
    ]
    assert [o.outcome for o in outcomes] == ["added", "already", "conflict"]
    assert outcomes[2].server_text == TEXT and len({o.note_id for o in outcomes}) == 1
    assert len(_landed(offline)) == 1


def test_a_connection_cut_before_commit_lands_the_draft_once_at_the_next_sync(offline, proxied):
    proxy, engine = proxied
    offline.checkout("demo_therapist")
    _, _, draft_id = _draft(offline)
    proxy.cut_before_commit()
    with pytest.raises(DatabaseUnavailable):
        _sync_via(offline, engine)
    assert _landed(offline) == []
    assert [d.state for d in list_drafts(offline.open("demo_therapist"))] == ["draft"]
    proxy.restore()
    _sync_via(offline, engine)
    assert [row[1] for row in _landed(offline)] == [draft_id]


def test_a_connection_cut_during_commit_lands_the_draft_once(offline, proxied):
    proxy, engine = proxied
    offline.checkout("demo_therapist")
    _, _, draft_id = _draft(offline)
    proxy.cut_after_sending_commit()
    with pytest.raises(DatabaseUnavailable):
        _sync_via(offline, engine)
    proxy.restore()
    result = _sync_via(offline, engine)
    assert [row[1] for row in _landed(offline)] == [draft_id]
    assert list_drafts(offline.open("demo_therapist")) == ()
    assert len(result.uploaded) <= 1  # uploaded now, or found uploaded: once either way


def test_a_crash_after_commit_finds_the_upload_and_lands_nothing_twice(offline):
    offline.checkout("demo_therapist")
    _, _, draft_id = _draft(offline)
    with pytest.MonkeyPatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr(online_module, "_record", _crash)
        offline.sync("demo_therapist")  # committed on the server, never written down here
    result = offline.sync("demo_therapist")
    assert [d.draft_id for d in result.uploaded] == [draft_id]
    assert [row[1] for row in _landed(offline)] == [draft_id]


def test_a_connection_cut_after_commit_keeps_the_upload_and_refreshes_later(offline, proxied):
    proxy, engine = proxied
    offline.checkout("demo_therapist")
    _, _, draft_id = _draft(offline)
    record = online_module._record

    def record_then_cut(*args, **kwargs):
        done = record(*args, **kwargs)
        proxy.cut()
        return done

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(online_module, "_record", record_then_cut)
        with pytest.raises(DatabaseUnavailable):
            _sync_via(offline, engine)
    assert [d.state for d in list_drafts(offline.open("demo_therapist"))] == ["uploaded"]
    proxy.restore()
    assert _sync_via(offline, engine).uploaded == ()  # type: ignore[attr-defined]
    assert [row[1] for row in _landed(offline)] == [draft_id]
    assert list_drafts(offline.open("demo_therapist")) == ()


def test_a_client_transferred_away_keeps_the_draft_and_says_why(offline):
    offline.checkout("demo_therapist")
    client, _, draft_id = _draft(offline)
    offline.clinic.run(
        "demo_admin",
        transfer_client,
        client_id=client,
        to_therapist_id=NEW,
        reason="Moved closer to the other clinic",
        capacity_override_reason="Agreed",
    )
    result = offline.sync("demo_therapist")
    (kept,) = result.kept
    assert kept.draft_id == draft_id and "no longer on your caseload" in (kept.message or "")
    assert _landed(offline) == []
    copy = offline.open("demo_therapist")
    assert client not in {r.client_id for r in read_caseload(copy)}
    assert [(d.draft_id, d.state) for d in list_drafts(copy)] == [(draft_id, "kept")]


def test_a_draft_edited_after_its_upload_is_a_conflict_with_both_texts_kept(offline):
    offline.checkout("demo_therapist")
    _, booking, draft_id = _draft(offline)
    offline.clinic.run(
        "demo_therapist", upload_draft, draft_id=draft_id, booking_id=booking, text=TEXT
    )  # uploaded by a sync this laptop never heard back from
    edited = TEXT + " She asked for a second copy."
    save_draft(offline.open("demo_therapist"), booking_id=booking, text=edited, draft_id=draft_id)
    result = offline.sync("demo_therapist")
    (conflict,) = result.conflicts
    assert (conflict.text, conflict.server_text) == (edited, TEXT)
    assert len(_landed(offline)) == 1 and _landed(offline, edited) == []
    (kept,) = list_drafts(offline.open("demo_therapist"))
    assert (kept.state, kept.text, kept.server_text) == ("conflict", edited, TEXT)


def _crash(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt
