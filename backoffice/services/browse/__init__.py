"""Browsing a large table: keyset pages, jumps to the end or anywhere, counts and streamed export,
over the sources the pages show (each with the columns a role may read).

Every function checks the source's permission first and only reads; no OFFSET anywhere, and no
COUNT on open (the planner's estimate first, the exact count when asked). Everything not named
here is internal.
"""

from backoffice.services.browse.browser import Browser
from backoffice.services.browse.export import ExportCancelled, export_view
from backoffice.services.browse.paging import (
    count_selected,
    estimate_count,
    exact_count,
    fetch_last_page,
    fetch_page,
    seek,
    stream_rows,
    visible_columns,
)
from backoffice.services.browse.sources import (
    APPOINTMENTS,
    AUDIT_EVENTS,
    BOOKINGS,
    CLIENTS,
    PAYMENTS,
    SESSION_NOTES,
    SOURCES,
    THERAPISTS,
)
from backoffice.services.browse.types import (
    BrowseQuery,
    Cursor,
    Filter,
    Page,
    RowEstimate,
    Selection,
    SourceColumn,
    TableSource,
)

__all__ = [
    "APPOINTMENTS",
    "AUDIT_EVENTS",
    "BOOKINGS",
    "CLIENTS",
    "PAYMENTS",
    "SESSION_NOTES",
    "SOURCES",
    "THERAPISTS",
    "BrowseQuery",
    "Browser",
    "Cursor",
    "ExportCancelled",
    "Filter",
    "Page",
    "RowEstimate",
    "Selection",
    "SourceColumn",
    "TableSource",
    "count_selected",
    "estimate_count",
    "exact_count",
    "export_view",
    "fetch_last_page",
    "fetch_page",
    "seek",
    "stream_rows",
    "visible_columns",
]
