"""What a report's header says about the clinic: its name and logo, from the settings."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.services.reports.types import CLINIC_NAME_SETTING

CLINIC_LOGO_SETTING = "clinic.logo"
DEFAULT_CLINIC_NAME = "The clinic"

_SETTING = sa.text("SELECT value FROM backoffice.settings WHERE key = :key")


def clinic_name(uow: UnitOfWork) -> str:
    value = uow.session.execute(_SETTING, {"key": CLINIC_NAME_SETTING}).scalar_one_or_none()
    return value.strip() if isinstance(value, str) and value.strip() else DEFAULT_CLINIC_NAME


def clinic_logo(uow: UnitOfWork) -> Path | None:
    """The logo named in the settings when that file exists here; None: the bundled logo."""
    value = uow.session.execute(_SETTING, {"key": CLINIC_LOGO_SETTING}).scalar_one_or_none()
    if isinstance(value, str) and value.strip():
        path = Path(value.strip()).expanduser()
        if path.is_file():
            return path
    return None
