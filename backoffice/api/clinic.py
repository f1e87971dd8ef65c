"""`connect(url)`: a login signed in to the clinic database, with every workflow as a method."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.engine import URL, Engine

from backoffice.api.methods import as_actor, streaming, with_units, workflow
from backoffice.db import UnitOfWork, parse_url
from backoffice.db_login import open_engine
from backoffice.services import (
    audit_trail,
    browse,
    chart,
    dashboard,
    notes,
    offline,
    refunds,
    reports,
    therapists,
    transfers,
)
from backoffice.services.login import identify
from backoffice.services.permissions import Actor


def connect(url: str | URL, *, password: str | None = None) -> Clinic:
    """Sign in as the URL's login: `with api.connect(url) as clinic: ...` (closed when it ends).

    A password is used only when the server asks for one: `password`, else the URL's, PGPASSWORD,
    ~/.pgpass (or PGPASSFILE), the keyring entry the login window saved, or a prompt on a terminal.
    Who signed in is what the database says (`clinic.actor`), as in the window.
    Raises ValidationError (the URL) or DatabaseUnavailable (unreachable, refused, no staff
    account), each with one sentence.
    """
    text = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    parsed = parse_url(text)
    # As a window: at most one connection kept, a second while a note's opening is recorded.
    engine = open_engine(
        parsed,
        password=password,
        application_name="clinic-backoffice api",
        pool_size=1,
        max_overflow=1,
    )
    try:
        actor = identify(engine, parsed)
    except BaseException:
        engine.dispose()
        raise
    return Clinic(engine, actor)


class Clinic:
    """The clinic database as one staff login sees it: `actor`, and every public workflow and read
    of the services as a method with the service's name, keyword arguments, result and errors.

    Each call is a transaction of its own, as a button press in the window: a workflow commits its
    change and its audit event together, or nothing. The database's grants and row security apply.
    """

    def __init__(self, engine: Engine, actor: Actor) -> None:
        self._engine = engine
        self._actor = actor

    @property
    def actor(self) -> Actor:
        """Who signed in, as the database identified the login: display name, role, login."""
        return self._actor

    def unit_of_work(self) -> UnitOfWork:
        """A new transaction on this login's connections (nothing is saved unless committed)."""
        return UnitOfWork(self._engine)

    def browser(self, source: browse.TableSource) -> browse.Browser:
        """One of the tables the pages show (`api.PAYMENTS`...), paged in SQL, as this login."""
        return browse.Browser(self.unit_of_work, self._actor, source)

    def close(self) -> None:
        """Close this login's connections."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Clinic {self._actor.login_role} ({self._actor.role}) at {self._engine.url!r}>"

    # Therapist applications and therapists
    submit_application = workflow(therapists.submit_application)
    approve_application = workflow(therapists.approve_application)
    reject_application = workflow(therapists.reject_application)
    request_information = workflow(therapists.request_information)
    resubmit_application = workflow(therapists.resubmit_application)
    get_application = workflow(therapists.get_application)
    list_applications = workflow(therapists.list_applications)
    list_decisions = workflow(therapists.list_decisions)
    open_application_document = workflow(therapists.open_application_document)
    get_application_photo = workflow(therapists.get_application_photo)
    list_therapists = workflow(therapists.list_therapists)
    deactivate_therapist = workflow(therapists.deactivate_therapist)
    reactivate_therapist = workflow(therapists.reactivate_therapist)
    create_therapist_login = workflow(therapists.create_therapist_login)
    check_consistency = workflow(therapists.check_consistency)
    repair_inconsistency = workflow(therapists.repair_inconsistency)
    choose_sessions_booked_definition = workflow(therapists.choose_sessions_booked_definition)
    list_registrations = workflow(therapists.list_registrations)
    expiring_registrations = workflow(therapists.expiring_registrations)
    record_registration = workflow(therapists.record_registration)
    notify_registration_expiries = workflow(therapists.notify_registration_expiries)

    # Client transfers
    find_clients = workflow(transfers.find_clients)
    transfer_client = workflow(transfers.transfer_client)
    preview_caseload_transfer = workflow(transfers.preview_caseload_transfer)
    transfer_caseload = workflow(transfers.transfer_caseload)

    # Refunds
    request_refund = workflow(refunds.request_refund)
    approve_refund = workflow(refunds.approve_refund)
    reject_refund = workflow(refunds.reject_refund)
    complete_refund = workflow(refunds.complete_refund)
    fail_refund = workflow(refunds.fail_refund)
    retry_refund = workflow(refunds.retry_refund)
    get_refund = workflow(refunds.get_refund)
    list_refunds = workflow(refunds.list_refunds)
    get_payment_refunds = workflow(refunds.get_payment_refunds)
    list_refund_mismatches = workflow(refunds.list_refund_mismatches)
    repair_refund_mismatch = workflow(refunds.repair_refund_mismatch)
    set_refund_threshold = workflow(refunds.set_refund_threshold)

    # Session-note review
    list_review_queue = workflow(notes.list_review_queue)
    count_review_queue = workflow(notes.count_review_queue)
    open_note = workflow(notes.open_note)
    open_notes = workflow(notes.open_notes)
    list_client_sessions = workflow(notes.list_client_sessions)
    list_my_notes_due = workflow(notes.list_my_notes_due)
    review_note = workflow(notes.review_note)
    list_notes_due = workflow(notes.list_notes_due)
    list_orphaned_notes = workflow(notes.list_orphaned_notes)
    list_link_candidates = workflow(notes.list_link_candidates)
    link_orphaned_note = workflow(notes.link_orphaned_note)
    scan_risk_language = workflow(notes.scan_risk_language)

    # The therapist's caseload and the client chart
    list_caseload = workflow(chart.list_caseload)
    get_chart = workflow(chart.get_chart)
    add_additional_note = workflow(chart.add_additional_note)

    # The caseload taken offline (reading a copy needs no login: api.open_copy and the rest)
    checkout_caseload = with_units(offline.checkout_caseload)
    upload_draft = workflow(offline.upload_draft)
    sync_caseload = with_units(offline.sync_caseload)

    # Reports
    list_reports = as_actor(reports.list_reports)
    list_report_therapists = workflow(reports.list_report_therapists)
    run_report = with_units(reports.run_report)

    # Browsing the tables the pages show
    visible_columns = as_actor(browse.visible_columns)
    fetch_page = workflow(browse.fetch_page)
    fetch_last_page = workflow(browse.fetch_last_page)
    seek = workflow(browse.seek)
    estimate_count = workflow(browse.estimate_count)
    exact_count = workflow(browse.exact_count)
    count_selected = workflow(browse.count_selected)
    stream_rows = streaming(browse.stream_rows)

    # The dashboard
    get_dashboard = workflow(dashboard.get_dashboard)

    # The audit trail's hash chain
    check_audit_trail = workflow(audit_trail.check_audit_trail)
