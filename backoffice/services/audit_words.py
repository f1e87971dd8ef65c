"""The audit log in sentences: what an audit event says happened, for the window and its exports.

Pure Python over the event's stored fields (action, subject, details), so that the raw JSON stays
the record and people read a sentence: "Approved refund #7 of INR 2,500.00." An action this module
does not know still reads as words ("Therapist consistency repaired: therapist 58001.").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from backoffice.values import date_text, datetime_text, money_text

Details = Mapping[str, Any]
_OUTCOMES = {
    "follow_up": "follow up with the therapist",
    "safety_plan": "safety plan needed",
    "escalated": "escalated",
    "no_action": "no action",
}
_SUBJECTS = {
    "session_note": "session note",
    "staff_account": "staff login",
    "therapist_application": "therapist application",
}


def describe_event(
    action: str, subject_type: str | None, subject_id: str | None, details: Details | None
) -> str:
    """One sentence for one audit event."""
    d = details or {}
    sid = subject_id or ""
    describe = _SENTENCES.get(action)
    if describe is not None:
        try:
            return describe(sid, d)
        except (KeyError, TypeError, ValueError, InvalidOperation):
            pass  # an older event without the details the sentence needs: say it plainly
    return _plain(action, subject_type, sid)


def describe_event_value(value: object) -> str:
    """`describe_event` of the object the audit source selects (action, subject, details)."""
    if not isinstance(value, Mapping):
        return str(value)
    return describe_event(
        str(value.get("action") or ""),
        value.get("subject_type"),
        value.get("subject_id"),
        value.get("details"),
    )


def _plain(action: str, subject_type: str | None, subject_id: str) -> str:
    words = action.replace("_", " ").replace(".", " ").strip()
    subject = _SUBJECTS.get(subject_type or "", (subject_type or "").replace("_", " "))
    about = f": {subject} {subject_id}".rstrip() if subject or subject_id else ""
    return f"{words[:1].upper()}{words[1:]}{about}."


def _money(d: Details) -> str:
    return money_text(Decimal(str(d["amount"])), d.get("currency"))


def _reason(d: Details, key: str = "reason") -> str:
    return f": {d[key]}" if d.get(key) else ""


def _refund(verb: str, extra: Callable[[Details], str] = lambda d: "") -> Callable[..., str]:
    def sentence(sid: str, d: Details) -> str:
        amount = f" of {_money(d)}" if "amount" in d else ""
        return f"{verb} refund #{sid}{amount}{extra(d)}."

    return sentence


def _requested(sid: str, d: Details) -> str:
    cancelled = "; the session was cancelled" if d.get("session_cancelled") else ""
    return (
        f"Requested refund #{sid} of {_money(d)} from payment {d['payment_id']} "
        f"({str(d.get('reason_code', '')).replace('_', ' ')}){cancelled}."
    )


def _application(verb: str, with_message: bool = False) -> Callable[..., str]:
    def sentence(sid: str, d: Details) -> str:
        message = _reason(d, "message") if with_message else ""
        return f"{verb} {d['applicant']} (application {sid}){message}."

    return sentence


def _reviewed(sid: str, d: Details) -> str:
    risk = " (high risk)" if d.get("high_risk") else ""
    outcome = _OUTCOMES.get(str(d["outcome"]), str(d["outcome"]))
    return f"Reviewed session note {sid}{risk}: {outcome}."


def _transferred(sid: str, d: Details) -> str:
    when = date_text(dt.datetime.fromisoformat(str(d["moved_from"])))
    return (
        f"Transferred client {sid} from therapist {d['from']} to therapist {d['to']} "
        f"from {when}{_reason(d)}."
    )


def _caseload(sid: str, d: Details) -> str:
    to = ", ".join(str(t) for t in d.get("to") or ())
    return f"Transferred the {d['clients']} clients of therapist {sid} to {to}{_reason(d)}."


def _exported(sid: str, d: Details) -> str:
    start = date_text(dt.date.fromisoformat(str(d["from"])))
    end = date_text(dt.date.fromisoformat(str(d["to"])))
    return f"Exported the {sid.replace('_', ' ')} report, {start} – {end}, as {d['file']}."


def _login_failed(sid: str, d: Details) -> str:
    when = datetime_text(dt.datetime.fromisoformat(str(d["at"])), zone=True)
    return (
        f"Wrong password for {sid} on {d.get('workstation') or 'a workstation'} at {when} "
        f"(reported by {d.get('reported_by')}, who logged in next there)."
    )


def _threshold(sid: str, d: Details) -> str:
    currency = str(d["currency"])
    before = d.get("before")
    was = f" (was {money_text(Decimal(str(before)), currency)})" if before is not None else ""
    after = money_text(Decimal(str(d["after"])), currency)
    return f"Set the refund approval threshold for {currency} to {after}{was}{_reason(d)}."


_SENTENCES: dict[str, Callable[[str, Details], str]] = {
    "staff.added": lambda sid, d: f"Added the staff login {sid} ({d['role']}).",
    "staff.disabled": lambda sid, d: f"Disabled the staff login {sid}.",
    "note.opened": lambda sid, d: f"Opened session note {sid} to read it.",
    "note.reviewed": _reviewed,
    "note.linked": lambda sid, d: f"Linked session note {sid} to booking {d['booking_id']}.",
    "refund.requested": _requested,
    "refund.approved": _refund("Approved"),
    "refund.rejected": _refund("Rejected", _reason),
    "refund.retried": _refund("Sent back for completion"),
    "refund.completed": _refund("Completed", lambda d: f" (reference {d['gateway_reference']})"),
    "refund.failed": _refund("Marked failed", lambda d: _reason(d, "message")),
    "refund.mismatch_repaired": lambda sid, d: (
        f"Repaired the refund fields of payment {sid}, keeping the {d['kept']}'s."
    ),
    "therapist.deactivated": lambda sid, d: f"Deactivated therapist {sid}{_reason(d)}.",
    "therapist.reactivated": lambda sid, d: f"Reactivated therapist {sid}{_reason(d)}.",
    "therapist.login_created": lambda sid, d: (
        f"Created the login {d['login']} for therapist {sid}."
    ),
    "therapist.consistency_repaired": lambda sid, d: f"Repaired therapist {sid}: {d['repair']}",
    "therapist_application.submitted": _application("Received the application of"),
    "therapist_application.resubmitted": _application("Received more information from"),
    "therapist_application.approved": _application("Approved"),
    "therapist_application.rejected": _application("Rejected", with_message=True),
    "therapist_application.needs_information": _application(
        "Asked for more information from", True
    ),
    "application.document_opened": lambda sid, d: (
        f"Opened {d['document']} of {d['applicant']} (application {sid})."
    ),
    "client.transferred": _transferred,
    "caseload.transferred": _caseload,
    "report.exported": _exported,
    "session.unlock_failed": lambda sid, d: (
        f"Wrong password at {sid}'s locked window on {d.get('workstation') or 'a workstation'}."
    ),
    "login.failed": _login_failed,
    "staff.temporary_password": lambda sid, d: (
        f"Gave the login {sid} a temporary password, valid until "
        f"{datetime_text(dt.datetime.fromisoformat(str(d['valid_until'])), zone=True)}."
    ),
    "staff.password_set": lambda sid, d: f"{sid} chose their own password.",
    "refund.threshold_changed": _threshold,
}
