"""The audit chain's hash as the verifier computes it, and the anchor lines it reads back."""

from __future__ import annotations

import hashlib

import pytest

from backoffice.errors import ValidationError
from backoffice.services.audit_trail.checks import parse_anchors
from backoffice.services.audit_trail.rows import GENESIS, event_hash


def test_each_field_is_written_with_its_length_or_as_null():
    expected = hashlib.sha256(GENESIS + b"\x00" + b"\x01\x00\x00\x00\x02\xc3\xa9").digest()
    assert event_hash(GENESIS, [None, "é"]) == expected


def test_moving_a_boundary_between_two_fields_changes_the_hash():
    assert event_hash(GENESIS, ["ab", "c"]) != event_hash(GENESIS, ["a", "bc"])
    assert event_hash(GENESIS, [None]) != event_hash(GENESIS, [""])


def test_anchor_lines_from_the_daily_export_and_a_report_are_read_back():
    digest = "ab" * 32
    text = (
        f"2026-11-30 04:39 IST · clinic · Audit trail: event 12 (30 Nov 2026, 04:39 IST), "
        f"sha256:{digest}, 12 events in the chain.\n"
        "a line without an anchor\n"
        f"Audit trail: event 40 (1 Dec 2026, 09:00 IST), sha256:{'CD' * 32}, 40 events\n"
    )
    assert parse_anchors(text) == {12: bytes.fromhex(digest), 40: bytes.fromhex("cd" * 32)}


def test_a_file_without_any_anchor_is_one_sentence():
    with pytest.raises(ValidationError, match=r"^No anchor was found: each line"):
        parse_anchors("event 12, sha256:abc\n")
