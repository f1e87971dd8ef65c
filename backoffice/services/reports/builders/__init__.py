"""The report builders: each takes the unit of work and a checked request and returns the content.

These functions are what the catalogue holds. Each loads its module on first use, so listing the
catalogue (the reports page, `backoffice report --list`) imports neither pandas nor reportlab;
the SQL and the tables are in the module named by each function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backoffice.db import UnitOfWork
    from backoffice.services.reports.types import ReportContent, ReportRequest


def build_revenue(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    from backoffice.services.reports.builders import revenue

    return revenue.build_revenue(uow, request)


def build_refunds(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    from backoffice.services.reports.builders import refunds

    return refunds.build_refunds(uow, request)


def build_reconciliation(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    from backoffice.services.reports.builders import reconciliation

    return reconciliation.build_reconciliation(uow, request)


def build_ledger(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    from backoffice.services.reports.builders import ledger

    return ledger.build_ledger(uow, request)


def build_utilisation(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    from backoffice.services.reports.builders import admin

    return admin.build_utilisation(uow, request)


def build_transfers(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    from backoffice.services.reports.builders import admin

    return admin.build_transfers(uow, request)


def build_caseload(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    from backoffice.services.reports.builders import caseload

    return caseload.build_caseload(uow, request)


def build_registrations(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    from backoffice.services.reports.builders import registrations

    return registrations.build_registrations(uow, request)


def build_risk_review(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    from backoffice.services.reports.builders import risk_review

    return risk_review.build_risk_review(uow, request)


def build_client_history(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    from backoffice.services.reports.builders import client_history

    return client_history.build_client_history(uow, request)
