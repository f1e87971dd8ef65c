"""Admin reports: `utilisation` (sessions against capacity per therapist) and `transfers`.

Therapists' `capacity` is sessions a week, so a period's capacity is capacity × days / 7. Sessions
held are those booked less those cancelled; rates are fractions of the sessions booked.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.reports import (
    ChartSection,
    Column,
    KeyFigure,
    KeyFiguresSection,
    ParagraphSection,
    Section,
    TableSection,
)
from backoffice.services.reports.builders.frames import column_total, frame
from backoffice.services.reports.types import ReportContent, ReportRequest

CHART_THERAPISTS = 15
_ACTIVE = """(SELECT s.is_active FROM backoffice.therapist_status_changes s
              WHERE s.therapist_id = t.therapist_id ORDER BY s.id DESC LIMIT 1) IS NOT FALSE"""

_UTILISATION = sa.text(f"""
WITH booked AS (
    SELECT therapist_id, count(*) AS booked,
           count(*) FILTER (WHERE lower(booking_status) = 'completed') AS completed,
           count(*) FILTER (WHERE lower(booking_status) = 'cancelled') AS cancelled,
           count(*) FILTER (WHERE lower(booking_status) IN ('no_show', 'no-show')) AS no_shows
    FROM public.bookings
    WHERE booking_start_at >= :start AND booking_start_at < :end
    GROUP BY therapist_id
), rows AS (
    SELECT t.therapist_id, t.name AS therapist, greatest(coalesce(t.capacity, 0), 0) AS weekly,
           CAST(round(greatest(coalesce(t.capacity, 0), 0) * CAST(:days AS numeric) / 7) AS int)
               AS capacity,
           coalesce(b.booked, 0) AS booked, coalesce(b.completed, 0) AS completed,
           coalesce(b.cancelled, 0) AS cancelled, coalesce(b.no_shows, 0) AS no_shows
    FROM public.therapists t LEFT JOIN booked b ON b.therapist_id = t.therapist_id
    WHERE (b.therapist_id IS NOT NULL OR {_ACTIVE})
      AND (CAST(:therapist AS text) IS NULL OR t.therapist_id = :therapist)
)
SELECT *, booked - cancelled AS held,
       round(CAST(booked - cancelled AS numeric) / nullif(capacity, 0), 4) AS utilisation,
       round(CAST(completed AS numeric) / nullif(booked, 0), 4) AS completion_rate,
       round(CAST(cancelled AS numeric) / nullif(booked, 0), 4) AS cancellation_rate,
       round(CAST(no_shows AS numeric) / nullif(booked, 0), 4) AS no_show_rate
FROM rows
ORDER BY CAST(booked - cancelled AS numeric) / nullif(capacity, 0) DESC NULLS LAST,
         held DESC, therapist, therapist_id
""")

_UTILISATION_COLUMNS = (
    Column("therapist", "Therapist"),
    Column("weekly", "Per week", "int", total=False),
    Column("capacity", "Capacity", "int"),
    Column("booked", "Booked", "int"),
    Column("held", "Held", "int"),
    Column("completed", "Completed", "int"),
    Column("cancelled", "Cancelled", "int"),
    Column("no_shows", "No-shows", "int"),
    Column("utilisation", "Utilisation", "percent"),
    Column("completion_rate", "Completed %", "percent"),
    Column("cancellation_rate", "Cancelled %", "percent"),
    Column("no_show_rate", "No-show %", "percent"),
)
UTILISATION_NOTE = (
    "Capacity is each therapist's weekly capacity over the period's days. Held sessions are "
    "those booked less those cancelled; utilisation is held over capacity. The rates are shares "
    "of the sessions booked. Inactive therapists appear when they had sessions in the period."
)


def build_utilisation(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    rows = frame(uow, _UTILISATION, request.params(days=request.days))
    table = TableSection(
        "Sessions and capacity by therapist",
        _UTILISATION_COLUMNS,
        rows,
        totals=True,
        empty_text="No therapists to show.",
    )
    return ReportContent(
        sections=[
            _utilisation_figures(rows),
            _utilisation_chart(rows),
            table,
            ParagraphSection(UTILISATION_NOTE, note=True),
        ],
        spreadsheet=[table],
        rows=len(rows),
        empty=column_total(rows, "booked") == 0,
        empty_sentence="No sessions were booked in this period.",
    )


def _utilisation_figures(rows: pd.DataFrame) -> KeyFiguresSection:
    capacity = column_total(rows, "capacity")
    held = column_total(rows, "booked") - column_total(rows, "cancelled")
    utilisation = round(Decimal(held) / capacity, 4) if capacity else None
    return KeyFiguresSection(
        [
            KeyFigure("Therapists", len(rows), "int"),
            KeyFigure("Sessions booked", column_total(rows, "booked"), "int"),
            KeyFigure("Sessions held", held, "int"),
            KeyFigure("Utilisation", utilisation, "percent"),
        ]
    )


def _utilisation_chart(rows: pd.DataFrame) -> ChartSection:
    """The first CHART_THERAPISTS therapists with sessions: the query orders by utilisation."""
    top = rows[rows["booked"] > 0].head(CHART_THERAPISTS).reset_index(drop=True)
    return ChartSection(
        f"The {min(len(top), CHART_THERAPISTS)} therapists with the highest utilisation"
        if len(rows) > CHART_THERAPISTS
        else "Utilisation by therapist",
        top,
        Column("therapist", "Therapist"),
        [Column("utilisation", "Utilisation", "percent")],
        empty_text="No sessions to chart in this period.",
    )


_TRANSFERS = sa.text("""
SELECT h.transfer_id, h.transfer_date, h.client_name AS client,
       coalesce(h.from_therapist_name, '(none)') AS from_therapist, h.from_therapist_id,
       h.to_therapist_name AS to_therapist, h.to_therapist_id,
       coalesce(nullif(trim(h.reason), ''), '(no reason given)') AS reason,
       coalesce(h.transferred_by_admin_name, '') AS transferred_by, coalesce(h.notes, '') AS notes
