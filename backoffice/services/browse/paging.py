"""Browsing a large table: keyset pages, jumps to the end or anywhere, counts and streamed export.

Every function checks the source's permission first, runs its SQL on the unit of work's session
(reads only: nothing to commit, no audit event) and returns frozen values or tuples of plain
values (Decimal for money), never ORM objects. No OFFSET anywhere, and no COUNT on open: the
planner's estimate first (`estimate_count`), the exact count when asked (`exact_count`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.services.browse import sql, stats
from backoffice.services.browse.types import (
    BrowseQuery,
    Cursor,
    Page,
    Row,
    RowEstimate,
    Selection,
    SourceColumn,
    TableSource,
)
from backoffice.services.permissions import Actor, require

DEFAULT_LIMIT = 200


def visible_columns(actor: Actor, source: TableSource) -> tuple[SourceColumn, ...]:
    """The columns of `source` this actor sees. Permission: the source's."""
    require(actor, source.permission)
    return source.columns_for(actor)


def fetch_page(
    uow: UnitOfWork,
    actor: Actor,
    *,
    source: TableSource,
    query: BrowseQuery,
    after: Cursor | None = None,
    before: Cursor | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Page:
    """The first page, or the page just after `after` / just before `before`.

    Permission: the source's (VIEW_BOOKINGS, VIEW_PAYMENTS, ...). Read only.
    Raises PermissionDenied, ValidationError (unknown sort or filter column).
    """
    require(actor, source.permission)
    plan = _paging_plan(uow, actor, source, query)
    if before is not None:
        return _backward(uow, plan, before, limit)
    return _forward(uow, plan, after, limit)


def fetch_last_page(
    uow: UnitOfWork,
    actor: Actor,
    *,
    source: TableSource,
    query: BrowseQuery,
    limit: int = DEFAULT_LIMIT,
) -> Page:
    """The last `limit` rows: the first page of the reverse order, as cheap as the first page.

    Permission: the source's. Read only. Raises PermissionDenied, ValidationError.
    """
    require(actor, source.permission)
    return _backward(uow, _paging_plan(uow, actor, source, query), None, limit)


def seek(
    uow: UnitOfWork,
    actor: Actor,
    *,
    source: TableSource,
    query: BrowseQuery,
    fraction: float | None = None,
    value: Any = None,
    limit: int = DEFAULT_LIMIT,
) -> Page:
    """Rows from a place in the order: the first whose sort value is `value` or beyond, or about
    `fraction` (0..1) of the way down, found from the planner's histogram of the sort column
    (pg_stats), so that jumping anywhere costs about one page.

    Permission: the source's. Read only. Raises PermissionDenied, ValidationError.
    """
    require(actor, source.permission)
    plan = _paging_plan(uow, actor, source, query)
    if fraction is not None:
        if fraction <= 0:
            return _forward(uow, plan, None, limit)
        plain = sql.plan(source, actor, query)
        value = stats.quantile(uow.session, plain, min(fraction, 1.0))
    return _run(uow, plan, Cursor(value, None), plan.descending, limit, inclusive=True)


def estimate_count(
    uow: UnitOfWork, actor: Actor, *, source: TableSource, query: BrowseQuery
) -> RowEstimate:
    """The planner's estimate of the matching rows (EXPLAIN, no COUNT), and whether search is indexed.

    Permission: the source's. Read only. Raises PermissionDenied, ValidationError.
    """
    require(actor, source.permission)
    rows = _planner_rows(uow, sql.plan(source, actor, query))
    indexed = stats.trigram_search(uow.session, source, actor)
    return RowEstimate(rows=rows, exact=False, trigram_search=indexed)


def exact_count(uow: UnitOfWork, actor: Actor, *, source: TableSource, query: BrowseQuery) -> int:
    """COUNT(*) of the matching rows: run it in the background, it reads them all.

    Permission: the source's. Read only. Raises PermissionDenied, ValidationError.
    """
    require(actor, source.permission)
    plan = sql.plan(source, actor, query)
    return int(uow.session.execute(sql.count_statement(plan)).scalar_one())


def stream_rows(
    uow: UnitOfWork,
    actor: Actor,
    *,
    source: TableSource,
    query: BrowseQuery,
    chunk_size: int = 2_000,
) -> Iterator[tuple[Row, ...]]:
    """Every matching row in display order, in chunks, through a server-side cursor (memory flat).

    Permission: the source's. Read only. Raises PermissionDenied, ValidationError.
    """
    require(actor, source.permission)
    plan = sql.plan(source, actor, query)
    connection = uow.session.connection().execution_options(
        stream_results=True, max_row_buffer=chunk_size
    )
    result = connection.execute(sql.ordered_select(plan))
    for part in result.partitions(chunk_size):
        yield tuple(tuple(row) for row in part)


def count_selected(
    uow: UnitOfWork, actor: Actor, *, source: TableSource, selection: Selection
) -> int:
    """How many rows a selection holds, counted in SQL from its filter (not from a list of rows).

    Permission: the source's. Read only. Raises PermissionDenied, ValidationError.
    """
    require(actor, source.permission)
    plan = sql.plan(source, actor, selection.query)
    key = plan.key
    if selection.all_matching:
        where = key.not_in(list(selection.excluded)) if selection.excluded else sa.true()
    else:
        where = key.in_(list(selection.keys))
    statement = sql.count_statement(plan).where(where)
    return int(uow.session.execute(statement).scalar_one())


def _planner_rows(uow: UnitOfWork, plan: sql.Plan) -> int:
    explained = _execute_compiled(uow, sql.key_statement(plan), prefix="EXPLAIN (FORMAT JSON) ")
    document = explained.scalar_one()
    plan_json = json.loads(document) if isinstance(document, str) else document
    return int(plan_json[0]["Plan"]["Plan Rows"])


# A search matching fewer rows than this is found first (trigram index), then ordered: about
# where walking the sort index and filtering (~ 200 x table / matches rows read) costs more.
NARROW_BELOW = 15_000
_narrowing: dict[tuple[Any, ...], bool] = {}


def _paging_plan(
    uow: UnitOfWork, actor: Actor, source: TableSource, query: BrowseQuery
) -> sql.Plan:
    """The plan to page with: narrowed to the matches first for a selective, trigram-indexed search."""
    plain = sql.plan(source, actor, query)
    if len(query.search.strip()) < 3:  # trigrams need three characters
        return plain
    key = (str(uow.session.get_bind().engine.url), actor.role, source.name, query)
    if key not in _narrowing:
        if len(_narrowing) > 256:
            _narrowing.clear()
        _narrowing[key] = stats.trigram_search(uow.session, source, actor) and (
            _planner_rows(uow, plain) < NARROW_BELOW
        )
    return sql.plan(source, actor, query, narrowed=True) if _narrowing[key] else plain


def _forward(uow: UnitOfWork, plan: sql.Plan, after: Cursor | None, limit: int) -> Page:
    page = _run(uow, plan, after, plan.descending, limit)
    if after is None:
        return _replace(page, at_start=True)
    return _replace(page, key_before=after.key)


def _backward(uow: UnitOfWork, plan: sql.Plan, before: Cursor | None, limit: int) -> Page:
    """Read the reverse order forwards, then turn the rows back into display order."""
    reverse = _run(uow, plan, before, not plan.descending, limit)
    return Page(
        columns=reverse.columns,
        rows=reverse.rows[::-1],
        first=reverse.last,
        last=reverse.first,
        at_start=reverse.at_end,
        at_end=before is None,
        key_before=reverse.key_after,
        key_after=before.key if before is not None else None,
    )


def _run(
    uow: UnitOfWork,
    plan: sql.Plan,
    cursor: Cursor | None,
    descending: bool,
    limit: int,
    *,
    inclusive: bool = False,
) -> Page:
    statement = sql.seek_statement(
        plan, cursor=cursor, descending=descending, limit=limit + 1, inclusive=inclusive
    )
    fetched = [tuple(r) for r in uow.session.execute(statement)]
    rows, extra = fetched[:limit], fetched[limit:]
    names = plan.names
    sort_at, key_at = names.index(plan.sort.name), names.index(plan.key.name)

    def cursor_of(row: Row) -> Cursor:
        return Cursor(row[sort_at], row[key_at])

    return Page(
        columns=names,
        rows=tuple(rows),
        first=cursor_of(rows[0]) if rows else None,
        last=cursor_of(rows[-1]) if rows else None,
        at_start=False,
        at_end=not extra,
        key_after=extra[0][key_at] if extra else None,
    )


def _replace(page: Page, **changes: Any) -> Page:
    from dataclasses import replace

    return replace(page, **changes)


def _execute_compiled(uow: UnitOfWork, statement: sa.Select[Any], *, prefix: str) -> sa.Result[Any]:
    connection = uow.session.connection()
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    return connection.exec_driver_sql(prefix + compiled.string, compiled.params)
