"""DashboardPage: the role's figures as tiles and a bar chart, loaded on a worker.

The page never touches the database itself: `refresh()` (F5) runs `services.dashboard.get_dashboard`
through `run_op`, shows "Loading…" meanwhile, and on failure shows the error's own sentence while
keeping the last figures it had. It loads again when a workflow changed anything (at once when in
view, otherwise when next shown). It only reads: therapists whose registration expires soon are
told by the nightly `backoffice registrations notify`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.dashboard import (
    AdminDashboard,
    Dashboard,
    FinanceDashboard,
    TherapistDashboard,
    get_dashboard,
)
from backoffice.services.login import StaffSession
from backoffice.ui.pages.dashboard_sections import admin_section, finance_section
from backoffice.ui.pages.therapist_section import therapist_section
from backoffice.ui.qt_helpers import named
from backoffice.ui.read_server import Read, show_read_note
from backoffice.ui.tasks import Op, run_op, user_message
from backoffice.ui.widgets.figure_tile import muted, scaled_font
from backoffice.ui.widgets.lazy_parts import LazyPage, LazyParts, Part
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.values import datetime_text

Loader = Callable[[], Dashboard | Read[Dashboard]]
LOADING = "Loading the figures…"


def load_dashboard(session: StaffSession) -> Read[Dashboard]:
    """Runs on a worker: one unit of work as the signed-in person, on the read-only server when
    the clinic has one that serves (else the primary, with the note saying why)."""
    target = session.reads()
    with target.unit_of_work() as uow:
        return Read(get_dashboard(uow, session.actor), target.note)


class DashboardPage(LazyPage):
    """The dashboard of the signed-in person's role. `refresh()` reloads it."""

    loaded = Signal(object)  # the Dashboard shown
    load_failed = Signal(str)  # the sentence shown

    def __init__(
        self, session: StaffSession, *, load: Loader | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._load: Loader = load or (lambda: load_dashboard(session))
        self._op: Op[Dashboard | Read[Dashboard]] | None = None
        self.dashboard: Dashboard | None = None
        self.content: QWidget | None = None
        self.parts = LazyParts(self, [Part(None, self._load_figures)])  # it shows everything
        self._build()

    def _build(self) -> None:
        title = QLabel("Dashboard")
        title.setFont(scaled_font(self, 1.6, bold=True))
        self.as_of_label = muted(named(QLabel(""), "dashboard_as_of"))
        self.refresh_button = named(
            QPushButton("Refresh"), "dashboard_refresh", toolTip="Load the figures again (F5)"
        )
        self.refresh_button.clicked.connect(self.refresh)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.as_of_label)
        header.addWidget(self.refresh_button)
        self.status_label = MessageArea("dashboard_status")
        self.status_label.show_info(LOADING)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(header)
        layout.addWidget(self.status_label)
        layout.addWidget(self.scroll_area, 1)

    # --- loading ---------------------------------------------------------------------------
    def is_loading(self) -> bool:
        return self._op is not None

    def _load_figures(self) -> None:
        if self._op is not None:
            return
        self.refresh_button.setEnabled(False)
        self._show_status(LOADING, error=False)
        if self.content is not None:
            self.content.setEnabled(False)
        self._op = run_op(
            self._load,
            on_success=self._on_load_succeeded,
            on_failure=self._on_load_failed,
            context=self,
        )

    def _on_load_succeeded(self, loaded: Dashboard | Read[Dashboard]) -> None:
        read = loaded if isinstance(loaded, Read) else Read(loaded)
        self._op = None
        self.refresh_button.setEnabled(True)
        self.dashboard = dashboard = read.value
        self._show_status(read.note or "", error=False)
        show_read_note(self, read.note)
        as_of = dashboard.period.as_of
        self.as_of_label.setText(f"Figures as of {datetime_text(as_of, weekday=True, zone=True)}")
        self._replace_content(_section(dashboard))
        self.loaded.emit(dashboard)

    def _on_load_failed(self, error: BaseException) -> None:
        self._op = None
        self.refresh_button.setEnabled(True)
        message = user_message(error)
        self._show_status(message, error=True)
        if self.content is not None:
            self.content.setEnabled(True)
        self.load_failed.emit(message)

    def _show_status(self, text: str, *, error: bool) -> None:
        self.status_label.show_message(text, error)
        self.status_label.setVisible(bool(text))

    def _replace_content(self, content: QWidget) -> None:
        old = self.scroll_area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.content = content
        self.scroll_area.setWidget(content)


def _section(dashboard: Dashboard) -> QWidget:
    if isinstance(dashboard, AdminDashboard):
        return admin_section(dashboard)
    if isinstance(dashboard, FinanceDashboard):
        return finance_section(dashboard)
    if isinstance(dashboard, TherapistDashboard):
        return therapist_section(dashboard)
    raise TypeError(f"no dashboard section for {type(dashboard).__name__}")
