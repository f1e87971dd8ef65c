"""What the planner knows about a table, used to browse it: where a fraction of the order falls
(pg_stats' most common values and histogram), and whether search has trigram indexes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backoffice.services.browse.sql import Plan
from backoffice.services.browse.types import TableSource
from backoffice.services.permissions import Actor


def quantile(db: Session, plan: Plan, fraction: float) -> Any:
    """The sort value about `fraction` of the way down the display order, or None (the NULLs)."""
    stats = _distribution(db, plan)
    if stats is None:
        return _percentile(db, plan, fraction)
    points, null_fraction = stats
    ascending_at = _among_values(fraction, null_fraction, descending=plan.descending)
    if ascending_at is None:
        return None
    for value, share_up_to in points:
        if share_up_to >= ascending_at:
            return value
    return points[-1][0]


def _among_values(fraction: float, null_fraction: float, *, descending: bool) -> float | None:
    """Where `fraction` of the display order falls among the non-NULL values in ascending order
    (0..1), or None when it falls among the NULLs (first when descending, last when ascending)."""
    filled = max(1.0 - null_fraction, 1e-9)
    if descending:
        if fraction < null_fraction:
            return None
        return min(max(1.0 - (fraction - null_fraction) / filled, 0.0), 1.0)
    if fraction >= 1.0 - null_fraction:
        return None
    return min(max(fraction / filled, 0.0), 1.0)


def _distribution(db: Session, plan: Plan) -> tuple[list[tuple[Any, float]], float] | None:
    """The sort column's values as the planner sees them (most common values and histogram bounds),
    ordered by PostgreSQL itself, each with the share of non-NULL rows up to it; and the NULL share."""
    column = plan.sort
    type_sql = column.type.compile(dialect=db.get_bind().dialect)
    rows = db.execute(
        sa.text(_DISTRIBUTION.format(type=type_sql)),
        {
            "schema": column.table.schema or "public",
            "table": column.table.name,
            "column": column.name,
        },
    ).all()
    if not rows:
        return None
    total = sum(float(r.share) for r in rows) or 1.0
    points, running = [], 0.0
    for row in rows:
        running += float(row.share)
        points.append((row.value, running / total))
    return points, float(rows[0].null_frac or 0.0)


# Each histogram bucket holds the same share of the rows outside the most common values; the
# bucket's share is given to its upper bound. ORDER BY sorts in the column's own collation.
_DISTRIBUTION = """
WITH s AS (
    SELECT null_frac, most_common_vals::text::{type}[] AS mcv, most_common_freqs AS mcf,
           histogram_bounds::text::{type}[] AS hb
    FROM pg_stats WHERE schemaname = :schema AND tablename = :table AND attname = :column
), points AS (
    SELECT m.v AS value, m.f::float8 AS share, s.null_frac FROM s, unnest(s.mcv, s.mcf) AS m(v, f)
    UNION ALL
    SELECT h.v, CASE WHEN h.n = 1 THEN 0 ELSE
           (1 - s.null_frac - coalesce((SELECT sum(x) FROM unnest(s.mcf) AS x), 0))
           / greatest(cardinality(s.hb) - 1, 1) END, s.null_frac
    FROM s, unnest(s.hb) WITH ORDINALITY AS h(v, n)
)
SELECT value, share, null_frac FROM points WHERE value IS NOT NULL ORDER BY value
"""


def _percentile(db: Session, plan: Plan, fraction: float) -> Any:
    """Without statistics (a never analysed table): ask the rows themselves (reads them all)."""
    nulls = sa.func.count().filter(plan.sort.is_(None)) / sa.func.greatest(sa.func.count(), 1)
    statement = sa.select(sa.cast(nulls, sa.Float)).select_from(plan.from_).where(plan.where)
    null_fraction = float(db.execute(statement).scalar_one() or 0.0)
    at = _among_values(fraction, null_fraction, descending=plan.descending)
    if at is None:
        return None
    statement = (
        sa.select(sa.func.percentile_disc(at).within_group(plan.sort))
        .select_from(plan.from_)
        .where(plan.where)
    )
    return db.execute(statement).scalar_one()


_TRIGRAM_COLUMNS = sa.text(
    """
    SELECT DISTINCT a.attname FROM pg_index i
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    CROSS JOIN LATERAL unnest(i.indkey, i.indclass) AS k(attnum, opclass)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    JOIN pg_opclass oc ON oc.oid = k.opclass
    WHERE n.nspname = :schema AND t.relname = :table AND oc.opcname = 'gin_trgm_ops'
    """
)


def trigram_search(db: Session, source: TableSource, actor: Actor) -> bool:
    """Is every substring-searched column covered by a pg_trgm index (so ILIKE '%x%' is indexed)?"""
    wanted = {c.name for c in source.columns_for(actor) if c.search == "substring"}
    if not wanted:
        return True
    table = source.table
    found = set(
        db.scalars(_TRIGRAM_COLUMNS, {"schema": table.schema or "public", "table": table.name})
    )
    return wanted <= found
