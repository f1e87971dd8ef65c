"""The SQL of browsing: filters, search, and keyset ("seek") statements that never use OFFSET.

Order is always (sort column, key) in one direction, with PostgreSQL's default NULL placement
(NULLS LAST ascending, NULLS FIRST descending), so that one btree index on (sort, key) serves both
directions and reading backwards is reading the reverse order forwards. A row-value comparison
`(sort, key) > (v, k)` skips NULL sort values, so the NULL rows come from a second branch:
each branch is an index range scan with LIMIT, and a page costs the same wherever it starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from backoffice.errors import ValidationError
from backoffice.services.browse.types import BrowseQuery, Cursor, Filter, SourceColumn, TableSource
from backoffice.services.permissions import Actor

_LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class Plan:
    """A query resolved for one actor: selected columns, filter clause, sort and key expressions."""

    source: TableSource
    columns: tuple[SourceColumn, ...]
    selected: tuple[Any, ...]  # labelled SQL expressions, in column order
    where: Any
    sort: Any  # the sort expression (the key itself when sorting by key)
    key: Any
    by_key: bool
    descending: bool
    from_: Any  # the table, or the materialised matches of a search (see `narrowed`)

    def select(self) -> sa.Select[Any]:
        return sa.select(*self.selected).select_from(self.from_).where(self.where)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def plan(source: TableSource, actor: Actor, query: BrowseQuery, *, narrowed: bool = False) -> Plan:
    """Resolve `query` for `actor`: only the columns the role may select; sort and filters checked.

    `narrowed`: find the matching rows first (a MATERIALIZED CTE, so that a trigram index finds
    them all), then order and page them; for a search that matches few rows of a big table, which
    the planner would otherwise look for by walking the sort index and filtering row by row.
    """
    columns = source.columns_for(actor)
    visible = {c.name: c for c in columns}
    sort_name = query.sort or source.default_sort
    descending = query.descending if query.sort else source.default_descending
    sort_column = visible.get(sort_name)
    if sort_column is None or not sort_column.sortable:
        raise ValidationError(f"The {source.title.lower()} list cannot be sorted by {sort_name!r}.")
    table = source.table
    where = sa.and_(table.c[source.key].is_not(None), *_filters(source, visible, query.filters))
    if query.search.strip():
        where = sa.and_(where, _search(table, columns, query.search.strip()))
    if narrowed:
        wanted = [table.c[c.name] for c in columns]
        table = sa.select(*wanted).where(where).cte("matches").prefix_with("MATERIALIZED")
        where = sa.true()
    return Plan(
        source=source,
        columns=columns,
        selected=tuple(_expression(table, c).label(c.name) for c in columns),
        where=where,
        sort=table.c[sort_name],
        key=table.c[source.key],
        by_key=sort_name == source.key,
        descending=descending,
        from_=table,
    )


def _expression(table: Any, column: SourceColumn) -> Any:
    return column.expression(table) if column.expression else table.c[column.name]


def _filters(source: TableSource, visible: dict[str, SourceColumn], filters: tuple[Filter, ...]):
    for f in filters:
        column = visible.get(f.column)
        if column is None or not column.filterable:
            raise ValidationError(
                f"The {source.title.lower()} list cannot be filtered by {f.column!r}."
            )
        yield _filter_clause(source.table.c[f.column], f)


def _filter_clause(expr: Any, f: Filter) -> Any:
    if f.op == "eq":
        return expr.is_(None) if f.value is None else expr == f.value
    if f.op == "in":
        return expr.in_(list(f.values))
    if f.op == "is_null":
        return expr.is_(None)
    parts = []
    if f.low is not None:
        parts.append(expr >= f.low)
    if f.high is not None:
        parts.append(expr <= f.high)
    return sa.and_(sa.true(), *parts)


def like_pattern(text: str) -> str:
    """`%text%` with the LIKE wildcards in `text` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search(table: Any, columns: tuple[SourceColumn, ...], text: str) -> Any:
    """ILIKE on substring columns (a pg_trgm GIN index serves it), equality on id columns."""
    branches = []
    for column in columns:
        if column.search is None:
            continue  # not searched (and maybe not a column of the table: a computed one)
        expr = table.c[column.name]
        if column.search == "substring":
            branches.append(expr.ilike(like_pattern(text), escape=_LIKE_ESCAPE))
        elif column.search == "exact" and column.kind == "text":
            branches.append(expr == text)
        elif column.search == "exact" and column.kind in ("id", "int") and _small_number(text):
            branches.append(expr == int(text))  # an index on the key serves it; a cast would not
    return sa.or_(*branches) if branches else sa.false()


def _small_number(text: str) -> bool:
    """Digits that fit the integer columns (ids, counts) compared with `=`."""
    return text.isdigit() and len(text) < 10


def _order(plan: Plan, descending: bool) -> list[Any]:
    def direction(expr: Any) -> Any:
        return expr.desc() if descending else expr.asc()

    return [direction(plan.key)] if plan.by_key else [direction(plan.sort), direction(plan.key)]


def seek_statement(
    plan: Plan,
    *,
    cursor: Cursor | None,
    descending: bool,
    limit: int,
    inclusive: bool = False,
) -> sa.Select[Any]:
    """Up to `limit` rows after `cursor` in the order (sort, key) `descending`, in that order.

    With `inclusive`, start at the first row whose sort value is `cursor.sort_value` (any key).
    """
    base = plan.select()
    if cursor is None:
        return base.order_by(*_order(plan, descending)).limit(limit)
    branches = _branches(plan, cursor, descending, inclusive)
    if len(branches) == 1:
        return base.where(branches[0]).order_by(*_order(plan, descending)).limit(limit)
    parts = [base.where(b).order_by(*_order(plan, descending)).limit(limit) for b in branches]
    union = sa.union_all(*parts).subquery("seek")
    outer = (
        [union.c[plan.key.name]]
        if plan.by_key
        else [union.c[plan.sort.name], union.c[plan.key.name]]
    )
    ordering = [c.desc() if descending else c.asc() for c in outer]
    return sa.select(*union.c).order_by(*ordering).limit(limit)


def _branches(plan: Plan, cursor: Cursor, descending: bool, inclusive: bool) -> list[Any]:
    """Disjoint conditions, each one index range, whose union is "after the cursor"."""
    s, k = plan.sort, plan.key
    v, key = cursor.sort_value, cursor.key
    if plan.by_key:
        if inclusive:
            return [k <= v if descending else k >= v]
        return [k < key if descending else k > key]
    if not descending:  # NULLS LAST
        if v is None:
            return [s.is_(None)] if inclusive else [sa.and_(s.is_(None), k > key)]
        first = s >= v if inclusive else sa.tuple_(s, k) > sa.tuple_(v, key)
        return [first, s.is_(None)]
    # descending: NULLS FIRST
    if v is None:
        if inclusive:
            return [sa.true()]
        return [sa.and_(s.is_(None), k < key), s.is_not(None)]
    return [s <= v if inclusive else sa.tuple_(s, k) < sa.tuple_(v, key)]


def ordered_select(plan: Plan) -> sa.Select[Any]:
    """Every matching row in display order (for export)."""
    return plan.select().order_by(*_order(plan, plan.descending))


def count_statement(plan: Plan) -> sa.Select[Any]:
    return sa.select(sa.func.count()).select_from(plan.from_).where(plan.where)


def key_statement(plan: Plan) -> sa.Select[Any]:
    """The cheapest query with the same rows: what EXPLAIN estimates."""
    return sa.select(plan.key).select_from(plan.from_).where(plan.where)
