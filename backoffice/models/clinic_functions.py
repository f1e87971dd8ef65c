"""The clinic database's SQL function and schema builder, for the demo database and tests only.

Production never runs this: the clinic's `public` schema belongs to the clinic and already exists.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

import backoffice.models.clinic  # noqa: F401 (registers the 20 tables on ClinicBase.metadata)
from backoffice.models.base import ClinicBase

# audit_logs.timestamp defaults to this; the table cannot be created before the function exists.
GET_IST_TIMESTAMP_SQL = """
CREATE OR REPLACE FUNCTION public.get_ist_timestamp() RETURNS varchar
LANGUAGE sql STABLE
AS $$
    SELECT to_char(CURRENT_TIMESTAMP AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD HH24:MI:SS')::varchar
$$
"""


def create_clinic_schema(connection: Connection) -> None:
    """Create `public.get_ist_timestamp()` and then the 20 clinic tables (demo and tests only)."""
    connection.execute(text(GET_IST_TIMESTAMP_SQL))
    ClinicBase.metadata.create_all(connection)
