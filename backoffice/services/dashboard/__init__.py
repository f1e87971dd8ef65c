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
    RefundsInState,
    Revenue,
    TherapistDashboard,
    TherapistLoad,
)

__all__ = [
    "AdminDashboard",
    "Dashboard",
    "DaySessions",
    "DayTakings",
    "FinanceDashboard",
    "Money",
    "Period",
    "RefundsInState",
    "Revenue",
    "TherapistDashboard",
    "TherapistLoad",
    "get_dashboard",
]
