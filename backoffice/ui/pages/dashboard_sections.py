"""The body of the dashboard for each role: a row of tiles, then one bar chart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from backoffice import values
from backoffice.services.dashboard import (
    AdminDashboard,
    FinanceDashboard,
    RefundsInState,
)
from backoffice.services.therapists import THRESHOLDS, Registration
from backoffice.ui.qt_helpers import named
from backoffice.ui.widgets.bar_chart import BarChart
from backoffice.ui.widgets.figure_tile import (
    FigureTile,
    TableTile,
    money_text,
    monies_text,
    muted,
    scaled_font,
)
from backoffice.values import count_text

COLUMNS = 4
CHART_MIN_HEIGHT = 320
REGISTRATION_COLUMNS = [("state", "Registration"), ("count", "Therapists"), ("who", "Soonest")]
REVENUE_COLUMNS = [
    ("currency", "Currency"),
    ("payments", "Payments"),
    ("gross", "Received"),
    ("refunded", "Refunded"),
    ("net", "Net"),
]


def day_text(day: dt.date) -> str:
    """A day of this week or month: "Wed 5 Mar"."""
    return values.day_text(day, weekday=True, year=False)


def admin_section(d: AdminDashboard) -> QWidget:
    title = f"Sessions booked this week against weekly capacity ({_week(d.period.week_start)})"
    return _section(
        _admin_tiles(d),
        title,
        _utilisation_chart(d),
        "No active therapists to show.",
        footer=_registrations_tile(d),
    )


def _admin_tiles(d: AdminDashboard) -> list[QWidget]:
    info = d.applications_awaiting_information
    return [
        FigureTile(
            "pending_applications",
            "Pending applications",
            count_text(d.pending_applications),
            f"{count_text(info)} more waiting for information from the applicant" if info else "",
        ),
        FigureTile(
            "high_risk_notes",
            "Unreviewed high-risk notes",
            count_text(d.unreviewed_high_risk_notes),
            "Self-harm, high risk or risk words in the text",
            "Session notes that mention self-harm, record a high risk level or whose text the "
            "risk-language scan flagged, and that no reviewer has marked reviewed yet.",
        ),
        FigureTile(
            "transfers_this_month",
            "Client transfers this month",
            count_text(d.transfers_this_month),
            f"Since {day_text(d.period.month_start)}",
        ),
        _busiest_tile(d),
        _to_approve_tile(d.refunds_to_approve),
    ]


def _registrations_tile(d: AdminDashboard) -> TableTile:
    """Registrations expired, and expiring within 7, 30 and 60 days, with the soonest names."""
    expired = [r for r in d.registrations if r.expired]
    rows = [("expired", ["Expired", count_text(len(expired)), _names(expired)])]
    for days in sorted(THRESHOLDS):
        within = [r for r in d.registrations if 0 <= r.days_left <= days]
        rows.append(
            (f"within_{days}", [f"Within {days} days", count_text(len(within)), _names(within)])
        )
    return TableTile(
        "registrations",
        "Therapists' registrations (an expired one receives no clients)",
        REGISTRATION_COLUMNS,
        rows,
        "No registration expires within 60 days.",
    )


def _names(registrations: Sequence[Registration], shown: int = 3) -> str:
    names = [f"{r.therapist_name} ({values.date_text(r.expires_on)})" for r in registrations]
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def _to_approve_tile(refunds: RefundsInState) -> FigureTile:
    return FigureTile(
        "refunds_to_approve",
        "Refunds waiting for your approval",
        count_text(refunds.count),
        monies_text(refunds.totals, limit=2) or "Nothing waiting",
        "Requested refunds you may approve, under Payments and refunds → Refunds (your own "
        "above the approval threshold wait for someone else).",
    )


def _busiest_tile(d: AdminDashboard) -> FigureTile:
    busiest = d.utilisation[0] if d.utilisation else None
    return FigureTile(
        "busiest_therapist",
        "Busiest therapist this week",
        "—" if busiest is None or busiest.percent is None else f"{busiest.percent}%",
        ""
        if busiest is None
        else f"{busiest.name}: {busiest.booked} of {busiest.capacity} sessions",
    )


def _utilisation_chart(d: AdminDashboard) -> BarChart | None:
    loads = list(reversed(d.utilisation))  # a horizontal chart draws its first category lowest
    if not loads:
        return None
    return BarChart(
        "utilisation_chart",
        [load.name for load in loads],
        [
            ("Booked this week", [load.booked for load in loads]),
            ("Weekly capacity", [load.capacity for load in loads]),
        ],
        horizontal=True,
        bar_labels=True,
    )


def finance_section(d: FinanceDashboard) -> QWidget:
    revenue, tiles = _revenue_tile(d), _finance_tiles(d)
    chart, unit = _takings_chart(d)
    title = f"Payments received this month by day, in {unit}"
    return _section(tiles, title, chart, "No payments received yet this month.", lead=revenue)


def _revenue_tile(d: FinanceDashboard) -> TableTile:
    rows = [
        (
            r.currency.lower(),
            [
                r.currency,
                count_text(r.payments),
                money_text(r.gross, r.currency),
                money_text(r.refunded, r.currency),
                money_text(r.net, r.currency),
            ],
        )
        for r in d.revenue
    ]
    return TableTile(
        "revenue",
        f"Revenue this month (payments received since "
        f"{day_text(d.period.month_start)}, less what was refunded of them)",
        REVENUE_COLUMNS,
        rows,
        "No payments received yet this month.",
    )


def _finance_tiles(d: FinanceDashboard) -> list[QWidget]:
    return [
        *(_waiting_tile(state) for state in d.refunds_waiting),
        FigureTile(
            "failed_refunds",
            "Failed refunds",
            count_text(d.failed_refunds),
            monies_text(d.failed_refund_totals, limit=2),
            "Payments whose refund the gateway reported as failed: "
            + (monies_text(d.failed_refund_totals) or "none"),
        ),
        FigureTile(
            "refund_mismatches",
            "Refund mismatches",
            count_text(d.refund_mismatches),
            "Payments whose refund fields disagree with their booking",
            "Payments whose refund fields disagree with their booking's, or with the "
            "back-office's refund ledger: repair them under Payments and refunds.",
        ),
    ]


def _takings_chart(d: FinanceDashboard) -> tuple[BarChart | None, str]:
    """The daily takings chart in the main currency, scaled, and the unit its axis counts in."""
    currency = d.chart_currency
    if currency is None:
        return None, "the main currency"
    top = max((day.gross for day in d.daily_takings), default=Decimal(0))
    divisor, words = money_scale(top)
    chart = BarChart(
        "takings_chart",
        [str(day.day.day) for day in d.daily_takings],
        [
            ("Received", [day.gross / divisor for day in d.daily_takings]),
            ("Refunded", [day.refunded / divisor for day in d.daily_takings]),
        ],
        value_format="%.0f",
    )
    return chart, f"{words}{currency}"


def money_scale(top: Decimal) -> tuple[int, str]:
    """Axis labels of at most four digits: (divisor, words before the currency)."""
    if top >= 10_000_000:
        return 1_000_000, "millions of "
    if top >= 10_000:
        return 1_000, "thousands of "
    return 1, ""


def _waiting_tile(refunds: RefundsInState) -> FigureTile:
    captions = {
        "requested": "Refunds waiting for approval",
        "approved": "Refunds approved, not paid",
    }
    return FigureTile(
        f"refunds_{refunds.state}",
        captions.get(refunds.state, refunds.state),
        count_text(refunds.count),
        monies_text(refunds.totals, limit=2) or "Nothing waiting",
        monies_text(refunds.totals),
    )


def _week(monday: dt.date) -> str:
    return f"{day_text(monday)} – {day_text(monday + dt.timedelta(days=6))}"


def _section(
    tiles: Sequence[QWidget],
    chart_title: str,
    chart: BarChart | None,
    empty: str,
    *,
    lead: QWidget | None = None,
    footer: QWidget | None = None,
) -> QWidget:
    content = named(QWidget(), "dashboard_content")
    layout = QVBoxLayout(content)
    layout.setContentsMargins(0, 4, 0, 0)
    layout.setSpacing(12)
    layout.addLayout(_tile_grid(tiles, lead))
    if footer is not None:  # a full-width tile under the others
        layout.addWidget(footer)
    heading = named(QLabel(chart_title), "chart_title", wordWrap=True)
    heading.setFont(scaled_font(content, 1.15, bold=True))
    layout.addWidget(heading)
    if chart is None:
        layout.addWidget(muted(named(QLabel(empty), "chart_empty", wordWrap=True)))
        layout.addStretch(1)
    else:
        chart.setMinimumHeight(CHART_MIN_HEIGHT)
        layout.addWidget(chart, 1)
    return content


def _tile_grid(tiles: Sequence[QWidget], lead: QWidget | None) -> QGridLayout:
    """The tiles in rows of COLUMNS, under the lead tile (full width) when there is one."""
    grid = QGridLayout()
    grid.setSpacing(12)
    row = 0
    if lead is not None:
        grid.addWidget(lead, 0, 0, 1, COLUMNS)
        row = 1
    for i, tile in enumerate(tiles):
        grid.addWidget(tile, row + i // COLUMNS, i % COLUMNS)
    for column in range(COLUMNS):
        grid.setColumnStretch(column, 1)
    return grid
