"""SQLAlchemy models: the clinic's `public` tables (ClinicBase) and our own `backoffice` schema."""

from __future__ import annotations

from backoffice.models import backoffice as backoffice  # registers the backoffice tables
from backoffice.models import safeguards as safeguards  # and those of migration 0007
from backoffice.models.base import BackofficeBase, ClinicBase
from backoffice.models.clinic import *  # noqa: F403 (re-export: the clinic classes are the public API)
from backoffice.models.clinic import __all__ as _clinic_all

__all__ = ["BackofficeBase", "ClinicBase", "backoffice", "safeguards", *_clinic_all]
