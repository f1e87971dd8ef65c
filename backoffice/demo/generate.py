"""The demo clinic, generated from a seed and a date and loaded with COPY in one transaction.

The same seed and `today` always give byte-identical data. The clinic's timestamps are naive IST
wall-clock times; the demo's "now" is 08:00 IST on `today` (every session today is still to come),
and `today` is chosen so that this "now" has passed (`demo_today`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import psycopg

from backoffice.demo import activity_rows as activity
from backoffice.demo import booking_rows as bookings
from backoffice.demo import cache_rows as caches
from backoffice.demo import note_rows as notes
from backoffice.demo import people_rows as people
from backoffice.demo import registration_rows as registrations
from backoffice.demo import session_rows as sessions
from backoffice.demo import vocab
from backoffice.demo.archive import load_archive
from backoffice.demo.clinic import ORPHAN_NOTE_BOOKING_ID, Clinic, build_clinic
from backoffice.demo.loader import analyze, copy_rows, first_nonempty, move_sequence_past_ids
from backoffice.demo.people import ORPHAN_RESOURCE_THERAPIST_ID
from backoffice.demo.plan import NOW
from backoffice.demo.rand import IST
from backoffice.demo.sizes import DemoSize
from backoffice.errors import ConflictError

DEFAULT_SEED = 2026


class DemoClinicNotEmpty(ConflictError):
    """The tables the demo fills already hold rows (the demo never overwrites a clinic)."""


@dataclass(frozen=True)
class TableSpec:
    """One table of the demo: its columns in row order, its row stream, its serial id column."""

    table: str  # schema-qualified
    columns: tuple[str, ...]
    rows: Callable[[Clinic], Iterator[tuple]]
    serial: str | None = None


# In foreign-key order: every row's parents are loaded before it.
TABLES = (
    TableSpec("public.therapists", people.THERAPIST_COLUMNS, people.therapist_rows, "id"),
    TableSpec("public.users", people.USER_COLUMNS, people.user_rows, "id"),
    TableSpec("public.all_clients_table", people.CLIENT_COLUMNS, people.client_rows),
    TableSpec("public.bookings", bookings.BOOKING_COLUMNS, bookings.booking_rows),
    TableSpec("public.appointment_table", sessions.APPOINTMENT_COLUMNS, sessions.appointment_rows),
    TableSpec("public.payments", sessions.PAYMENT_COLUMNS, sessions.payment_rows, "payment_id"),
    TableSpec(
        "public.booking_cancelled", sessions.CANCELLED_COLUMNS, sessions.cancelled_rows, "id"
    ),
    TableSpec(
        "public.refund_cancellation_table",
        sessions.REFUND_CANCELLATION_COLUMNS,
        sessions.refund_cancellation_rows,
        "id",
    ),
    TableSpec("public.client_session_notes", notes.NOTE_COLUMNS, notes.note_rows, "note_id"),
    TableSpec(
        "public.client_additional_notes",
        notes.ADDITIONAL_COLUMNS,
        notes.additional_note_rows,
        "note_id",
    ),
    TableSpec("public.client_doc_form", notes.DOC_FORM_COLUMNS, notes.doc_form_rows, "link_id"),
    TableSpec(
        "public.client_transfer_history",
        people.TRANSFER_COLUMNS,
        people.transfer_rows,
        "transfer_id",
    ),
    TableSpec(
        "public.therapist_dashboard_stats", caches.STATS_COLUMNS, caches.dashboard_stats_rows, "id"
    ),
    TableSpec(
        "public.therapist_clients_summary",
        caches.SUMMARY_COLUMNS,
        caches.clients_summary_rows,
        "id",
    ),
    TableSpec(
        "public.therapist_appointments_cache",
        caches.APPOINTMENTS_CACHE_COLUMNS,
        caches.appointments_cache_rows,
        "id",
    ),
    TableSpec("public.therapist_resources", people.RESOURCE_COLUMNS, people.resource_rows, "id"),
    TableSpec("public.audit_logs", activity.AUDIT_COLUMNS, activity.audit_rows, "log_id"),
    TableSpec(
        "public.notifications",
        activity.NOTIFICATION_COLUMNS,
        activity.notification_rows,
        "notification_id",
    ),
    TableSpec(
        "public.booking_requests",
        activity.REQUEST_COLUMNS,
        activity.booking_request_rows,
        "request_id",
    ),
    TableSpec("public.aisensy_campaign_api", people.CAMPAIGN_COLUMNS, people.campaign_rows),
    TableSpec(
        "backoffice.therapist_applications", activity.APPLICATION_COLUMNS, activity.application_rows
    ),
    TableSpec(
        "backoffice.therapist_registrations",
        registrations.REGISTRATION_COLUMNS,
        registrations.registration_rows,
    ),
    TableSpec("backoffice.note_reviews", notes.REVIEW_COLUMNS, notes.review_rows),
)


@dataclass(frozen=True)
class DemoSummary:
    """What was loaded, and where the planted warts are (for tests, and for a tour of the demo)."""

    size: str
    seed: int
    today: dt.date
    now: dt.datetime  # the demo's "now": naive IST, like the clinic's timestamp columns
    counts: Mapping[str, int]  # rows per schema-qualified table
    seconds: float
    therapist_ids: tuple[str, ...]
    admin_usernames: tuple[str, ...]  # public.users with role 'admin'
    orphan_note_ids: tuple[int, ...]  # client_session_notes whose booking does not exist
    orphan_note_booking_id: str
    orphan_resource_ids: tuple[int, ...]  # therapist_resources.id of a therapist who does not exist
    orphan_resource_therapist_id: str
    disagreeing_refund_payment_ids: tuple[int, ...]  # refund fields differ from the booking's
    partial_refund_payment_ids: tuple[int, ...]  # processed, refund_amount < amount
    risky_note_ids: tuple[int, ...]  # current_risk_level 'high' and self_harm_mention 'yes'
    reviewed_risky_note_ids: tuple[int, ...]  # of those, the older ones: reviewed already
    missing_note_booking_ids: tuple[str, ...]  # completed over 48 hours before `now`, no note

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


def generate_tables(clinic: Clinic) -> Iterator[tuple[TableSpec, Iterator[tuple]]]:
    """Each table with its row stream, in load order (consume each stream before the next)."""
    for spec in TABLES:
        yield spec, spec.rows(clinic)


def demo_today(now: dt.datetime | None = None) -> dt.date:
    """The day the demo is built around: the demo's "now" (08:00 IST on it) is never after the real
    now (or `now`, aware), so nothing in the demo is dated in the future that should not be."""
    moment = (now or dt.datetime.now(IST)).astimezone(IST)
    before_its_now = moment.hour * 60 + moment.minute < NOW
    return moment.date() - dt.timedelta(days=1) if before_its_now else moment.date()


def load_demo_clinic(
    conn: psycopg.Connection,
    size: DemoSize,
    *,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Fill the (existing, empty) clinic and backoffice schemas with the demo clinic.

    One transaction (a savepoint if `conn` is already in one): every table by COPY, then the serial
    sequences moved past the ids written, then ANALYZE. Rows are streamed; memory stays modest
    whatever the size. Raises DemoClinicNotEmpty, changing nothing, when a table holds rows.
    """
    started = time.perf_counter()
    say = progress or (lambda message: None)
    clinic = build_clinic(size, seed, today or demo_today())
    say(f"planned {len(clinic.plan):,} bookings in {time.perf_counter() - started:.1f} s")
    with conn.transaction(), conn.cursor() as cur:
        occupied = first_nonempty(cur, [spec.table for spec in TABLES])
        if occupied is not None:
            raise DemoClinicNotEmpty(
                f"The demo clinic loads only into empty tables, and {occupied} holds rows already."
            )
        counts = _copy_tables(cur, clinic, say)
        for spec in TABLES:
            if spec.serial:
                move_sequence_past_ids(cur, spec.table, spec.serial)
        analyze(cur, [spec.table for spec in TABLES])
    say(f"done in {time.perf_counter() - started:.1f} s")
    return summarize(clinic, counts, time.perf_counter() - started)


