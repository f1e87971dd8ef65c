"""Alembic environment: migrates the `backoffice` schema only, its version table inside it."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import text

from backoffice.models import backoffice as _backoffice_models  # noqa: F401  (registers the tables)
from backoffice.models.base import BACKOFFICE_SCHEMA, BackofficeBase


def _only_backoffice(name: str | None, type_: Any, parent_names: Any) -> bool:
    if type_ == "schema":
        return name == BACKOFFICE_SCHEMA
    return True


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {BACKOFFICE_SCHEMA}"))
    context.configure(
        connection=connection,
        target_metadata=BackofficeBase.metadata,
        version_table_schema=BACKOFFICE_SCHEMA,
        include_schemas=True,
        include_name=_only_backoffice,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
