"""Benchmark: an offline copy of 500 clients and 5,000 notes (SQLCipher, `services.offline`) against
the naive way of keeping it, one JSON document encrypted whole with AES-256-GCM, in one run, as
ratios; then checkout and sync against the demo clinic's server.

- open + caseload list: `read_caseload` (it opens the file with the raw key each time) against
  reading, decrypting and parsing the whole file and laying out the same caseload;
- draft save: `save_draft` (one SQLite transaction) against decrypting, adding the draft,
  re-encrypting and writing the whole file (new file, fsync, rename);
- the offline login (keyring + scrypt + open), writing the copy, a chart, the file sizes;
- with `--server`: checkout and sync as demo_therapist on the demo clinic (`--size`, default tiny).

    uv run python bench/offline.py
    BACKOFFICE_DATA_DIR=/some/dir uv run python bench/offline.py --server
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from backoffice.services.chart.caseload import caseload_rows
from backoffice.services.notes import ClientSession
from backoffice.services.offline import (
    DeviceSecrets,
    open_copy,
    read_caseload,
    read_chart,
    save_draft,
)
from backoffice.services.offline.copies import put_copy
from tests.offline_data import PASSWORD, SERVER, THERAPIST, snapshot
from tests.unit.keyring_fakes import InMemoryKeyring

CLIENTS, SESSIONS = 500, 11  # 10 past sessions with a note each: 5,000 notes
REPEAT = 30
TIMES = ("starts_at", "ends_at", "note_written_at")


def timed(work: Callable[[], Any], repeat: int = REPEAT) -> list[float]:
    work()  # warm
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        found.append((time.perf_counter() - started) * 1000)
    return found


def line(what: str, ms: list[float]) -> float:
    median = statistics.median(ms)
    print(f"  {what:<44} median {median:8.2f} ms  (min {min(ms):.2f}, max {max(ms):.2f})")
    return median


class WholeFile:
    """The baseline: the snapshot as one JSON document, AES-256-GCM over the whole file."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path, self.key = path, AESGCM.generate_key(bit_length=256)
        self.write(data)

    def write(self, data: dict[str, Any]) -> None:
        nonce = secrets.token_bytes(12)
        sealed = nonce + AESGCM(self.key).encrypt(
            nonce, json.dumps(data, default=str).encode(), None
        )
        new = self.path.with_suffix(".new")
        with open(new, "wb") as file:
            file.write(sealed)
            file.flush()
            os.fsync(file.fileno())
        os.replace(new, self.path)

    def read(self) -> dict[str, Any]:
        sealed = self.path.read_bytes()
        data: dict[str, Any] = json.loads(AESGCM(self.key).decrypt(sealed[:12], sealed[12:], None))
        return data

    def caseload(self) -> Any:
        data = self.read()
        people = [(c["client_id"], c["client_name"]) for c in data["clients"]]
        return caseload_rows(people, [_session(s) for s in data["sessions"]], _now())

    def save_draft(self, booking_id: str, text: str) -> None:
        data = self.read()
        data.setdefault("drafts", []).append(
            {"draft_id": secrets.token_hex(16), "booking_id": booking_id, "text": text}
        )
        self.write(data)


def _session(values: dict[str, Any]) -> ClientSession:
    for name in TIMES:
        if values[name] is not None:
            values[name] = dt.datetime.fromisoformat(values[name])
    return ClientSession(**values)


def _now() -> dt.datetime:
    return dt.datetime.now()  # the bench's copy is taken "now" in local wall-clock time


def local(folder: Path) -> None:
    """The synthetic copy, in `folder` (BACKOFFICE_DATA_DIR points there while it runs)."""
    before = os.environ.get("BACKOFFICE_DATA_DIR")
    os.environ["BACKOFFICE_DATA_DIR"] = str(folder / "data")
    try:
        _local(folder)
    finally:
        if before is None:
            del os.environ["BACKOFFICE_DATA_DIR"]
        else:
            os.environ["BACKOFFICE_DATA_DIR"] = before


