"""Browsing a large table: keyset pages, jumps to the end or anywhere, counts and streamed export.

Every function checks the source's permission first, runs its SQL on the unit of work's session
(reads only: nothing to commit, no audit event) and returns frozen values or tuples of plain
values (Decimal for money), never ORM objects. No OFFSET anywhere, and no COUNT on open: the
planner's estimate first (`estimate_count`), the exact count when asked (`exact_count`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Browser:
    """One source bound to a signed-in person: what a page (or a script) calls, one unit of work a call.

    Every method runs on the calling thread: the UI calls them through `run_op`.
    """

    unit_of_work: Callable[[], UnitOfWork]
    actor: Actor
    source: TableSource

    @property
    def columns(self) -> tuple[SourceColumn, ...]:
        return visible_columns(self.actor, self.source)

    def first_page(
        self, query: BrowseQuery, *, limit: int = DEFAULT_LIMIT
    ) -> tuple[Page, RowEstimate]:
        """The first page and the estimate together: one round of work when a table opens."""
        with self.unit_of_work() as uow:
            page = fetch_page(uow, self.actor, source=self.source, query=query, limit=limit)
            if page.at_end:
                indexed = stats.trigram_search(uow.session, self.source, self.actor)
                return page, RowEstimate(len(page), exact=True, trigram_search=indexed)
            return page, estimate_count(uow, self.actor, source=self.source, query=query)

    def page(
        self,
        query: BrowseQuery,
        *,
        after: Cursor | None = None,
        before: Cursor | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Page:
        with self.unit_of_work() as uow:
            return fetch_page(
                uow,
                self.actor,
                source=self.source,
                query=query,
                after=after,
                before=before,
                limit=limit,
            )

    def last_page(self, query: BrowseQuery, *, limit: int = DEFAULT_LIMIT) -> Page:
        with self.unit_of_work() as uow:
            return fetch_last_page(uow, self.actor, source=self.source, query=query, limit=limit)

    def seek(
        self,
        query: BrowseQuery,
        *,
        fraction: float | None = None,
        value: Any = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Page:
        with self.unit_of_work() as uow:
            return seek(
                uow,
                self.actor,
                source=self.source,
                query=query,
                fraction=fraction,
                value=value,
                limit=limit,
            )

    def exact_count(self, query: BrowseQuery) -> int:
        with self.unit_of_work() as uow:
            return exact_count(uow, self.actor, source=self.source, query=query)

    def count_selected(self, selection: Selection) -> int:
        with self.unit_of_work() as uow:
            return count_selected(uow, self.actor, source=self.source, selection=selection)

    def stream(self, query: BrowseQuery, *, chunk_size: int = 2_000) -> Iterator[tuple[Row, ...]]:
        """Chunks of every matching row; the unit of work stays open until the iterator ends."""
        with self.unit_of_work() as uow:
            yield from stream_rows(
                uow, self.actor, source=self.source, query=query, chunk_size=chunk_size
            )
