"""The tamper-evident audit trail: each audit event carries a hash over its content and the
previous event's hash, computed by the database on insert (revision 0009). Walking the chain names
the first event edited, deleted or inserted out of order; its head is the anchor that reports print
and the daily export keeps elsewhere. Everything not named here is internal.
"""

from backoffice.services.audit_trail.checks import (
    audit_anchor,
    check_audit_trail,
    verify_audit_chain,
)
from backoffice.services.audit_trail.types import ChainCheck, ChainHead, EventRef
from backoffice.services.audit_trail.walk import ChainProgress

__all__ = [
    "ChainCheck",
    "ChainHead",
    "ChainProgress",
    "EventRef",
    "audit_anchor",
    "check_audit_trail",
    "verify_audit_chain",
]