def _local(folder: Path) -> None:
    taken = dt.datetime.now(dt.UTC)
    caseload = snapshot(clients=CLIENTS, sessions_per_client=SESSIONS, taken_utc=taken)
    caseload = dataclasses.replace(caseload, taken_at=dt.datetime.now().replace(microsecond=0))
    device = DeviceSecrets(InMemoryKeyring())
    written = timed(lambda: put_copy(caseload, server=SERVER, password=PASSWORD, secrets=device), 3)
    login = timed(lambda: open_copy(**_who(device)), 5)
    copy = open_copy(**_who(device))
    booking = next(s.booking_id for s in caseload.sessions if s.note_id is not None)
    client = caseload.clients[-1].client_id
    baseline = WholeFile(folder / "whole.json.aes", dataclasses.asdict(caseload))
    print(
        f"offline copy: {len(caseload.clients)} clients, {len(caseload.sessions)} sessions, "
        f"{len(caseload.notes)} notes"
    )
    print("SQLCipher copy (services.offline):")
    line("write the copy (new file, fsync, rename)", written)
    line("offline login (keyring + scrypt + open)", login)
    fast_list = line("open + caseload list", timed(lambda: read_caseload(copy)))
    line("open + a client's chart", timed(lambda: read_chart(copy, client_id=client)))
    fast_draft = line("draft save (a new one)", timed(lambda: _new_draft(copy, booking)))
    edited = _new_draft(copy, booking)
    line("draft save (an edit)", timed(lambda: _new_draft(copy, booking, edited)))
    print("AES-GCM over the whole file (baseline):")
    slow_list = line("open + caseload list", timed(baseline.caseload))
    slow_draft = line("draft save (a new one)", timed(lambda: baseline.save_draft(booking, "d")))
    print(
        f"ratios (baseline / SQLCipher): caseload list {slow_list / fast_list:.1f}x, "
        f"draft save {slow_draft / fast_draft:.1f}x"
    )
    print(
        f"file sizes: SQLCipher {copy.file.stat().st_size / 1e6:.2f} MB, "
        f"whole-file AES-GCM {baseline.path.stat().st_size / 1e6:.2f} MB"
    )


def _new_draft(copy: Any, booking: str, draft_id: str | None = None) -> str:
    return save_draft(copy, booking_id=booking, text="d", draft_id=draft_id).draft_id


def _who(device: DeviceSecrets) -> dict[str, Any]:
    return {
        "server": SERVER,
        "login": THERAPIST.login_role,
        "password": PASSWORD,
        "secrets": device,
    }


def server(size: str) -> None:
    """Checkout and sync on the demo clinic in BACKOFFICE_DATA_DIR; the copy is wiped after."""
    from backoffice.demo import build as demo_build
    from backoffice.services.login import ServerProfile, open_session
    from backoffice.services.offline import checkout_caseload, sync_caseload, wipe_copy

    demo = demo_build.prepare_demo(size, progress=lambda m: print(m, flush=True))
    profile = ServerProfile(
        host=str(demo.socket_dir), port=None, database=demo_build.DEMO_DATABASE, is_demo=True
    )
    password, device = "demo-therapist-pass", DeviceSecrets(InMemoryKeyring())
    online = open_session(profile, username="demo_therapist", password=password)
    units, actor, key = online.unit_of_work, online.actor, profile.key
    try:
        took = [checkout_caseload(units, actor, password=password, server=key, secrets=device)]
        checkout = timed(
            lambda: took.append(
                checkout_caseload(units, actor, password=password, server=key, secrets=device)
            ),
            5,
        )
        sync = timed(
            lambda: sync_caseload(units, actor, password=password, server=key, secrets=device), 5
        )
    finally:
        online.close()
        wipe_copy(server=key, login="demo_therapist", secrets=device)
    result = took[-1]
    print(
        f"server ({demo.size} demo clinic), demo_therapist: {result.clients} clients, "
        f"{result.notes} notes"
    )
    line("checkout (record, read, write the copy)", checkout)
    line("sync without drafts (upload, refresh)", sync)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", action="store_true", help="also checkout and sync on the demo")
    parser.add_argument("--size", default="tiny", help="the demo clinic's size (with --server)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-offline-") as folder:
        local(Path(folder))
        if args.server:
            server(args.size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
