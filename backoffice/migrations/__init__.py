"""Alembic migrations of the `backoffice` schema, and the functions the command line calls."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from backoffice.models.base import BACKOFFICE_SCHEMA

SchemaState = Literal["absent", "behind", "current", "unknown revision"]


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def current_revision(connection: Connection) -> str | None:
    if BACKOFFICE_SCHEMA not in inspect(connection).get_schema_names():
        return None
    context = MigrationContext.configure(
        connection, opts={"version_table_schema": BACKOFFICE_SCHEMA}
    )
    return context.get_current_revision()


def schema_state(connection: Connection) -> SchemaState:
    current = current_revision(connection)
    if current is None:
        return "absent"
    if current == head_revision():
        return "current"
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    return "behind" if current in known else "unknown revision"


def upgrade(connection: Connection) -> None:
    """Create or upgrade the backoffice schema to the newest revision, in the caller's transaction."""
    command.upgrade(alembic_config(connection), "head")
