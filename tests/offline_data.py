"""A synthetic caseload snapshot, to write offline copies without a server (unit tests, the bench).

Names and note texts are distinctive, so that a test can grep files for them.
"""

from __future__ import annotations

import datetime as dt

from backoffice.credentials import server_key
from backoffice.services.chart import AdditionalNote, ChartClient, TransferRow
from backoffice.services.notes import ClientSession, NoteDetail, NoteField
from backoffice.services.offline.snapshot import Snapshot
from backoffice.services.permissions import Actor, Role

SERVER = server_key(host="db.clinic.example", database="clinic")
PASSWORD = "Offline-Pa55word!"
THERAPIST = Actor(
    login_role="asha", role=Role.THERAPIST, display_name="Asha Rao", therapist_id="T-1", user_id=7
)
NAMES = ("Quillon Vasquez-Thornbury", "Zephyrine Okonkwo", "Marguerite Anand-Whitcombe")
NOTE_TEXT = "Discussed the lighthouse dream at length"
TAKEN_UTC = dt.datetime(2026, 3, 2, 4, 30, tzinfo=dt.UTC)
TAKEN_AT = dt.datetime(2026, 3, 2, 10, 0)  # the clinic's wall-clock time then


def client_name(i: int) -> str:
    return NAMES[i] if i < len(NAMES) else f"Client Number{i:05d}"


def snapshot(
    *, clients: int = 3, sessions_per_client: int = 4, taken_utc: dt.datetime = TAKEN_UTC
) -> Snapshot:
    """`clients` clients of THERAPIST, each with past sessions (every one with a note) and one
    to come; an additional note on the first session of each; one transfer to the first."""
    taken_at = TAKEN_AT + (taken_utc - TAKEN_UTC)
    people = tuple(
        ChartClient(
            f"C{i:05d}", client_name(i), "+91 90000 00000", f"c{i}@example.com", "T-1", "Asha Rao"
        )
        for i in range(clients)
    )
    sessions, notes, additional = [], [], []
    for i, person in enumerate(people):
        for j in range(sessions_per_client):
            past = j < sessions_per_client - 1
            starts = taken_at + dt.timedelta(days=7 * (j - sessions_per_client + 2), hours=-1)
            note_id = i * sessions_per_client + j + 1 if past else None
            booking = f"B{i:05d}-{j:02d}"
            sessions.append(_session(person, booking, starts, note_id, high=(j == 1)))
            if note_id is not None:
                notes.append(_note(person, booking, starts, note_id, high=(j == 1)))
        first = sessions[-sessions_per_client]
        additional.append(
            AdditionalNote(
                i + 1,
                first.booking_id,
                "T-1",
                "Asha Rao",
                f"Phoned {person.client_name}",
                first.starts_at,
                True,
            )
        )
    move = TransferRow(
        1, taken_at - dt.timedelta(days=60), "T-9", "Dev Mehta", "T-1", "Asha Rao", "Moved city"
    )
    return Snapshot(
        actor=THERAPIST,
        taken_at=taken_at,
        taken_utc=taken_utc,
        max_days=14,
        clients=people,
        sessions=tuple(sessions),
        notes=tuple(notes),
        additional=tuple(additional),
        transfers=((people[0].client_id, move),) if people else (),
        left_out=0,
    )


def _session(
    person: ChartClient, booking: str, starts: dt.datetime, note_id: int | None, *, high: bool
) -> ClientSession:
    return ClientSession(
        client_id=person.client_id,
        client_name=person.client_name,
        booking_id=booking,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=50),
        status="completed" if note_id else "confirmed",
        mode="online",
        therapist_id="T-1",
        therapist_name="Asha Rao",
        note_id=note_id,
        note_written_at=starts + dt.timedelta(hours=3) if note_id else None,
        risk_level=("high" if high else "low") if note_id else None,
        self_harm=False,
        high_risk=high and note_id is not None,
        note_due=False,
    )


def _note(
    person: ChartClient, booking: str, starts: dt.datetime, note_id: int, *, high: bool
) -> NoteDetail:
    return NoteDetail(
        note_id=note_id,
        booking_id=booking,
        client_id=person.client_id,
        therapist_id="T-1",
        client_name=person.client_name,
        therapist_name="Asha Rao",
        session_at=starts,
        written_at=starts + dt.timedelta(hours=3),
        risk_level="high" if high else "low",
        self_harm=False,
        high_risk=high,
        fields=(
            NoteField("concerns_discussed", "Concerns discussed", f"{NOTE_TEXT} ({note_id})"),
            NoteField("current_risk_level", "Current risk level", "high" if high else "low", True),
        ),
        earlier=(),
        reviews=(),
        opened_at=TAKEN_AT,
    )
