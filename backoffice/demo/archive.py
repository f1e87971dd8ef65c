"""The archive of the extra-large clinic: years of older bookings, payments and notes, streamed.

`xlarge` is the large clinic (every table, every planted wart) plus `archive_bookings` bookings
from the `archive_days` before its history begins. Each archived booking is a pure function of
(seed, rank): one of the clinic's therapist-client pairs, a day (ranks spread evenly over the
archive, so ids grow with time), the client's usual hour, completed or a no-show (an archive holds
no open refunds). The archive is handed to the live clinic's own row streams through a plan whose
"arrays" compute each element on demand, so memory does not grow with the archive: nine million
rows cost what a thousand do. Afterwards the counters the clinic caches per therapist, client
and pair are brought up to date in SQL, so that the consistency check finds nothing to repair.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from typing import cast

import psycopg

from backoffice.demo.booking_rows import BOOKING_COLUMNS, booking_rows
from backoffice.demo.clinic import ORPHAN_NOTE_BOOKING_ID, Clinic, Warts
from backoffice.demo.loader import copy_rows
from backoffice.demo.note_rows import NOTE_COLUMNS, note_rows
from backoffice.demo.plan import COMPLETED, DAY, NO_REFUND, NO_SHOW, ONLINE, Plan
from backoffice.demo.rand import mix
from backoffice.demo.session_rows import PAYMENT_COLUMNS, payment_rows

ARCHIVE_FIRST_ID = 20_000_001  # booking, payment and note ids of the archive start here
_SEED_SALT = 0x41524348  # "ARCH": the archive's facts do not repeat the live clinic's
COMPLETED_PERCENT = 92  # the rest are no-shows
CLIENT, THERAPIST, START, CREATED, STATUS, FLAGS = range(6)


class _Column:
    """One of the plan's per-booking arrays, computed on demand."""

    __slots__ = ("_field", "_plan")

    def __init__(self, plan: ArchivePlan, field: int) -> None:
        self._plan, self._field = plan, field

    def __getitem__(self, rank: int) -> int:
        return self._plan.session(rank)[self._field]

    def __len__(self) -> int:
        return len(self._plan)


class _NoRefunds:
    def __getitem__(self, rank: int) -> int:
        return NO_REFUND


class ArchivePlan:
    """Reads like `Plan` (client, therapist, start, created, status, flags, refund by rank)."""

    def __init__(self, live: Clinic, count: int, days: int) -> None:
        self.seed, self.count = live.seed ^ _SEED_SALT, count
        self.pairs = list(live.plan.pairs)  # (therapist, client) pairs of the live clinic
        self.clients = live.clients
        self.first_day, self.days = -live.size.history_days - days, days
        self.client, self.therapist = _Column(self, CLIENT), _Column(self, THERAPIST)
        self.start, self.created = _Column(self, START), _Column(self, CREATED)
        self.status, self.flags = _Column(self, STATUS), _Column(self, FLAGS)
        self.refund = _NoRefunds()
        self._rank, self._session = -1, (0, 0, 0, 0, 0, 0)

    def __len__(self) -> int:
        return self.count

    def session(self, rank: int) -> tuple[int, int, int, int, int, int]:
        """(client, therapist, start, created, status, flags) of archived booking `rank`."""
        if rank != self._rank:
            self._rank, self._session = rank, self._draw(rank)
        return self._session

    def _draw(self, rank: int) -> tuple[int, int, int, int, int, int]:
        seed = self.seed
        therapist, client_index = self.pairs[mix(seed, rank, 1) % len(self.pairs)]
        client = self.clients[client_index]
        day = self.first_day + rank * self.days // self.count
        shift = (-60, 60, 120)[mix(seed, rank, 2) % 3] if mix(seed, rank, 3) % 10 == 0 else 0
        start = day * DAY + min(20 * 60 + 30, max(9 * 60, client.slot + shift))
        created = start - 60 - mix(seed, rank, 4) % (14 * DAY)
        status = COMPLETED if mix(seed, rank, 5) % 100 < COMPLETED_PERCENT else NO_SHOW
        online = client.online != (mix(seed, rank, 6) % 10 == 0)
        return client_index, therapist, start, created, status, ONLINE if online else 0


