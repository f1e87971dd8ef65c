"""OfflineChartPage: the client chart read from the offline copy. Everything is read only but the
drafts: the editor saves a draft on this computer, and each session lists its drafts with what they
wait for (the next sync, or the therapist's decision on a conflict)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QSplitter, QWidget

from backoffice.services.chart import ChartEntry
from backoffice.services.offline import (
    Draft,
    OfflineChart,
    discard_draft,
    keep_as_new_draft,
)
from backoffice.ui.dialogs.offline_dialogs import confirm_discard
from backoffice.ui.offline_session import OfflineCharts, OfflineSession
from backoffice.ui.pages.chart_page import ChartPage
from backoffice.ui.qt_helpers import named
from backoffice.ui.widgets.draft_list import DraftList

BANNER = (
    "Offline: read from the copy on this computer. Nothing here changes the clinic's records "
    "until you sync; additional notes you write are drafts."
)


class OfflineChartPage(ChartPage):
    def __init__(self, session: OfflineSession, parent: QWidget | None = None) -> None:
        self.offline = session
        self._editing: str | None = None  # the draft being edited in the editor
        super().__init__(OfflineCharts(session), parent)
        self.banner = named(QLabel(BANNER), "offline_banner", wordWrap=True)
        self.banner.setStyleSheet("background: rgba(226, 160, 40, 0.25); padding: 4px 8px;")
        self.layout().insertWidget(0, self.banner)  # type: ignore[union-attr]
        self.drafts = named(DraftList(), "chart_drafts")
        self.drafts.edit_requested.connect(self._on_drafts_edit_requested)
        self.drafts.discard_requested.connect(self._on_drafts_discard_requested)
        self.drafts.keep_requested.connect(self._on_drafts_keep_requested)
        side = self.additional.parentWidget()
        if isinstance(side, QSplitter):
            side.insertWidget(1, self.drafts)
        self.additional.save_button.setText("Save draft")
        self.additional.editor.setPlaceholderText(
            "Write a draft on this session: it goes to the server at the next sync…"
        )

    def _session_shown(self, entry: ChartEntry) -> None:
        chart = self.chart
        drafts = (
            chart.drafts_on(entry.session.booking_id) if isinstance(chart, OfflineChart) else ()
        )
        self.drafts.show_drafts(drafts)
        if self._editing not in {d.draft_id for d in drafts}:
            self._editing = None

    def _on_additional_save_requested(self, booking_id: str, text: str) -> None:
        self._saving = True
        draft_id, source = self._editing, OfflineCharts(self.offline)
        self._actions.start(
            lambda: source.add_note(booking_id=booking_id, text=text, draft_id=draft_id),
            self._on_saved,
        )

    def _on_saved(self, result: Any) -> None:
        self._editing = None
        super()._on_saved(result)
        self.additional.saved("Saved as a draft on this computer, not yet on the clinic's record.")

    def _on_drafts_edit_requested(self, draft: Draft) -> None:
        self._editing = draft.draft_id
        self.additional.editor.setPlainText(draft.text)
        self.additional.editor.setFocus()
        self.additional.status.show_info("Editing the draft: Save draft keeps the change.")

    def _on_drafts_discard_requested(self, draft_id: str) -> None:
        if not confirm_discard(self):
            return
        copy = self.offline.copy
        self._actions.start(lambda: discard_draft(copy, draft_id=draft_id), self._on_draft_settled)

    def _on_drafts_keep_requested(self, draft_id: str) -> None:
        copy = self.offline.copy
        self._actions.start(
            lambda: keep_as_new_draft(copy, draft_id=draft_id), self._on_draft_settled
        )

    def _on_draft_settled(self, _result: Any) -> None:
        self.status.show_info("Your drafts are updated.")