FROM public.client_transfer_history h
WHERE h.transfer_date >= :start AND h.transfer_date < :end
  AND (CAST(:therapist AS text) IS NULL
       OR h.from_therapist_id = :therapist OR h.to_therapist_id = :therapist)
ORDER BY h.transfer_date, h.transfer_id
""")

_TRANSFER_COLUMNS = (
    Column("transfer_date", "Date", "datetime"),
    Column("client", "Client"),
    Column("from_therapist", "From"),
    Column("to_therapist", "To"),
    Column("reason", "Reason"),
    Column("transferred_by", "Transferred by"),
    Column("notes", "Notes"),
)
_CHANGE_COLUMNS = (
    Column("therapist", "Therapist"),
    Column("transferred_in", "Clients in", "int"),
    Column("transferred_out", "Clients out", "int"),
    Column("net", "Net change", "int"),
)
_REASON_COLUMNS = (Column("reason", "Reason"), Column("transfers", "Transfers", "int"))


def build_transfers(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    transfers = frame(uow, _TRANSFERS, request.params())
    changes = _caseload_changes(transfers)
    tables = _transfer_tables(transfers, changes)
    return ReportContent(
        sections=[_transfer_figures(transfers, changes), *tables],
        spreadsheet=tables,
        rows=len(transfers) + len(changes),
        empty=transfers.empty,
        empty_sentence="No clients were transferred in this period.",
    )


def _transfer_tables(transfers: pd.DataFrame, changes: pd.DataFrame) -> list[Section]:
    reasons = _counts(transfers, "reason", "transfers")
    return [
        TableSection(
            "Transfers",
            _TRANSFER_COLUMNS,
            transfers,
            empty_text="No clients were transferred in this period.",
        ),
        TableSection(
            "Caseload change by therapist",
            _CHANGE_COLUMNS,
            changes,
            totals=True,
            empty_text="No caseload changed.",
        ),
        TableSection(
            "Transfers by reason", _REASON_COLUMNS, reasons, totals=True, empty_text="No transfers."
        ),
    ]


def _transfer_figures(transfers: pd.DataFrame, changes: pd.DataFrame) -> KeyFiguresSection:
    clients = transfers["client"].nunique() if not transfers.empty else 0
    losing = int(sum(changes["net"] < 0)) if len(changes) else 0
    gaining = int(sum(changes["net"] > 0)) if len(changes) else 0
    return KeyFiguresSection(
        [
            KeyFigure("Transfers", len(transfers), "int"),
            KeyFigure("Clients", clients, "int"),
            KeyFigure("Therapists losing clients", losing, "int"),
            KeyFigure("Therapists gaining clients", gaining, "int"),
        ]
    )


def _caseload_changes(transfers: pd.DataFrame) -> pd.DataFrame:
    counts: dict[tuple[str, str], list[int]] = {}
    columns = ("from_therapist", "from_therapist_id", "to_therapist", "to_therapist_id")
    for from_name, from_id, to_name, to_id in zip(
        *(transfers[c].tolist() for c in columns), strict=True
    ):
        if from_id:
            counts.setdefault((from_name, from_id), [0, 0])[1] += 1
        counts.setdefault((to_name, to_id), [0, 0])[0] += 1
    rows = [
        {"therapist": name, "transferred_in": n_in, "transferred_out": n_out, "net": n_in - n_out}
        for (name, _id), (n_in, n_out) in counts.items()
    ]
    rows.sort(key=lambda r: (r["net"], r["therapist"]))  # the biggest losses first
    return pd.DataFrame(rows, columns=[c.key for c in _CHANGE_COLUMNS], dtype=object)


def _counts(data: pd.DataFrame, key: str, name: str) -> pd.DataFrame:
    if data.empty:
        return pd.DataFrame(columns=[key, name], dtype=object)
    counted = data[key].value_counts(sort=False)
    rows = sorted(((value, int(n)) for value, n in counted.items()), key=lambda r: (-r[1], r[0]))
    return pd.DataFrame(rows, columns=[key, name], dtype=object)
