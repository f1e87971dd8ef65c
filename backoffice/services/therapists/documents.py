"""An applicant's documents and photo: where each file is, so the window can open it.

The clinic's booking website stores what applicants upload under one documents folder (a path, a
network share, or a web address); the setting "applications.documents" names it, and an
application lists its files relative to it. Opening a document is recorded: it is personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import NotFound, ValidationError
from backoffice.models.backoffice import TherapistApplication
from backoffice.services import audit
from backoffice.services.permissions import Actor, Permission, require

DOCUMENTS_SETTING = "applications.documents"
MAX_PHOTO_BYTES = 5_000_000
_SETTING = sa.text("SELECT value #>> '{}' FROM backoffice.settings WHERE key = :key")


@dataclass(frozen=True)
class DocumentFile:
    """Where one of an applicant's files is: a local or shared path, or a web address."""

    name: str
    location: str
    is_url: bool
    exists: bool  # always True for a web address: only the browser can tell


def open_application_document(
    uow: UnitOfWork, actor: Actor, *, application_id: int, document: str
) -> DocumentFile:
    """Where `document` of the application is, for the window to open.

    Permission: VIEW_THERAPISTS. One transaction; audit event "application.document_opened".
    Raises PermissionDenied, NotFound (no such application, or the file is not one of its
    documents), ValidationError (no documents folder is set, or the name leaves it).
    """
    require(actor, Permission.VIEW_THERAPISTS)
    app = _application(uow, application_id)
    if document not in (*app.documents, *([app.photo] if app.photo else [])):
        raise NotFound(f"{document} is not one of {app.full_name}'s documents.")
    found = _locate(uow, document)
    audit.record(
        uow,
        "application.document_opened",
        subject_type="application_document",
        subject_id=application_id,
        details={"applicant": app.full_name, "document": document},
    )
    uow.commit()
    return found


def get_application_photo(uow: UnitOfWork, actor: Actor, *, application_id: int) -> bytes | None:
    """The applicant's photo as stored (None when there is none, or it cannot be read here).

    Permission: VIEW_THERAPISTS. Read only. Raises PermissionDenied, NotFound.
    """
    require(actor, Permission.VIEW_THERAPISTS)
    app = _application(uow, application_id)
    if not app.photo:
        return None
    try:
        found = _locate(uow, app.photo)
    except ValidationError:
        return None
    path = Path(found.location)
    if found.is_url or not found.exists or path.stat().st_size > MAX_PHOTO_BYTES:
        return None
    return path.read_bytes()


def _application(uow: UnitOfWork, application_id: int) -> TherapistApplication:
    app = uow.session.get(TherapistApplication, application_id)
    if app is None:
        raise NotFound(f"There is no therapist application number {application_id}.")
    return app


def _locate(uow: UnitOfWork, document: str) -> DocumentFile:
    root = uow.session.execute(_SETTING, {"key": DOCUMENTS_SETTING}).scalar()
    if not root or not str(root).strip():
        raise ValidationError(
            "No documents folder is set for applications: an admin sets "
            f"'{DOCUMENTS_SETTING}' in the back-office settings to where the website keeps them."
        )
    relative = PurePosixPath(document)
    if relative.is_absolute() or ".." in relative.parts:
        raise ValidationError(f"The document name {document} leaves the documents folder.")
    root = str(root).strip()
    if root.startswith(("http://", "https://")):
        return DocumentFile(relative.name, f"{root.rstrip('/')}/{relative}", True, True)
    path = Path(root).expanduser() / relative
    return DocumentFile(relative.name, str(path), False, path.is_file())