@dataclasses.dataclass
class ArchiveClinic(Clinic):
    """The live clinic's people with the archive's plan and ids, and no planted warts."""

    @staticmethod
    def booking_id(rank: int) -> str:
        return str(ARCHIVE_FIRST_ID + rank)

    @staticmethod
    def payment_id(rank: int) -> int:
        return ARCHIVE_FIRST_ID + rank


def archive_clinic(live: Clinic, count: int, days: int) -> ArchiveClinic:
    plan = ArchivePlan(live, count, days)
    fields = {f.name: getattr(live, f.name) for f in dataclasses.fields(Clinic)}
    # Duck-typed: the row streams only index the plan's arrays and ask its length.
    fields |= {"plan": cast(Plan, plan), "warts": Warts(), "seed": plan.seed}
    return ArchiveClinic(**fields)


def archive_note_rows(archive: ArchiveClinic) -> Iterator[tuple]:
    """The live clinic's note stream over the archive, renumbered, without its planted orphan."""
    for row in note_rows(archive):
        if row[1] != ORPHAN_NOTE_BOOKING_ID:
            yield (ARCHIVE_FIRST_ID - 1 + row[0], *row[1:])


# The archive's bookings started before the live history; the live streams counted the rest.
_ARCHIVE_PAIRS = """
CREATE TEMP TABLE archive_pairs ON COMMIT DROP AS
SELECT therapist_id, invitee_id, invitee_name, invitee_email, invitee_phone,
       count(*) AS total, count(*) FILTER (WHERE booking_status = 'no_show') AS no_shows,
       max(booking_start_at) FILTER (WHERE booking_status = 'completed') AS last_completed
FROM public.bookings WHERE booking_start_at < %(since)s
GROUP BY therapist_id, invitee_id, invitee_name, invitee_email, invitee_phone
"""
_PER_THERAPIST = """(SELECT therapist_id, sum(total) AS total, sum(no_shows) AS no_shows
      FROM archive_pairs GROUP BY therapist_id) a"""
_ADD_TO_COUNTERS = (
    f"""UPDATE public.therapists t SET sessions_booked = t.sessions_booked + a.total
FROM {_PER_THERAPIST} WHERE t.therapist_id = a.therapist_id""",
    f"""UPDATE public.therapist_dashboard_stats s
SET total_sessions = s.total_sessions + a.total,
    confirmed_sessions = s.confirmed_sessions + a.total - a.no_shows,
    no_shows = s.no_shows + a.no_shows
FROM {_PER_THERAPIST} WHERE s.therapist_id = a.therapist_id""",
    """UPDATE public.therapist_clients_summary s
SET total_sessions = s.total_sessions + a.total,
    last_session_date = coalesce(s.last_session_date, a.last_completed)
FROM archive_pairs a
WHERE s.therapist_id = a.therapist_id AND s.client_name = a.invitee_name
  AND s.client_email = a.invitee_email AND s.client_phone = a.invitee_phone""",
    """UPDATE public.all_clients_table c SET no_of_sessions = c.no_of_sessions + a.total
FROM (SELECT invitee_id, sum(total) AS total FROM archive_pairs GROUP BY invitee_id) a
WHERE c.client_id = a.invitee_id""",
)


def load_archive(cur: psycopg.Cursor, live: Clinic, say: Callable[[str], None]) -> dict[str, int]:
    """COPY the archive's bookings, payments and notes after the live clinic's, then add them to
    the cached counters. Rows per table."""
    archive = archive_clinic(live, live.size.archive_bookings, live.size.archive_days)
    streams = (
        ("public.bookings", BOOKING_COLUMNS, booking_rows(archive)),
        ("public.payments", PAYMENT_COLUMNS, payment_rows(archive)),
        ("public.client_session_notes", NOTE_COLUMNS, archive_note_rows(archive)),
    )
    counts = {}
    for table, columns, rows in streams:
        began = time.perf_counter()
        counts[table] = copy_rows(cur, table, columns, rows)
        say(f"{table} (archive): {counts[table]:,} rows in {time.perf_counter() - began:.1f} s")
    update_cached_counters(cur, live)
    return counts


def update_cached_counters(cur: psycopg.Cursor, live: Clinic) -> None:
    """Add the archive's bookings to the counters the live streams wrote (inside the load's
    transaction: the temporary table goes with it)."""
    cur.execute(_ARCHIVE_PAIRS, {"since": live.clock.at(-live.size.history_days * DAY)})
    for statement in _ADD_TO_COUNTERS:
        cur.execute(statement)
