"""The one permission matrix: which role may do what. Services check it first; the UI asks it what to show.

PostgreSQL enforces the same boundaries with grants and row-level security (`backoffice.owner.provisioning`);
this matrix is the second layer, and it words the refusal for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from backoffice.errors import NotFound, PermissionDenied
from backoffice.roles import Role as Role  # the matrix below is keyed by it


class Permission(StrEnum):
    VIEW_DASHBOARD = "see the dashboard"
    VIEW_THERAPISTS = "see therapists and their applications"
    DECIDE_APPLICATIONS = "approve or reject therapist applications"
    MANAGE_THERAPISTS = "deactivate therapists and repair therapist records"
    VIEW_CLIENTS = "see clients"
    TRANSFER_CLIENTS = "transfer clients between therapists"
    VIEW_APPOINTMENTS = "see appointments"
    VIEW_BOOKINGS = "see bookings"
    VIEW_PAYMENTS = "see payments and refunds"
    REQUEST_REFUNDS = "request refunds"
    APPROVE_REFUNDS = "approve refunds"
    COMPLETE_REFUNDS = "complete or fail refunds"
    REPAIR_PAYMENTS = "repair payment records"
    SET_REFUND_THRESHOLDS = "change refund approval thresholds"
    READ_NOTES = "read session notes"
    OPEN_CHARTS = "open client charts"
    VIEW_CASELOAD = "see your own caseload"
    WRITE_ADDITIONAL_NOTES = "write additional notes on your own sessions"
    REVIEW_NOTES = "review session notes"
    RUN_FINANCE_REPORTS = "run finance reports"
    RUN_ADMIN_REPORTS = "run admin reports"
    RUN_CLINICAL_REPORTS = "run clinical reports"
    VIEW_AUDIT_LOG = "see the audit log"
    VIEW_DATA_QUALITY = "see and repair data-quality problems"
    MANAGE_STAFF = "manage staff accounts"
    TAKE_CASELOAD_OFFLINE = "take a caseload offline"


P = Permission
MATRIX: dict[Role, frozenset[Permission]] = {
    # A caseload and notes written on one's own sessions belong to therapists.
    Role.ADMIN: frozenset(P) - {P.TAKE_CASELOAD_OFFLINE, P.VIEW_CASELOAD, P.WRITE_ADDITIONAL_NOTES},
    Role.FINANCE: frozenset(
        {
            P.VIEW_DASHBOARD,
            P.VIEW_BOOKINGS,
            P.VIEW_PAYMENTS,
            P.REQUEST_REFUNDS,
            P.APPROVE_REFUNDS,
            P.COMPLETE_REFUNDS,
            P.REPAIR_PAYMENTS,
            P.RUN_FINANCE_REPORTS,
        }
    ),
    Role.THERAPIST: frozenset(
        {
            P.VIEW_DASHBOARD,
            P.VIEW_CLIENTS,
            P.VIEW_APPOINTMENTS,
            P.VIEW_BOOKINGS,
            P.READ_NOTES,
            P.OPEN_CHARTS,
            P.VIEW_CASELOAD,
            P.WRITE_ADDITIONAL_NOTES,
            P.TAKE_CASELOAD_OFFLINE,
        }
    ),
}


@dataclass(frozen=True)
class Actor:
    """The signed-in person, as the database identified them (never as they claimed)."""

    login_role: str
    role: Role
    display_name: str
    therapist_id: str | None = None
    user_id: int | None = None

    def may(self, permission: Permission) -> bool:
        return permission in MATRIX[self.role]

    @property
    def signature(self) -> str:
        """Who, as a report or a record names them: "Priya Menon (demo_admin)", or the login
        alone when the account has no other name."""
        if self.display_name.strip() in ("", self.login_role):
            return self.login_role
        return f"{self.display_name} ({self.login_role})"


def require(actor: Actor, permission: Permission) -> None:
    """Raise PermissionDenied, in words, unless the actor's role allows `permission`."""
    if not actor.may(permission):
        raise PermissionDenied(
            f"Your role ({actor.role.value}) does not allow you to {permission.value}."
        )


def require_therapist(actor: Actor) -> str:
    """The therapist the actor's login is linked to; NotFound, in words, for a login linked to none
    (there is no caseload to show)."""
    if actor.therapist_id is None:
        raise NotFound(
            "Your staff account is not linked to a therapist, so there is no caseload to show: "
            "ask an admin to link it."
        )
    return actor.therapist_id
