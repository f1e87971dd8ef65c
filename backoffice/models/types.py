"""Column types shared by the clinic and back-office models (SQLAlchemy `Annotated` aliases)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from sqlalchemy import Boolean, DateTime, Integer, Numeric, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import mapped_column

Str10 = Annotated[str, mapped_column(String(10))]
Str20 = Annotated[str, mapped_column(String(20))]
Str50 = Annotated[str, mapped_column(String(50))]
Str100 = Annotated[str, mapped_column(String(100))]
Str255 = Annotated[str, mapped_column(String(255))]
Str500 = Annotated[str, mapped_column(String(500))]
TextCol = Annotated[str, mapped_column(Text)]
Int = Annotated[int, mapped_column(Integer)]
# The clinic's "integer PRIMARY KEY, AUTO INCREMENT": `serial` on PostgreSQL.
SerialPK = Annotated[int, mapped_column(Integer, primary_key=True, autoincrement=True)]
TextArray = Annotated[list[str], mapped_column(ARRAY(Text))]
Bool = Annotated[bool, mapped_column(Boolean)]
# `timestamp` in the clinic database is timestamp WITHOUT time zone (wall-clock IST).
Timestamp = Annotated[dt.datetime, mapped_column(DateTime(timezone=False))]
# Our own schema records instants, so it uses timestamptz.
Instant = Annotated[dt.datetime, mapped_column(DateTime(timezone=True))]
# Money: numeric in PostgreSQL, Decimal in Python, never float.
Money = Annotated[Decimal, mapped_column(Numeric(asdecimal=True))]
