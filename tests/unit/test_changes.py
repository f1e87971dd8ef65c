"""A workflow's result says what it changed (Anki's OpChanges); a read says nothing."""

from __future__ import annotations

import pytest

from backoffice.services.changes import Area, Changes, changes_of
from backoffice.services.dashboard import AdminDashboard
from backoffice.services.notes import LinkResult, NoteDetail, ReviewResult
from backoffice.services.refunds import RefundDetail, RefundResult
from backoffice.services.refunds import RepairResult as RefundRepairResult
from backoffice.services.reports import ReportResult
from backoffice.services.therapists import (
    ApprovalResult,
    ConsistencyReport,
    DeactivationResult,
    DecisionResult,
    LoginResult,
    ReactivatedTherapist,
    RepairResult,
    TherapistRow,
)
from backoffice.services.transfers import CaseloadPreview, CaseloadTransferResult, TransferResult

A = Area


@pytest.mark.parametrize(
    ("result", "touched"),
    [
        (ApprovalResult, {A.APPLICATIONS, A.THERAPISTS, A.STAFF}),
        (DecisionResult, {A.APPLICATIONS}),
        (DeactivationResult, {A.THERAPISTS}),
        (ReactivatedTherapist, {A.THERAPISTS}),
        (LoginResult, {A.STAFF}),
        (RepairResult, {A.THERAPISTS, A.STAFF}),
        (TransferResult, {A.CLIENTS, A.APPOINTMENTS, A.BOOKINGS, A.THERAPISTS}),
        (CaseloadTransferResult, {A.CLIENTS, A.APPOINTMENTS, A.BOOKINGS, A.THERAPISTS}),
        (RefundResult, {A.REFUNDS, A.PAYMENTS, A.BOOKINGS}),
        (RefundRepairResult, {A.REFUNDS, A.PAYMENTS, A.BOOKINGS}),
        (ReviewResult, {A.NOTE_REVIEWS}),
        (LinkResult, {A.NOTES}),
    ],
)
def test_each_workflow_result_says_what_it_changed(result, touched):
    assert changes_of(result) == Changes.of(*touched)


@pytest.mark.parametrize(
    "read",
    [
        TherapistRow,
        ConsistencyReport,
        CaseloadPreview,
        RefundDetail,
        NoteDetail,
        ReportResult,
        AdminDashboard,
        (),
        None,
        42,
    ],
)
def test_a_read_changes_nothing(read):
    assert not changes_of(read)


def test_changes_combine_and_say_whether_they_touch_an_area():
    both = Changes.of(A.REFUNDS) | Changes.of(A.CLIENTS)
    assert both == Changes.of(A.CLIENTS, A.REFUNDS)
    assert both.touches(A.NOTES, A.CLIENTS) and not both.touches(A.NOTES)
    assert not Changes() and both
