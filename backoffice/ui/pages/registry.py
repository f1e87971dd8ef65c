"""Which pages exist, in sidebar order, and the permission that shows each one.

The main window asks the actor, not a hard-coded role list: a role sees a page when the
permission matrix grants it the page's permission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from backoffice.services.browse import (
    APPOINTMENTS,
    BOOKINGS,
    CLIENTS,
    SESSION_NOTES,
)
from backoffice.services.login import StaffSession
from backoffice.services.permissions import Actor, Permission
from backoffice.ui.pages.audit_log_page import AuditLogPage
from backoffice.ui.pages.caseload_page import CaseloadPage
from backoffice.ui.pages.dashboard_page import DashboardPage
from backoffice.ui.pages.data_quality_page import DataQualityPage
from backoffice.ui.pages.list_page import (
    OPEN_CLIENT_CHART,
    OPEN_NOTE_CHART,
    OPEN_SESSION_CHART,
    TRANSFER_CLIENT,
    list_page,
)
from backoffice.ui.pages.note_review_page import NoteReviewPage
from backoffice.ui.pages.payments_page import PaymentsPage
from backoffice.ui.pages.reports_page import ReportsPage
from backoffice.ui.pages.therapists_page import therapists_page

P = Permission


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    any_of: tuple[Permission, ...]
    empty_state: str
    factory: Callable[[StaffSession], QWidget] | None = None
    hidden_with: tuple[Permission, ...] = ()  # a better page exists for roles holding these

    def visible_to(self, actor: Actor) -> bool:
        return any(actor.may(p) for p in self.any_of) and not any(
            actor.may(p) for p in self.hidden_with
        )


PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard", "Dashboard", (P.VIEW_DASHBOARD,), "", DashboardPage),
    PageSpec("caseload", "My caseload", (P.VIEW_CASELOAD,), "", CaseloadPage),
    PageSpec(
        "therapists", "Therapists and applications", (P.VIEW_THERAPISTS,), "", therapists_page
    ),
    PageSpec(
        "clients",
        "Clients",
        (P.VIEW_CLIENTS,),
        "",
        list_page(CLIENTS, row_actions=[OPEN_CLIENT_CHART, TRANSFER_CLIENT]),
    ),
    PageSpec(
        "appointments",
        "Appointments",
        (P.VIEW_APPOINTMENTS,),
        "",
        list_page(APPOINTMENTS, row_actions=[OPEN_SESSION_CHART], when="session_timings"),
    ),
    PageSpec(
        "bookings", "Bookings", (P.VIEW_BOOKINGS,), "", list_page(BOOKINGS, when="booking_start_at")
    ),
    PageSpec("payments", "Payments and refunds", (P.VIEW_PAYMENTS,), "", PaymentsPage),
    PageSpec("notes", "Note review", (P.REVIEW_NOTES,), "", NoteReviewPage),
    PageSpec(
        "my_notes",
        "My session notes",
        (P.READ_NOTES,),
        "",
        list_page(SESSION_NOTES, "My session notes", row_actions=[OPEN_NOTE_CHART]),
        hidden_with=(P.REVIEW_NOTES,),
    ),
    PageSpec(
        "reports",
        "Reports",
        (P.RUN_FINANCE_REPORTS, P.RUN_ADMIN_REPORTS, P.RUN_CLINICAL_REPORTS),
        "",
        ReportsPage,
    ),
    PageSpec("audit", "Audit log", (P.VIEW_AUDIT_LOG,), "", AuditLogPage),
    PageSpec("data_quality", "Data quality", (P.VIEW_DATA_QUALITY,), "", DataQualityPage),
)


def pages_for(actor: Actor) -> list[PageSpec]:
    return [page for page in PAGES if page.visible_to(actor)]
