"""An offline copy on this computer, without a server: it opens only with the password and this
computer's keyring, refuses a wrong key, a missing, locked or absent keyring, an expired copy and a
clock set back, and never falls back to plaintext."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from keyring.backends import fail

from backoffice.errors import NotFound, ValidationError
from backoffice.services.offline import (
    CopyExpired,
    DeviceSecrets,
    OfflineUnavailable,
    list_copies,
    read_caseload,
    read_chart,
    read_note,
)
from backoffice.services.offline.copies import put_copy
from backoffice.services.offline.keys import OFFLINE_SERVICE
from tests.offline_data import NAMES, PASSWORD, SERVER, THERAPIST, snapshot
from tests.unit.keyring_fakes import (  # noqa: F401 (real_keyring_untouched: an autouse fixture)
    InMemoryKeyring,
    LockedKeyring,
    real_keyring_untouched,
)
from tests.unit.offline_fixtures import (  # noqa: F401 (fixtures)
    clock_fixture,
    keyring_backend_fixture,
    opened_copy,
    places_fixture,
    secrets_fixture,
    taken_fixture,
)

ENTRY = (OFFLINE_SERVICE, f"{THERAPIST.login_role}@{SERVER}")


def test_a_copy_opens_with_the_password_and_reads_back_as_the_chart_lays_it_out(taken, secrets):
    copy = opened_copy(secrets)
    assert copy.actor.login_role == "asha" and copy.actor.therapist_id == "T-1"
    rows = read_caseload(copy)
    assert {r.client_name for r in rows} == set(NAMES)
    assert all(r.next_session is not None and r.sessions_so_far == 3 for r in rows)
    assert [r.client_name for r in read_caseload(copy, search="okonkwo")] == [NAMES[1]]
    chart = read_chart(copy, client_id="C00000")
    assert chart.client_name == NAMES[0] and len(chart.past) == 3 and len(chart.upcoming) == 1
    assert chart.transfers[0].from_therapist == "Dev Mehta" and chart.may_write
    assert chart.past[-1].additional_notes[0].text == f"Phoned {NAMES[0]}"
    note = read_note(copy, note_id=chart.past[0].session.note_id)
    assert note.client_name == NAMES[0] and "lighthouse" in (note.fields[0].value or "")
    assert read_chart(copy, note_id=note.note_id).focus_booking_id is None
    with pytest.raises(NotFound):
        read_note(copy, note_id=9999)


def test_the_manifest_says_who_and_until_when_without_the_key(taken):
    (info,) = list_copies()
    assert (info.login, info.server, info.drafts_pending) == ("asha", SERVER, 0)
    assert info.expires_at - info.taken_at == snapshot().expires_utc - snapshot().taken_utc
    text = (info.directory / "copy.json").read_text()
    assert not any(name in text for name in NAMES)


def test_a_wrong_password_does_not_open_the_copy(taken, secrets):
    with pytest.raises(ValidationError, match="does not open the offline copy of asha"):
        opened_copy(secrets, password="not-the-password")


def test_the_password_alone_does_not_open_the_copy_once_the_keyring_entry_is_gone(
    taken, secrets, keyring_backend
):
    del keyring_backend.entries[ENTRY]
    with pytest.raises(OfflineUnavailable, match="no longer holds the key"):
        opened_copy(secrets)


def test_another_key_in_the_keyring_is_refused_in_one_sentence(taken, secrets, keyring_backend):
    keyring_backend.entries[ENTRY] = "ab" * 32
    with pytest.raises(OfflineUnavailable, match=r"^Working offline is unavailable: .*\.$"):
        opened_copy(secrets)


def test_a_file_the_key_no_longer_opens_is_refused_never_read_otherwise(taken, secrets, places):
    other = places[0] / "other"
    put_copy(snapshot(clients=1), server=SERVER, password=PASSWORD, secrets=secrets)
    copy_dir = taken.directory
    (first,) = copy_dir.glob("copy-*.db")
    shutil.copy(first, other)
    put_copy(snapshot(clients=1), server=SERVER, password=PASSWORD, secrets=secrets)
    (current,) = copy_dir.glob("copy-*.db")
    shutil.copy(other, current)  # the same name, another copy's bytes: another key
    with pytest.raises(OfflineUnavailable, match="the key no longer opens the offline copy"):
        opened_copy(secrets)


def test_a_locked_keyring_makes_offline_unavailable_in_one_sentence(taken):
    with pytest.raises(OfflineUnavailable) as refused:
        opened_copy(DeviceSecrets(LockedKeyring()))
    assert str(refused.value) == (
        "Working offline is unavailable: the system keyring is locked and was not unlocked."
    )


def test_no_keyring_at_all_makes_offline_unavailable_and_writes_nothing(places, clock):
    with pytest.raises(OfflineUnavailable, match="no system keyring"):
        put_copy(
            snapshot(), server=SERVER, password=PASSWORD, secrets=DeviceSecrets(fail.Keyring())
        )
    assert not list(places[0].rglob("copy-*.db"))


@pytest.mark.parametrize("stand_in", [None, sqlite3], ids=["no sqlcipher3", "plain sqlite3"])
def test_without_sqlcipher_nothing_is_written_in_the_clear(
    places, clock, secrets, monkeypatch, stand_in
):
    monkeypatch.setitem(sys.modules, "sqlcipher3", stand_in)
    with pytest.raises(OfflineUnavailable, match="no SQLCipher"):
        put_copy(snapshot(), server=SERVER, password=PASSWORD, secrets=secrets)
    assert _files_holding(places[0], [*NAMES, "SQLite format 3"]) == []
    assert list_copies() == ()


def test_an_expired_copy_is_unreadable_and_says_to_wipe_it(taken, secrets, clock):
    copy = opened_copy(secrets)
    clock.move(days=14)
    with pytest.raises(CopyExpired, match=r"expired on .* wipe it"):
        read_caseload(copy)
    with pytest.raises(CopyExpired):
        opened_copy(secrets)
    assert list_copies()[0].expired(clock.now)


def test_a_clock_set_back_before_the_latest_time_seen_is_refused(taken, secrets, clock):
    clock.move(days=3)
    copy = opened_copy(secrets)  # the copy has seen this time now
    clock.move(days=-2)
    with pytest.raises(OfflineUnavailable, match=r"clock says .* set the clock right"):
        read_caseload(copy)
    with pytest.raises(OfflineUnavailable, match="earlier than"):
        opened_copy(secrets)
    clock.move(days=2)
    assert read_caseload(copy)


def test_a_little_drift_back_is_tolerated(taken, secrets, clock):
    copy = opened_copy(secrets)
    clock.move(minutes=-3)
    assert read_caseload(copy)


def _files_holding(root: Path, needles: list[str]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {n}" for n in needles if n.encode() in data]
    return found
