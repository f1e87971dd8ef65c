"""What the dashboard shows, per role: frozen values (Decimal for money), never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from backoffice.services.chart import CaseloadRow
from backoffice.services.notes import QueueRow
from backoffice.services.therapists import THRESHOLDS, Registration


@dataclass(frozen=True)
class Money:
    """An amount in one currency (ISO code; "XXX" when the clinic's row named none)."""

    currency: str
    amount: Decimal


@dataclass(frozen=True)
class Period:
    """When the figures were taken, in the clinic's wall-clock time (`services.clock`)."""

    as_of: dt.datetime
    today: dt.date
    week_start: dt.date  # Monday
    month_start: dt.date

    @property
    def week_end(self) -> dt.date:
        """The day after Sunday (exclusive)."""
        return self.week_start + dt.timedelta(days=7)

    @property
    def month_end(self) -> dt.date:
        """The first day of the next month (exclusive)."""
        return (self.month_start + dt.timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class TherapistLoad:
    """A therapist's sessions booked this week (not cancelled) against their weekly capacity."""

    therapist_id: str
    name: str
    booked: int
    capacity: int

    @property
    def percent(self) -> int | None:
        """Booked as a whole percentage of capacity; None when no capacity is recorded."""
        return round(100 * self.booked / self.capacity) if self.capacity > 0 else None


@dataclass(frozen=True)
class Revenue:
    """Payments received this month in one currency, and what has been refunded of them."""

    currency: str
    payments: int
    gross: Decimal
    refunded: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.refunded


@dataclass(frozen=True)
class DayTakings:
    """One day of this month in the chart's currency: received, and refunded of that day's payments."""

    day: dt.date
    gross: Decimal
    refunded: Decimal


@dataclass(frozen=True)
class RefundsInState:
    """Back-office refunds waiting in one state (requested or approved)."""

    state: str
    count: int
    totals: tuple[Money, ...]


@dataclass(frozen=True)
class AdminDashboard:
    period: Period
    pending_applications: int
    applications_awaiting_information: int
    unreviewed_high_risk_notes: int  # self-harm mentioned or high risk, no review yet
    transfers_this_month: int
    utilisation: tuple[TherapistLoad, ...]  # busiest first (booked / capacity)
    # requested refunds this admin may approve (not their own above the threshold)
    refunds_to_approve: RefundsInState = RefundsInState("requested", 0, ())
    # current registrations expired or expiring within 60 days, soonest first
    registrations: tuple[Registration, ...] = ()

    @property
    def registrations_expired(self) -> int:
        return sum(r.expired for r in self.registrations)

    def registrations_within(self, days: int) -> int:
        """Registrations not yet expired that expire within `days` (one of THRESHOLDS)."""
        assert days in THRESHOLDS
        return sum(0 <= r.days_left <= days for r in self.registrations)


@dataclass(frozen=True)
class FinanceDashboard:
    period: Period
    revenue: tuple[Revenue, ...]  # most payments first
    chart_currency: str | None  # the currency of `daily_takings`; None when nothing was paid
    daily_takings: tuple[DayTakings, ...]  # every day of the month; none when nothing was paid
    refunds_waiting: tuple[RefundsInState, ...]  # requested, then approved; both always present
    failed_refunds: int  # payments whose refund failed
    failed_refund_totals: tuple[Money, ...]  # the currency with most failures first
    refund_mismatches: int  # payments whose refund fields disagree with the booking's or the ledger


@dataclass(frozen=True)
class DaySessions:
    day: dt.date
    sessions: int


@dataclass(frozen=True)
class TodaySession:
    """One of the therapist's sessions today (not cancelled)."""

    booking_id: str
    client_id: str | None
    client_name: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    mode: str | None
    status: str | None


@dataclass(frozen=True)
class ReceivedTransfer:
    """A client transferred to the therapist this month (`client_id` None when the history's
    name no longer matches a client of theirs)."""

    transfer_id: int
    transferred_at: dt.datetime | None
    client_id: str | None
    client_name: str
    from_therapist: str | None
    reason: str | None


@dataclass(frozen=True)
class TherapistDashboard:
    period: Period
    therapist_id: str
    sessions_today: int
    sessions_this_week: int
    caseload: int  # clients assigned to the therapist
    notes_due: int  # completed sessions ended more than 48 hours ago, without a note
    week: tuple[DaySessions, ...]  # Monday to Sunday
    today: tuple[TodaySession, ...] = ()  # soonest first
    due: tuple[QueueRow, ...] = ()  # the sessions whose note is due, oldest first
    at_risk: tuple[CaseloadRow, ...] = ()  # high risk or self-harm in their latest note
    transfers_received: tuple[ReceivedTransfer, ...] = ()  # this month, latest first


Dashboard = AdminDashboard | FinanceDashboard | TherapistDashboard
