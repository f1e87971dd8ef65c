"""ApplicantFiles: an applicant's photo, their documents (double-click or Enter opens one in the
program the computer uses for it) and the history of decisions on their application.

Where a file is comes from the service (`therapists.open_application_document`, which records
the opening); the photo's bytes are read on a worker and shown here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from backoffice.services.login import StaffSession
from backoffice.services.therapists import (
    Application,
    DocumentFile,
    get_application_photo,
    open_application_document,
)
from backoffice.ui.qt_helpers import named
from backoffice.ui.service_call import call
from backoffice.ui.tasks import run_op, user_message

PHOTO_SIZE = 120
_PATH = Qt.ItemDataRole.UserRole


def document_title(path: str) -> str:
    """ "registration_certificate.pdf" → "Registration certificate (PDF)"."""
    name = path.rsplit("/", 1)[-1]
    stem, _, kind = name.rpartition(".")
    words = (stem or name).replace("_", " ").replace("-", " ").strip()
    return f"{words[:1].upper()}{words[1:]}" + (f" ({kind.upper()})" if stem else "")


class ApplicantFiles(QWidget):
    message = Signal(str, bool)  # a sentence for the panel's message area, and whether an error

    def __init__(self, session: StaffSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.application: Application | None = None
        self._loading = 0  # photos on their way
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl  # tests replace it
        self.photo = named(QLabel(), "application_photo")
        self.photo.setFixedSize(PHOTO_SIZE, PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.documents = named(QListWidget(), "application_documents")
        self.documents.setToolTip("Double-click a document (or press Enter) to open it")
        self.documents.itemActivated.connect(self._on_documents_item_activated)
        self.history = named(QLabel(), "application_history", wordWrap=True)
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.photo)
        layout.addWidget(QLabel("<b>Documents</b>"))
        layout.addWidget(self.documents, 1)
        layout.addWidget(QLabel("<b>History</b>"))
        layout.addWidget(self.history)
        self.show_application(None)

    def show_application(self, app: Application | None, history: str = "") -> None:
        self.application = app
        self.documents.clear()
        self.history.setText(history)
        self._show_photo(None, "No photo" if app else "")
        if app is None:
            return
        files = [*app.draft.documents, *([app.draft.photo] if app.draft.photo else [])]
        for path in files:
            title = document_title(path) + (" — photo" if path == app.draft.photo else "")
            item = QListWidgetItem(title)
            item.setData(_PATH, path)
            item.setToolTip(path)
            self.documents.addItem(item)
        if not files:
            self.documents.addItem("No documents were sent.")
        if app.draft.photo:
            self._load_photo(app.application_id)

    def open_document(self, path: str) -> None:
        app = self.application
        if app is None:
            return
        run_op(
            lambda: call(
                self.session,
                open_application_document,
                application_id=app.application_id,
                document=path,
            ),
            on_success=self._on_document_found,
            on_failure=lambda error: self.message.emit(user_message(error), True),
            context=self,
        )

    def _on_documents_item_activated(self, item: QListWidgetItem) -> None:
        path = item.data(_PATH)
        if path:
            self.open_document(str(path))

    def _on_document_found(self, found: DocumentFile) -> None:
        if not found.exists:
            self.message.emit(
                f"{document_title(found.name)} is not where the documents folder says it is "
                f"({found.location}).",
                True,
            )
            return
        url = QUrl(found.location) if found.is_url else QUrl.fromLocalFile(found.location)
        if self.open_url(url):
            self.message.emit(f"Opened {document_title(found.name)}.", False)
        else:
            self.message.emit(f"No program on this computer opens {found.location}.", True)

    def is_busy(self) -> bool:
        return self._loading > 0

    def _load_photo(self, application_id: int) -> None:
        self._loading += 1
        run_op(
            lambda: call(self.session, get_application_photo, application_id=application_id),
            on_success=lambda data: self._on_photo_loaded(application_id, data),
            on_failure=lambda _error: self._on_photo_loaded(application_id, None),
            context=self,
        )

    def _on_photo_loaded(self, application_id: int, data: bytes | None) -> None:
        self._loading -= 1
        app = self.application
        if app is None or app.application_id != application_id:
            return  # another application is shown now
        image = QImage.fromData(data) if data else QImage()
        self._show_photo(None if image.isNull() else image, "Photo unavailable")

    def _show_photo(self, image: QImage | None, text: str) -> None:
        if image is None:
            self.photo.setPixmap(QPixmap())
            self.photo.setText(text)
            return
        pixmap = QPixmap.fromImage(image).scaled(
            PHOTO_SIZE,
            PHOTO_SIZE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.photo.setPixmap(pixmap)
