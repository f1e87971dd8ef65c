"""Therapists' registrations: one current each, some with an older one replaced, and a few close
to expiry or expired so that the dashboard's tiles and the transfer flags have something to show.

Dates come from a hash of the therapist's index, not from a random stream, so adding this table
changed no other table's rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from backoffice.demo import vocab
from backoffice.demo.clinic import Clinic
from backoffice.demo.rand import mix

REGISTRATION_COLUMNS = ("therapist_id", "body", "number", "expires_on")
# Days from today to the expiry of the first therapists' current registration: the tiny demo's
# eight show every state (the ones the tests move clients to stay well clear of expiry).
FIRST_EXPIRIES = (400, 700, 25, 300, 5, 500, 50, -12)


def expires_in_days(clinic: Clinic, index: int) -> int:
    """When therapist `index`'s current registration expires, in days from the demo's today."""
    if index < len(FIRST_EXPIRIES):
        return FIRST_EXPIRIES[index]
    roll = mix(clinic.seed, index, 41) % 100
    if roll < 2:
        return -1 - roll * 20  # expired
    if roll < 8:
        return (5, 20, 45, 55, 3, 28)[roll - 2]  # within 60, 30 or 7 days
    return 90 + mix(clinic.seed, index, 42) % 900


def registration_rows(clinic: Clinic) -> Iterator[tuple]:
    """backoffice.therapist_registrations, oldest first per therapist (a trigger marks the
    earlier one replaced when the next arrives)."""
    for therapist in clinic.therapists:
        index = therapist.index
        body = vocab.COUNCILS[mix(clinic.seed, index, 43) % len(vocab.COUNCILS)]
        number = f"A{10000 + mix(clinic.seed, index, 44) % 90000}"
        expires = clinic.today + dt.timedelta(days=expires_in_days(clinic, index))
        if index % 3 == 0:  # renewed once: the lapsed registration is kept as history
            yield therapist.therapist_id, body, number, expires - dt.timedelta(days=5 * 365)
        yield therapist.therapist_id, body, number, expires


def application_expiry(clinic: Clinic, number: int, last_pending: bool) -> dt.date:
    """The expiry date an applicant gave: the last pending application's has passed already."""
    if last_pending:
        return clinic.today - dt.timedelta(days=20)
    return clinic.today + dt.timedelta(days=200 + mix(clinic.seed, number, 45) % 800)
