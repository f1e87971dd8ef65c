"""The catalogue of reports: name, title, one line of description, permission, builder, parameters.

No pandas, no reportlab, no database: the reports page and `backoffice report --list` read it
(the builders load their modules when a report runs).
"""

from __future__ import annotations

from backoffice.errors import ValidationError
from backoffice.services.permissions import Actor, Permission
from backoffice.services.reports import builders as b
from backoffice.services.reports.types import ReportInfo

P = Permission
REPORTS: tuple[ReportInfo, ...] = (
    ReportInfo(
        "revenue",
        "Revenue",
        "Gross, refunded and net revenue by period (a month's by week, a year's by month), "
        "therapist, session mode, gateway and currency, with a chart of net revenue.",
        P.RUN_FINANCE_REPORTS,
        b.build_revenue,
        takes_therapist=True,
    ),
    ReportInfo(
        "refunds",
        "Refunds",
        "Every refund requested in the period: state, amounts, who "
        "asked and approved, time to complete; failed and waiting first.",
        P.RUN_FINANCE_REPORTS,
        b.build_refunds,
        landscape=True,
    ),
    ReportInfo(
        "reconciliation",
        "Payment reconciliation",
        "Refund fields that disagree, payments without a booking, paid bookings without a payment.",
        P.RUN_FINANCE_REPORTS,
        b.build_reconciliation,
        landscape=True,
    ),
    ReportInfo(
        "ledger",
        "Ledger",
        "Every payment and refund in the period, one line each, with totals per currency.",
        P.RUN_FINANCE_REPORTS,
        b.build_ledger,
        takes_therapist=True,
        landscape=True,
    ),
    ReportInfo(
        "utilisation",
        "Therapist utilisation",
        "Per therapist: capacity, sessions booked, "
        "completed, cancelled, no-shows and rates, with a chart.",
        P.RUN_ADMIN_REPORTS,
        b.build_utilisation,
        takes_therapist=True,
        landscape=True,
    ),
    ReportInfo(
        "transfers",
        "Client transfers",
        "Transfers in the period with reasons and who made them; caseload change per therapist.",
        P.RUN_ADMIN_REPORTS,
        b.build_transfers,
        takes_therapist=True,
        landscape=True,
    ),
    ReportInfo(
        "caseload",
        "Caseloads",
        "Per therapist: clients, last and next session, notes due, risk mix of the period's notes.",
        P.RUN_ADMIN_REPORTS,
        b.build_caseload,
        takes_therapist=True,
        landscape=True,
    ),
    ReportInfo(
        "registrations",
        "Therapists' registrations",
        "Registrations expired or expiring by the end of the period, soonest first, "
        "with days left and the earlier ones they replaced.",
        P.RUN_ADMIN_REPORTS,
        b.build_registrations,
        takes_therapist=True,
        landscape=True,
    ),
    ReportInfo(
        "risk-review",
        "High-risk note review",
        "High-risk notes of the period (risk language in the text too, with its phrases), "
        "their review state and outcome, time to review.",
        P.RUN_CLINICAL_REPORTS,
        b.build_risk_review,
        clinical=True,
        reads_on_primary=True,
        takes_therapist=True,
        landscape=True,
    ),
    ReportInfo(
        "client-history",
        "Client history",
        "One client's sessions, transfers and review outcomes, for a handover.",
        P.RUN_CLINICAL_REPORTS,
        b.build_client_history,
        clinical=True,
        needs_client=True,
        landscape=True,
    ),
)
_BY_NAME = {info.name: info for info in REPORTS}


def list_reports(actor: Actor) -> tuple[ReportInfo, ...]:
    """The reports this actor's role may run, in catalogue order. No database access."""
    return tuple(info for info in REPORTS if actor.may(info.permission))


def get_report(name: str) -> ReportInfo:
    """The catalogue entry called `name`; ValidationError naming the choices otherwise."""
    info = _BY_NAME.get((name or "").strip().lower())
    if info is None:
        raise ValidationError(
            f"There is no report called {name!r}; the reports are {', '.join(_BY_NAME)}."
        )
    return info
