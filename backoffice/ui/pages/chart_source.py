"""Where My caseload and the client chart read from: the clinic's server as the signed-in person,
or (offline) the encrypted copy on this computer. The pages ask a source, never a service, so the
same widgets show both; each call runs on a worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from backoffice.services.chart import (
    AdditionalNoteResult,
    CaseloadRow,
    ClientChart,
    add_additional_note,
    get_chart,
    list_caseload,
)
from backoffice.services.login import StaffSession
from backoffice.services.notes import NoteDetail, open_note
from backoffice.ui.service_call import call
from backoffice.values import day_text


class ChartSource(Protocol):
    """What the caseload and chart pages read and write through."""

    @property
    def viewer_therapist_id(self) -> str | None: ...

    def list_caseload(self, *, search: str | None) -> tuple[CaseloadRow, ...]: ...

    def get_chart(self, **target: Any) -> ClientChart: ...

    def open_note(self, *, note_id: int) -> NoteDetail: ...

    def add_note(self, *, booking_id: str, text: str) -> Any: ...

    def saved_sentence(self, result: Any) -> str: ...


@dataclass(frozen=True)
class OnlineCharts:
    """The server, as the signed-in person: a note opened is put on record first."""

    session: StaffSession

    @property
    def viewer_therapist_id(self) -> str | None:
        return self.session.actor.therapist_id

    def list_caseload(self, *, search: str | None) -> tuple[CaseloadRow, ...]:
        return call(self.session, list_caseload, search=search)

    def get_chart(self, **target: Any) -> ClientChart:
        return call(self.session, get_chart, **target)

    def open_note(self, *, note_id: int) -> NoteDetail:
        return call(self.session, open_note, note_id=note_id, with_earlier=False)

    def add_note(self, *, booking_id: str, text: str) -> AdditionalNoteResult:
        return call(self.session, add_additional_note, booking_id=booking_id, text=text)

    def saved_sentence(self, result: AdditionalNoteResult) -> str:
        return f"Additional note saved on {day_text(result.written_at)}."


def chart_source(session: StaffSession | ChartSource) -> ChartSource:
    """The pages take a signed-in session (the server) or any other source."""
    return OnlineCharts(session) if isinstance(session, StaffSession) else session
