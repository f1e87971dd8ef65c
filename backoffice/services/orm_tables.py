"""Core `Table`s of mapped classes, typed as such, for services that write plain Core SQL."""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa


def table_of(model: type[Any]) -> sa.Table:
    """A mapped class's Table (SQLAlchemy types `__table__` as any FromClause)."""
    return cast(sa.Table, model.__table__)
