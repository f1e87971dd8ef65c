"""Drafts written in an offline copy, what its files hold in the clear (nothing of a client, a note
or a key: the write-ahead log included), and wiping it: the key first, then the files."""

from __future__ import annotations

import shutil
from contextlib import closing
from pathlib import Path

import pytest

from backoffice.errors import NotFound, PermissionDenied, ValidationError
from backoffice.services.changes import Area
from backoffice.services.chart import ADDITIONAL_NOTE_MAX_CHARS
from backoffice.services.offline import (
    OfflineUnavailable,
    discard_draft,
    keep_as_new_draft,
    list_copies,
    list_drafts,
    open_encrypted,
    read_chart,
    save_draft,
    wipe_copy,
)
from backoffice.services.offline.keys import OFFLINE_SERVICE
from tests.offline_data import NAMES, NOTE_TEXT, PASSWORD, SERVER, THERAPIST
from tests.unit.keyring_fakes import (  # noqa: F401 (real_keyring_untouched: an autouse fixture)
    InMemoryKeyring,
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

DRAFT = "Rang after the session: the panic came back on the 7:40 train"


def test_a_draft_is_saved_with_a_uuid_edited_and_shown_on_its_session(taken, secrets):
    copy = opened_copy(secrets)
    saved = save_draft(copy, booking_id="B00001-00", text=f"  {DRAFT}  ")
    assert saved.changes.touches(Area.ADDITIONAL_NOTES) and len(saved.draft_id) == 36
    edited = save_draft(copy, booking_id="B00001-00", text=DRAFT + ".", draft_id=saved.draft_id)
    assert edited.draft_id == saved.draft_id
    (draft,) = list_drafts(copy)
    assert (draft.text, draft.state, draft.client_id) == (DRAFT + ".", "draft", "C00001")
    chart = read_chart(copy, booking_id="B00001-00")
    assert [d.draft_id for d in chart.drafts_on("B00001-00")] == [saved.draft_id]
    assert list_copies()[0].drafts_pending == 1
    discard_draft(copy, draft_id=saved.draft_id)
    assert list_drafts(copy) == () and list_copies()[0].drafts_pending == 0


def test_a_draft_follows_the_online_rules_for_text_and_sessions(taken, secrets):
    copy = opened_copy(secrets)
    with pytest.raises(ValidationError, match="empty"):
        save_draft(copy, booking_id="B00001-00", text="  \n ")
    with pytest.raises(ValidationError, match="too long"):
        save_draft(copy, booking_id="B00001-00", text="x" * (ADDITIONAL_NOTE_MAX_CHARS + 1))
    with pytest.raises(NotFound):
        save_draft(copy, booking_id="B-nobody", text=DRAFT)
    with closing(open_encrypted(copy.file, copy.key)) as conn, conn:
        conn.execute("UPDATE sessions SET therapist_id = 'T-9' WHERE booking_id = 'B00002-00'")
    with pytest.raises(PermissionDenied, match="not one of yours"):
        save_draft(copy, booking_id="B00002-00", text=DRAFT)
    assert list_drafts(copy) == ()


def test_a_conflict_is_settled_by_keeping_mine_as_a_new_draft(taken, secrets):
    copy = opened_copy(secrets)
    saved = save_draft(copy, booking_id="B00000-01", text=DRAFT)
    with closing(open_encrypted(copy.file, copy.key)) as conn, conn:
        conn.execute(
            "UPDATE drafts SET state = 'conflict', note_id = 41, server_text = 'On record' "
            "WHERE draft_id = ?",
            (saved.draft_id,),
        )
    kept = keep_as_new_draft(copy, draft_id=saved.draft_id)
    (draft,) = list_drafts(copy)
    assert draft.draft_id == kept.draft_id != saved.draft_id
    assert (draft.state, draft.note_id, draft.server_text, draft.text) == (
        "draft",
        None,
        None,
        DRAFT,
    )


def test_no_client_name_note_text_draft_key_or_password_is_in_any_file_in_the_clear(
    taken, secrets, places, keyring_backend
):
    copy = opened_copy(secrets)
    with closing(open_encrypted(copy.file, copy.key)):  # a reader keeps the write-ahead log
        save_draft(copy, booking_id="B00000-01", text=DRAFT)
        wal = Path(f"{copy.file}-wal")
        assert wal.exists() and wal.stat().st_size > 0
        secret = bytes.fromhex(keyring_backend.entries[(OFFLINE_SERVICE, f"asha@{SERVER}")])
        needles = [
            *NAMES,
            NOTE_TEXT,
            DRAFT[:30],
            PASSWORD,
            copy.key.hex(),
            secret.hex(),
        ]
        for root in places:
            assert _files_holding(root, needles, raw=[copy.key, secret]) == []
    assert any(places[0].rglob("copy-*.db"))


def test_wipe_removes_the_key_first_then_the_files_and_a_saved_copy_stays_unreadable(
    taken, secrets, places, keyring_backend, monkeypatch
):
    copy = opened_copy(secrets)
    saved = places[0] / "saved"
    shutil.copytree(taken.directory, saved)
    seen: list[bool] = []
    forget = keyring_backend.delete_password

    def delete_then_look(service: str, username: str) -> None:
        seen.append(taken.directory.exists())
        forget(service, username)

    monkeypatch.setattr(keyring_backend, "delete_password", delete_then_look)
    assert wipe_copy(server=SERVER, login=THERAPIST.login_role, secrets=secrets) is None
    assert seen == [True], "the keyring entry goes first, while the files are still there"
    assert not taken.directory.exists() and keyring_backend.entries == {}
    assert list_copies() == ()
    with pytest.raises(OfflineUnavailable):
        read_chart(copy, client_id="C00000")  # its file is gone
    shutil.copytree(saved, taken.directory)  # the files, brought back from a backup
    with pytest.raises(OfflineUnavailable, match="no longer holds the key"):
        opened_copy(secrets)


def test_wipe_without_a_copy_is_one_sentence(places, secrets):
    with pytest.raises(NotFound, match="no offline copy of asha"):
        wipe_copy(server=SERVER, login="asha", secrets=secrets)


def _files_holding(root: Path, needles: list[str], *, raw: list[bytes]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {n}" for n in needles if n.encode() in data]
            found += [f"{path}: raw key" for key in raw if key in data]
    return found
