"""How big each demo clinic is: exact row counts for the tables whose size is chosen, not derived."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class DemoSize:
    """Counts of one demo size. Payments are one per booking; notes, appointments, cancellations,
    refunds and caches follow from the bookings (their counts are in `DemoSummary.counts`)."""

    name: str
    therapists: int
    admins: int
    clients: int
    bookings: int
    history_days: int  # first sessions this many days before `today`
    future_days: int  # last sessions this many days after `today`
    appointment_days: (
        int  # appointment_table holds sessions from this many days back, and all future
    )
    transfers: int  # rows of client_transfer_history (a tenth of those clients moved twice)
    booking_requests: int
    notifications: int
    audit_logs: int
    resources_per_therapist: int
    campaigns: int
    pending_applications: int
    rejected_applications: int
    info_applications: int  # state 'needs_information'
    # Warts planted on purpose (besides the one orphaned note and the orphaned resources).
    disagreeing_refunds: int
    partial_refunds: int
    risky_notes: int  # high risk with a self-harm mention
    missing_notes: int  # completed more than 48 hours ago, no note
    # Older bookings (with their payments and notes) from the `archive_days` before the history,
    # streamed without a plan in memory (`backoffice.demo.archive`).
    archive_bookings: int = 0
    archive_days: int = 0
    # Refunds made through the back-office by the demo logins, after the clinic is loaded.
    back_office_refunds: int = 0

    @property
    def payments(self) -> int:
        return self.bookings + self.archive_bookings


TINY = DemoSize(
    name="tiny",
    therapists=8,
    admins=2,
    clients=150,
    bookings=2_000,
    history_days=240,
    future_days=30,
    appointment_days=180,
    transfers=8,
    booking_requests=20,
    notifications=60,
    audit_logs=120,
    resources_per_therapist=2,
    campaigns=8,
    pending_applications=3,
    rejected_applications=1,
    info_applications=1,
    disagreeing_refunds=4,
    partial_refunds=1,
    risky_notes=3,
    missing_notes=3,
)
SMALL = DemoSize(
    name="small",
    therapists=30,
    admins=3,
    clients=1_500,
    bookings=20_000,
    history_days=540,
    future_days=45,
    appointment_days=365,
    transfers=60,
    booking_requests=300,
    notifications=2_000,
    audit_logs=5_000,
    resources_per_therapist=3,
    campaigns=40,
    pending_applications=6,
    rejected_applications=2,
    info_applications=1,
    disagreeing_refunds=5,
    partial_refunds=1,
    risky_notes=6,
    missing_notes=5,
    back_office_refunds=300,
)
LARGE = DemoSize(
    name="large",
    therapists=600,
    admins=6,
    clients=75_000,
    bookings=1_000_000,
    history_days=1_095,
    future_days=60,
    appointment_days=365,
    transfers=3_000,
    booking_requests=20_000,
    notifications=100_000,
    audit_logs=200_000,
    resources_per_therapist=3,
    campaigns=800,
    pending_applications=12,
    rejected_applications=4,
    info_applications=3,
    disagreeing_refunds=12,
    partial_refunds=3,
    risky_notes=25,
    missing_notes=40,
    back_office_refunds=50_000,
)
# Ten million bookings and payments: the large clinic and nine years of archive before it.
XLARGE = replace(LARGE, name="xlarge", archive_bookings=9_000_000, archive_days=9 * 365)
SIZES: dict[str, DemoSize] = {size.name: size for size in (TINY, SMALL, LARGE, XLARGE)}


def demo_size(name: str) -> DemoSize:
    """The size called `name` ('tiny', 'small', 'large', 'xlarge'); ValueError otherwise."""
    try:
        return SIZES[name]
    except KeyError:
        raise ValueError(f"Unknown demo size {name!r}; choose one of {', '.join(SIZES)}.") from None
