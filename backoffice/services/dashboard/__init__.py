"""The dashboard of each role: every figure aggregated by PostgreSQL, returned as frozen values.

Everything not named here is internal.
"""

from backoffice.services.dashboard.figures import get_dashboard
from backoffice.services.dashboard.types import (
    AdminDashboard,
    Dashboard,
    DaySessions,
    DayTakings,
    FinanceDashboard,
    Money,
    Period,
    ReceivedTransfer,
    RefundsInState,
    Revenue,
    TherapistDashboard,
    TherapistLoad,
    TodaySession,
)

__all__ = [
    "AdminDashboard",
    "Dashboard",
    "DaySessions",
    "DayTakings",
    "FinanceDashboard",
    "Money",
    "Period",
    "ReceivedTransfer",
    "RefundsInState",
    "Revenue",
    "TherapistDashboard",
    "TherapistLoad",
    "TodaySession",
    "get_dashboard",
]
