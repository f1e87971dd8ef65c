"""The demo clinic's row generators, without a database: deterministic, lazy, well-formed."""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backoffice.demo import TABLES, TINY, demo_size
from backoffice.demo.clinic import build_clinic
from backoffice.demo.generate import generate_tables
from backoffice.demo.people import ORPHAN_RESOURCE_THERAPIST_ID, therapist_ids
from backoffice.demo.plan import NOW, session_counts
from backoffice.demo.rand import stream_rng

TODAY = dt.date(2026, 1, 15)
ROOT = Path(__file__).resolve().parents[2]


def fingerprint(seed: int = 2026, today: dt.date = TODAY) -> dict[str, str]:
    clinic = build_clinic(TINY, seed, today)
    prints = {}
    for spec, rows in generate_tables(clinic):
        digest = hashlib.sha256()
        for row in rows:
            digest.update(repr(row).encode())
        prints[spec.table] = digest.hexdigest()
    return prints


def test_same_seed_and_date_give_the_same_rows_in_every_table():
    assert fingerprint() == fingerprint()


def test_same_seed_and_date_give_the_same_rows_whatever_the_hash_seed():
    script = (
        "import json, tests.unit.test_demo_generators as t; "
        "print(json.dumps(t.fingerprint(), sort_keys=True))"
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_another_seed_or_another_day_changes_the_rows():
    base = fingerprint()
    assert fingerprint(seed=7)["public.bookings"] != base["public.bookings"]
    assert (
        fingerprint(today=TODAY + dt.timedelta(days=1))["public.bookings"]
        != base["public.bookings"]
    )


def test_every_row_has_one_value_per_column_and_streams_are_lazy():
    clinic = build_clinic(TINY, 2026, TODAY)
    for spec in TABLES:
        rows = spec.rows(clinic)
        assert inspect.isgenerator(rows), spec.table
        assert all(len(row) == len(spec.columns) for row in rows), spec.table


def test_sessions_lie_on_both_sides_of_the_day_of_generation():
    for today in (TODAY, dt.date(2031, 7, 1)):
        clinic = build_clinic(TINY, 2026, today)
        starts = clinic.plan.start
        assert min(starts) < NOW < max(starts)
        assert clinic.clock.at(min(starts)).date() >= today - dt.timedelta(days=TINY.history_days)
        assert clinic.clock.at(max(starts)).date() <= today + dt.timedelta(days=TINY.future_days)


def test_bookings_per_client_add_up_to_the_size():
    counts = session_counts(stream_rng(1, "sessions"), TINY)
    assert len(counts) == TINY.clients and sum(counts) == TINY.bookings and min(counts) >= 1


def test_therapist_ids_never_take_the_orphaned_resources_id():
    ids = therapist_ids(700)
    assert ORPHAN_RESOURCE_THERAPIST_ID not in ids
    assert len(set(ids)) == 700 and ids[0] == "58001"


def test_an_unknown_size_is_refused_with_the_choices():
    assert demo_size("large").bookings >= 1_000_000
    with pytest.raises(ValueError, match="tiny, small, large"):
        demo_size("huge")
