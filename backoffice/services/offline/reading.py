"""Reading an opened offline copy: the caseload, a client's chart (with the drafts written on it)
and a note, laid out by the same code as online (`services.chart`), as of this computer's clock.

No database and no network: each call opens the encrypted file, checks the clock and the expiry,
reads, and closes it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any, NamedTuple

from backoffice.errors import NotFound, ValidationError
from backoffice.services.chart import AdditionalNote, CaseloadRow, ChartClient, TransferRow
from backoffice.services.chart.caseload import caseload_rows
from backoffice.services.chart.reads import assemble_chart
from backoffice.services.clock import clinic_time_of
from backoffice.services.notes import ClientSession, NoteDetail, NoteField
from backoffice.services.offline import moments
from backoffice.services.offline.copies import connection
from backoffice.services.offline.schema import moment
from backoffice.services.offline.types import Draft, OfflineChart, OfflineCopy


def read_caseload(copy: OfflineCopy, *, search: str | None = None) -> tuple[CaseloadRow, ...]:
    """My caseload from the copy, as `chart.list_caseload` lays it out online.

    Permission: the opened copy's (no database). Read only. Raises OfflineUnavailable or
    CopyExpired (clock, expiry).
    """
    words = (search or "").strip().casefold()
    with connection(copy) as conn:
        people = [
            (row[0], row[1])
            for row in conn.execute("SELECT client_id, client_name FROM clients")
            if words in (row[1] or "").casefold()
        ]
        sessions = [_listed(r) for r in conn.execute(LISTED)]
    return caseload_rows(people, sessions, _now())


def read_chart(
    copy: OfflineCopy,
    *,
    client_id: str | None = None,
    booking_id: str | None = None,
    note_id: int | None = None,
) -> OfflineChart:
    """A client's chart from the copy, named by the client or one of their sessions or notes,
    with the drafts written on their sessions.

    Permission: the opened copy's. Read only. Raises ValidationError (nothing named), NotFound
    (not in the copy), OfflineUnavailable or CopyExpired.
    """
    with connection(copy) as conn:
        client_id = _client_named(conn, client_id, booking_id, note_id)
        sessions = [
            _session(r)
            for r in conn.execute("SELECT * FROM sessions WHERE client_id = ?", (client_id,))
        ]
        client = conn.execute("SELECT * FROM clients WHERE client_id = ?", (client_id,)).fetchone()
        if client is None and not sessions:
            raise NotFound(f"There is no client {client_id} in your offline copy.")
        chart = assemble_chart(
            copy.actor,
            client_id,
            ChartClient(*client) if client is not None else None,
            sessions,
            written=_additional(conn, copy, [s.booking_id for s in sessions]),
            moves=tuple(_transfer(r) for r in conn.execute(_TRANSFERS, (client_id,))),
            now=_now(),
            focus=booking_id,
        )
        drafts = drafts_of(conn, "WHERE client_id = ?", (client_id,))
    fields = {f.name: getattr(chart, f.name) for f in dataclasses.fields(chart)}
    return OfflineChart(**fields, drafts=drafts)


_TRANSFERS = (
    "SELECT transfer_id, transferred_at, from_therapist_id, from_therapist, to_therapist_id, "
    "to_therapist, reason FROM transfers WHERE client_id = ? ORDER BY transferred_at, transfer_id"
)


def read_note(copy: OfflineCopy, *, note_id: int) -> NoteDetail:
    """A session note from the copy, read only (its opening was put on record at checkout).

    Permission: the opened copy's. Read only. Raises NotFound (not in the copy: written after it
    was taken), OfflineUnavailable or CopyExpired.
    """
    with connection(copy) as conn:
        row = conn.execute("SELECT * FROM notes WHERE note_id = ?", (note_id,)).fetchone()
    if row is None:
        raise NotFound(
            f"Session note {note_id} is not in your offline copy (it was written after the copy "
            "was taken): it will be there after the next sync."
        )
    return NoteDetail(
        note_id=row[0],
        booking_id=row[1],
        client_id=row[2],
        therapist_id=row[3],
        client_name=row[4],
        therapist_name=row[5],
        session_at=moment(row[6]),
        written_at=moment(row[7]),
        risk_level=row[8],
        self_harm=bool(row[9]),
        high_risk=bool(row[10]),
        fields=tuple(NoteField(*f) for f in json.loads(row[11])),
        earlier=(),
        reviews=(),
        opened_at=moment(row[12]) or _now(),
    )


def _now() -> Any:
    return clinic_time_of(moments.utc_now())


def _client_named(
    conn: Any, client_id: str | None, booking_id: str | None, note_id: int | None
) -> str:
    if note_id is not None:
        found = conn.execute("SELECT client_id FROM sessions WHERE note_id = ?", (note_id,))
        return _found(found.fetchone(), f"There is no session note {note_id} in your offline copy.")
    if booking_id is not None:
        found = conn.execute("SELECT client_id FROM sessions WHERE booking_id = ?", (booking_id,))
        return _found(found.fetchone(), f"There is no session {booking_id} in your offline copy.")
    if not client_id:
        raise ValidationError("Name a client, a session or a note to open a chart.")
    return client_id


def _found(row: Any, sentence: str) -> str:
    if row is None:
        raise NotFound(sentence)
    return str(row[0])


# What My caseload looks at, as light rows: one time parsed per session instead of three, and a
# tuple made instead of a frozen dataclass (a copy of 5,000 sessions is read each time it is shown)
LISTED = (
    "SELECT client_id, starts_at, status, note_id, risk_level, self_harm, high_risk, note_due "
    "FROM sessions"
)


class _Listed(NamedTuple):
    client_id: str
    starts_at: dt.datetime | None
    status: str | None
    note_id: int | None
    risk_level: str | None
    self_harm: bool
    high_risk: bool
    note_due: bool


def _listed(r: Any) -> _Listed:
    return _Listed(r[0], moment(r[1]), r[2], r[3], r[4], bool(r[5]), bool(r[6]), bool(r[7]))


def _session(r: Any) -> ClientSession:
    return ClientSession(
        client_id=r[0],
        booking_id=r[1],
        client_name=r[2],
        starts_at=moment(r[3]),
        ends_at=moment(r[4]),
        status=r[5],
        mode=r[6],
        therapist_id=r[7],
        therapist_name=r[8],
        note_id=r[9],
        note_written_at=moment(r[10]),
        risk_level=r[11],
        self_harm=bool(r[12]),
        high_risk=bool(r[13]),
        note_due=bool(r[14]),
    )


def _additional(
    conn: Any, copy: OfflineCopy, booking_ids: list[str]
) -> dict[str, tuple[AdditionalNote, ...]]:
    mine = copy.actor.therapist_id
    found: dict[str, list[AdditionalNote]] = {}
    marks = ", ".join("?" * len(booking_ids))
    rows = conn.execute(
        f"SELECT * FROM additional_notes WHERE booking_id IN ({marks}) "
        "ORDER BY written_at, note_id",
        booking_ids,
    )
    for r in rows:
        note = AdditionalNote(
            r[0], r[1], r[2], r[3], r[4], moment(r[5]), mine is not None and r[2] == mine
        )
        found.setdefault(r[1], []).append(note)
    return {booking: tuple(notes) for booking, notes in found.items()}


def _transfer(r: Any) -> TransferRow:
    return TransferRow(r[0], moment(r[1]), r[2], r[3], r[4], r[5], r[6])


def drafts_of(conn: Any, where: str = "", parameters: tuple[Any, ...] = ()) -> tuple[Draft, ...]:
    """The drafts of the copy (those `where` keeps), oldest first."""
    rows = conn.execute(
        "SELECT draft_id, booking_id, client_id, text, written_at, edited_at, state, note_id, "
        f"server_text, message FROM drafts {where} ORDER BY written_at, draft_id",
        parameters,
    )
    return tuple(
        Draft(
            r[0],
            r[1],
            r[2],
            r[3],
            moment(r[4]) or _now(),
            moment(r[5]) or _now(),
            r[6],
            r[7],
            r[8],
            r[9],
        )
        for r in rows
    )
