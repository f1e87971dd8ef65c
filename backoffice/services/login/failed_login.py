"""A refused password the login window saw (light: the login window imports it before SQLAlchemy)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class FailedLogin:
    """Who it was for (the user name typed), which server, when (aware), from which workstation."""

    username: str
    server: str
    at: dt.datetime
    workstation: str