def _copy_tables(cur: psycopg.Cursor, clinic: Clinic, say: Callable[[str], None]) -> dict[str, int]:
    """Every table by COPY, then the archive (xlarge) after them; rows per table."""
    counts: dict[str, int] = {}
    for spec, rows in generate_tables(clinic):
        began = time.perf_counter()
        counts[spec.table] = copy_rows(cur, spec.table, spec.columns, rows)
        say(f"{spec.table}: {counts[spec.table]:,} rows in {time.perf_counter() - began:.1f} s")
    if clinic.size.archive_bookings:
        for table, archived in load_archive(cur, clinic, say).items():
            counts[table] += archived
    return counts


def summarize(clinic: Clinic, counts: Mapping[str, int], seconds: float) -> DemoSummary:
    """The summary of a clinic whose rows have all been generated (ids found while writing)."""
    warts = clinic.warts
    return DemoSummary(
        size=clinic.size.name,
        seed=clinic.seed,
        today=clinic.today,
        now=clinic.now,
        counts=dict(counts),
        seconds=seconds,
        therapist_ids=tuple(t.therapist_id for t in clinic.therapists),
        admin_usernames=tuple(name for name, _ in vocab.ADMINS[: clinic.size.admins]),
        orphan_note_ids=tuple(warts.orphan_note_ids),
        orphan_note_booking_id=ORPHAN_NOTE_BOOKING_ID,
        orphan_resource_ids=tuple(warts.orphan_resource_ids),
        orphan_resource_therapist_id=ORPHAN_RESOURCE_THERAPIST_ID,
        disagreeing_refund_payment_ids=tuple(clinic.payment_id(r) for r in warts.disagree),
        partial_refund_payment_ids=tuple(clinic.payment_id(r) for r in warts.partial),
        risky_note_ids=tuple(warts.risky_note_ids),
        reviewed_risky_note_ids=tuple(sorted(warts.note_ids[r] for r in warts.reviewed_risky)),
        missing_note_booking_ids=tuple(clinic.booking_id(r) for r in warts.missing_notes),
    )
