"""The offline copy's clock: this computer's, trusted only as far as the copy has seen it go.

A copy keeps the latest time it has seen (its checkout's server time at first); a clock set back
before it (beyond a few minutes of drift) makes the copy unreadable until the clock is right, so
that winding the clock back cannot stretch an expired copy's life. Expiry is the server's: set at
checkout from `offline/max_days`.
"""

from __future__ import annotations

import datetime as dt

from backoffice.services.clock import clinic_time_of
from backoffice.services.offline.types import CopyExpired, OfflineUnavailable
from backoffice.values import moment_text

DRIFT = dt.timedelta(minutes=5)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check(now: dt.datetime, *, latest_seen: dt.datetime, expires_at: dt.datetime) -> None:
    """Raise OfflineUnavailable when the clock went back past what the copy saw, CopyExpired when
    the copy's time is up."""
    if now < latest_seen - DRIFT:
        raise OfflineUnavailable(
            f"This computer's clock says {_clinic(now)}, earlier than {_clinic(latest_seen)} "
            "that the offline copy has already seen: set the clock right to read the copy."
        )
    if now >= expires_at:
        raise CopyExpired(
            f"The offline copy expired on {_clinic(expires_at)} (clinic time) and can no longer "
            "be read: wipe it, and take a new one when you are online."
        )


def _clinic(instant: dt.datetime) -> str:
    return moment_text(clinic_time_of(instant))
