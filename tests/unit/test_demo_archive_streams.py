"""The xlarge clinic's archive streams, without a database: lazy, flat in memory, consistent."""

from __future__ import annotations

import datetime as dt
import itertools
import tracemalloc
from collections.abc import Iterator

from backoffice.demo import TINY, XLARGE
from backoffice.demo.archive import ARCHIVE_FIRST_ID, archive_clinic, archive_note_rows
from backoffice.demo.booking_rows import BOOKING_COLUMNS, booking_rows
from backoffice.demo.clinic import build_clinic
from backoffice.demo.note_rows import NOTE_COLUMNS
from backoffice.demo.plan import DAY
from backoffice.demo.session_rows import PAYMENT_COLUMNS, payment_rows

TODAY = dt.date(2026, 1, 15)
LIVE = build_clinic(TINY, 2026, TODAY)
HUGE = 10**12  # far more rows than memory could hold, were they ever collected


def column(rows: Iterator[tuple], columns: tuple[str, ...], name: str) -> list[object]:
    at = columns.index(name)
    return [row[at] for row in rows]


def test_the_xlarge_clinic_has_ten_million_bookings_and_payments():
    assert XLARGE.bookings + XLARGE.archive_bookings == 10_000_000
    assert XLARGE.payments == 10_000_000


def test_archive_rows_stream_whatever_the_count():
    archive = archive_clinic(LIVE, HUGE, 3650)
    for stream in (booking_rows(archive), payment_rows(archive), archive_note_rows(archive)):
        assert len(list(itertools.islice(stream, 500))) == 500


def peak_bytes(count: int) -> int:
    archive = archive_clinic(LIVE, count, 3650)
    tracemalloc.start()
    try:
        for stream in (booking_rows(archive), payment_rows(archive), archive_note_rows(archive)):
            for _ in stream:
                pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_archive():
    small, ten_times = peak_bytes(2_000), peak_bytes(20_000)
    # The clock caches one datetime per day of the archive, the same for both counts.
    assert ten_times < 1.5 * small


def test_archived_bookings_lie_before_the_history_with_ids_of_their_own():
    archive = archive_clinic(LIVE, 5_000, 400)
    bookings = list(booking_rows(archive))
    ids = column(iter(bookings), BOOKING_COLUMNS, "booking_id")
    starts = column(iter(bookings), BOOKING_COLUMNS, "booking_start_at")
    assert ids == [str(ARCHIVE_FIRST_ID + rank) for rank in range(5_000)]
    history_begins = LIVE.clock.at(-TINY.history_days * DAY)
    assert max(starts) < history_begins <= min(starts) + dt.timedelta(days=401)
    assert starts == sorted(starts, key=lambda start: start.date())  # ids grow with the days
    statuses = set(column(iter(bookings), BOOKING_COLUMNS, "booking_status"))
    assert statuses == {"completed", "no_show"}


def test_each_archived_booking_has_its_payment_and_each_completed_one_its_note():
    archive = archive_clinic(LIVE, 3_000, 400)
    bookings = list(booking_rows(archive))
    ids = column(iter(bookings), BOOKING_COLUMNS, "booking_id")
    paid = column(payment_rows(archive), PAYMENT_COLUMNS, "booking_id")
    assert paid == ids
    status = dict(zip(ids, column(iter(bookings), BOOKING_COLUMNS, "booking_status"), strict=True))
    notes = list(archive_note_rows(archive))
    noted = column(iter(notes), NOTE_COLUMNS, "booking_id")
    assert noted == [i for i in ids if status[i] == "completed"]  # no orphan among them
    assert column(iter(notes), NOTE_COLUMNS, "note_id")[0] == ARCHIVE_FIRST_ID


def test_the_archive_is_the_same_every_time():
    first = list(booking_rows(archive_clinic(LIVE, 1_000, 400)))
    again = list(booking_rows(archive_clinic(build_clinic(TINY, 2026, TODAY), 1_000, 400)))
    assert first == again
